import Crypto
import Fluent
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Who made a change, as the audit history records it.
public struct AuditActor: Sendable, Equatable {
    public let id: UUID?
    public let name: String

    public init(id: UUID?, name: String) {
        self.id = id
        self.name = name
    }

    /// Changes made by Pantau itself, such as loading the built-in plans on first start.
    public static let system = AuditActor(id: nil, name: "Pantau")
}

/// A change to record: what kind of object, which one, and its state before and after.
public struct AuditChange: Sendable {
    public let action: String
    public let objectType: String
    public let objectID: String
    public let before: String?
    public let after: String?
    public let reason: String

    public init<Before: Encodable, After: Encodable>(action: String, objectType: String, objectID: String,
                                                    before: Before?, after: After?, reason: String = "") {
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.before = before.flatMap(AuditLog.canonicalJSON)
        self.after = after.flatMap(AuditLog.canonicalJSON)
        self.reason = reason
    }
}

/// The append-only, hash-chained history of every change to plans, reports, evidence, scores, ratings,
/// minutes and accounts. A change and its entry are written in the same transaction.
public enum AuditLog {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Runs `body` in a transaction that also appends `changes` it returns. Audited writes are serialised:
    /// in this process by a lock (SQLite has one writer anyway), across processes by an advisory lock on PostgreSQL.
    public static func transaction<T: Sendable>(
        on database: any Database, actor: AuditActor,
        _ body: @escaping @Sendable (any Database) async throws -> (T, [AuditChange])
    ) async throws -> T {
        let (result, recorded) = try await writeLock.run {
            try await retryingWhenSQLiteIsBusy {
                try await database.transaction { transaction in
                    if let sql = transaction as? any SQLDatabase, sql.dialect.name == "postgresql" {
                        try await sql.raw("SELECT pg_advisory_xact_lock(7262820)").run()
                    }
                    let (result, changes) = try await body(transaction)
                    return (result, try await append(changes, actor: actor, on: transaction))
                }
            }
        }
        // Noted after the commit, so the application's caches see only committed changes, and see them at once.
        CommittedChanges.of(database)?.note(recorded)
        return result
    }

    private static let writeLock = AsyncLock()

    /// Appends the entries and records the plans they touched; returns the scopes and the last entry's sequence.
    private static func append(_ changes: [AuditChange], actor: AuditActor, on database: any Database) async throws -> PlanChanges.Recorded {
        guard !changes.isEmpty else { return PlanChanges.Recorded(scopes: [], sequence: 0) }
        let last = try await AuditEntryModel.query(on: database).sort(\.$id, .descending).first()
        var sequence = (last?.id ?? 0)
        var previous = last?.entryHash ?? genesisHash
        let now = ISO8601DateFormatter().string(from: Date())
        var entries: [AuditEntryModel] = []
        for change in changes {
            sequence += 1
            let entry = AuditEntryModel()
            entry.id = sequence
            entry.recordedAt = now
            entry.actorID = actor.id
            entry.actorName = actor.name
            entry.action = change.action
            entry.objectType = change.objectType
            entry.objectID = change.objectID
            entry.before = change.before
            entry.after = change.after
            entry.reason = change.reason
            entry.previousHash = previous
            entry.entryHash = hash(of: entry)
            previous = entry.entryHash
            entries.append(entry)
        }
        try await entries.create(on: database)
        return try await PlanChanges.record(changes, sequence: sequence, on: database)
    }

    /// SHA-256 over every field of the entry, including the previous entry's hash.
    static func hash(of entry: AuditEntryModel) -> String {
        let fields: [String] = [
            "\(entry.id ?? 0)", entry.recordedAt, entry.actorID?.uuidString ?? "", entry.actorName, entry.action,
            entry.objectType, entry.objectID, entry.before ?? "\u{0}", entry.after ?? "\u{0}", entry.reason, entry.previousHash,
        ]
        // Length-prefixed so that no two different entries serialise alike.
        let canonical = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The first entry whose link is broken, or nil when the whole chain holds.
    public struct BrokenLink: Sendable, Equatable {
        public let sequence: Int
        public let reason: Reason

        public enum Reason: String, Sendable {
            /// The entry's own hash does not match its content: it was edited.
            case contentChanged = "content_changed"
            /// The entry does not point at the entry before it: one was removed or reordered.
            case chainBroken = "chain_broken"
            /// A sequence number is missing.
            case gap
        }
    }

    public static func verify(on database: any Database) async throws -> (entries: Int, broken: BrokenLink?) {
        var previous = genesisHash
        var expected = 1
        var count = 0
        // In pages of entries, so that a long history does not need to fit in memory.
        let pageSize = 1000
        while true {
            let page = try await AuditEntryModel.query(on: database).filter(\.$id >= expected).sort(\.$id).limit(pageSize).all()
            for entry in page {
                guard entry.id == expected else { return (count, BrokenLink(sequence: expected, reason: .gap)) }
                guard entry.previousHash == previous else { return (count, BrokenLink(sequence: expected, reason: .chainBroken)) }
                guard hash(of: entry) == entry.entryHash else { return (count, BrokenLink(sequence: expected, reason: .contentChanged)) }
                previous = entry.entryHash
                expected += 1
                count += 1
            }
            if page.count < pageSize { return (count, nil) }
        }
    }

    /// The number of the newest entry: it grows with every change anywhere.
    public static func latestSequence(on database: any Database) async throws -> Int {
        try await AuditEntryModel.query(on: database).max(\.$id) ?? 0
    }

    /// The history of one object, newest first.
    public static func history(objectType: String, objectID: String, on database: any Database) async throws -> [AuditEntryModel] {
        try await AuditEntryModel.query(on: database)
            .filter(\.$objectType == objectType).filter(\.$objectID == objectID)
            .sort(\.$id, .descending).all()
    }

    static func canonicalJSON<T: Encodable>(_ value: T) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Runs a transaction, and again (at most 10 times in all) while SQLite answers that it is busy. SQLite's transactions
/// begin deferred: one that read, then wants to write while another connection (a session, a token's last use) writes
/// or has written, gets SQLITE_BUSY at once (waiting could deadlock) and must start again. (Taking the write lock first
/// instead made the driver's threads wait on each other.)
func retryingWhenSQLiteIsBusy<T>(_ transaction: () async throws -> T) async throws -> T {
    var attempt = 1
    while true {
        do {
            return try await transaction()
        } catch let error as SQLiteError where [.busy, .busyInSnapshot].contains(error.reason) && attempt < 10 {
            attempt += 1
        }
    }
}

/// Lets one task at a time through, in the order they arrived.
actor AsyncLock {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
