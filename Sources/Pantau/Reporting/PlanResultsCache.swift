import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Values computed from one plan's results (the national overview's figures of a period, the plan list's status),
/// kept in this process while the plan's `PlanChanges` number is the one they were computed at. A report scored in
/// one plan recomputes that plan's values only; every process reads the numbers from the shared database, so none
/// serves a value another process's change made stale.
final class PlanResultsCache: Sendable {
    private struct Entry {
        let version: Int
        let value: any Sendable
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    /// Beyond this many values the cache starts again empty (550 plans with a few periods each hold a few thousand).
    let maximumEntries: Int

    init(maximumEntries: Int = 20_000) {
        self.maximumEntries = maximumEntries
    }

    /// The values for `items` (a plan and what of it, such as "overview|2031"), from the cache where the plan has not
    /// changed since, the rest computed together by `compute` (given the positions of the missing items, it returns
    /// their values in that order), in the order of `items`.
    func values<Value: Sendable>(_ items: [(planID: UUID, key: String)], versions: PlanChanges.Versions,
                                 compute: ([Int]) async throws -> [Value]) async throws -> [Value] {
        let keys = items.map { "\($0.planID.uuidString)|\($0.key)|\(Value.self)" }
        let wanted = items.map { versions.of($0.planID) }
        var found: [Value?] = entries.withLockedValue { entries in
            zip(keys, wanted).map { key, version in
                guard let entry = entries[key], entry.version == version else { return nil }
                return entry.value as? Value
            }
        }
        let missing = found.indices.filter { found[$0] == nil }
        if !missing.isEmpty {
            let computed = try await compute(missing)
            guard computed.count == missing.count else { throw Abort(.internalServerError, reason: "cache: \(computed.count) of \(missing.count) values") }
            for (position, value) in zip(missing, computed) { found[position] = value }
            entries.withLockedValue { entries in
                if entries.count + missing.count > maximumEntries { entries.removeAll(keepingCapacity: true) }
                for (position, value) in zip(missing, computed) { entries[keys[position]] = Entry(version: wanted[position], value: value) }
            }
        }
        let values = found.compactMap { $0 }
        guard values.count == items.count else { throw Abort(.internalServerError, reason: "cache: \(values.count) of \(items.count) values") }
        return values
    }

    /// A value computed from every plan (the overview's rows of a period, the plan list), kept while no plan changes.
    /// Any change to any plan makes all of them stale, so they are kept apart and few: a new one drops the stale ones.
    func value<Value: Sendable>(everyPlan key: String, versions: PlanChanges.Versions, compute: () async throws -> Value) async throws -> Value {
        let key = "\(key)|\(Value.self)"
        let version = versions.latest
        if let value = everyPlanEntries.withLockedValue({ $0[key].flatMap { $0.version == version ? $0.value as? Value : nil } }) { return value }
        let value = try await compute()
        everyPlanEntries.withLockedValue { entries in
            entries = entries.filter { $0.value.version == version }
            if entries.count >= Self.maximumEveryPlanEntries { entries.removeAll() }
            entries[key] = Entry(version: version, value: value)
        }
        return value
    }

    private let everyPlanEntries = NIOLockedValueBox<[String: Entry]>([:])
    /// Each holds every plan's rows (a few MB at 550 plans): spans, kinds, languages and days of one version.
    static let maximumEveryPlanEntries = 32

    var count: Int { entries.withLockedValue { $0.count } + everyPlanEntries.withLockedValue { $0.count } }
}

extension Application {
    private struct PlanResultsCacheKey: StorageKey { typealias Value = PlanResultsCache }

    /// One per application, made by `configure`.
    var planResultsCache: PlanResultsCache {
        get {
            guard let cache = storage[PlanResultsCacheKey.self] else { fatalError("configure(_:) makes the plan results cache") }
            return cache
        }
        set { storage[PlanResultsCacheKey.self] = newValue }
    }
}
