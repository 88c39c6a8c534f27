import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Keeps rendered public pages (and read-API answers) for visitors without an account. Every change anywhere is
/// appended to the audit history first, with the plans it touched (`PlanChanges`), so a page of one plan (an address
/// with its `:code`) is valid exactly as long as that plan's visible version has not moved, and a page about every plan
/// (the home page, lists, the overview) as long as no plan's has. Changes only a plan's staff can see (a report of a
/// semester not yet published) leave every page valid: implementers reporting do not empty the cache.
///
/// A change made by this process is seen at once; the versions are re-read at most once per `recheckInterval`, so a
/// change made by another server process on the same database shows within it.
///
/// It runs before sessions and accounts are looked at (`configure.swift`): a request without a session cookie, a
/// notice cookie or a bearer token is a visitor's, and a kept page is answered without any of that work.
///
/// A page is kept under its path, its language and the query parameters its route reads (`routes.swift`), nothing
/// else: the request is reduced to those before it is answered, so made-up parameters make no entry of their own.
/// All entries together hold at most `maximumBytes`; the oldest go first. A page that carries a CSRF token, or was
/// asked for by a signed-in browser, is that browser's own and never kept.
final class PublicPageCache: Middleware, Sendable {
    private struct Entry {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: ByteBuffer

        var response: Response { Response(status: status, headers: headers, body: .init(buffer: body)) }
    }

    /// What a kept page was made from: the plan whose page it is (nil: a page about every plan), that plan's visible
    /// version when it was made, and the day of the application's clock (pages say what is due or late, and which year
    /// is in progress).
    private struct Stamp: Equatable {
        let plan: String?
        let version: Int
        let day: Int
    }

    /// The versions read last, with the newest visible change to any plan worked out once rather than on every request.
    private struct Versions {
        let byPlan: PlanChanges.Versions
        let latestVisible: Int
        let latest: Int

        init(_ versions: PlanChanges.Versions) {
            byPlan = versions
            latestVisible = versions.latestVisible
            latest = versions.latest
        }

        func visible(_ plan: String?) -> Int { plan.map(byPlan.visible(scope:)) ?? latestVisible }
    }

    /// The entries, and their keys in the order they were kept (oldest first; a key kept again leaves a stale place).
    private struct Store {
        var entries: [String: (entry: Entry, stamp: Stamp, size: Int, place: Int)] = [:]
        var order: [(key: String, place: Int)] = []
        var firstLive = 0
        var places = 0
        var bytes = 0

        /// The entry kept under `key` if it is still valid; a stale one is dropped.
        mutating func entry(_ key: String, isValid: (Stamp) -> Bool) -> Entry? {
            guard let stored = entries[key] else { return nil }
            if isValid(stored.stamp) { return stored.entry }
            remove(key)
            return nil
        }

        mutating func keep(_ entry: Entry, stamp: Stamp, under key: String, maximumBytes: Int) {
            let size = key.utf8.count + entry.body.readableBytes + entry.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
            guard size <= maximumBytes else { return }
            remove(key)
            while bytes + size > maximumBytes, firstLive < order.count {
                let (oldest, place) = order[firstLive]
                firstLive += 1
                if entries[oldest]?.place == place { remove(oldest) }
            }
            // Places before `firstLive` are gone for good: the list is compacted once they are most of it.
            if firstLive > 1024, firstLive * 2 > order.count {
                order.removeFirst(firstLive)
                firstLive = 0
            }
            places += 1
            entries[key] = (entry, stamp, size, places)
            order.append((key, places))
            bytes += size
        }

        private mutating func remove(_ key: String) {
            bytes -= entries.removeValue(forKey: key)?.size ?? 0
        }
    }

    private let store = NIOLockedValueBox(Store())
    /// Pages being rendered now, with the requests waiting for them.
    private let inFlight = NIOLockedValueBox<[String: [CheckedContinuation<Entry?, Never>]]>([:])
    static let maximumBodySize = 2 * 1024 * 1024
    /// How long another process's change may go unseen here (twice this at most); reading the versions is one small query.
    let recheckInterval: TimeAmount
    /// What all entries together may hold: their bodies, headers and keys.
    let maximumBytes: Int

    /// The changes this application commits (`configure` gives the same to its database configuration).
    private let committedChanges: CommittedChanges

    init(committedChanges: CommittedChanges, maximumBytes: Int = 64 * 1024 * 1024, recheckInterval: TimeAmount = .milliseconds(500)) {
        self.committedChanges = committedChanges
        self.maximumBytes = maximumBytes
        self.recheckInterval = recheckInterval
    }

    /// What the entries hold now.
    var storedBytes: Int { store.withLockedValue { $0.bytes } }

    /// Pages rendered for visitors since the start (each a miss): how tests tell a kept page from one made again.
    var renders: Int { renderCount.withLockedValue { $0 } }
    private let renderCount = NIOLockedValueBox(0)

    /// Forgets every kept page (tests compare a kept page with one made afresh).
    func empty() { store.withLockedValue { $0 = Store() } }

    /// A reading of the versions, with this process's own changes merged in (`committed`: how many of them).
    private struct VersionCheck {
        let versions: Versions
        let committed: Int
        let checkedAt: NIODeadline

        /// The same reading with the application's changes committed since merged in: nothing to read from the database.
        func merging(_ changes: CommittedChanges) -> VersionCheck {
            guard changes.transactions != committed else { return self }
            let here = changes.current
            return VersionCheck(versions: Versions(versions.byPlan.merging(here)), committed: here.transactions, checkedAt: checkedAt)
        }
    }

    private let lastCheck = NIOLockedValueBox<VersionCheck?>(nil)

    /// Before sessions are read: a visitor is a request without a session cookie, a notice to show after a redirect or a
    /// bearer token. Pages that are per visitor (forms with a CSRF token) or files streamed from disk are never kept
    /// (`SiteRoute.isPersonal`). A kept page is answered right here on the event loop: no task, no database, no await
    /// (future-based for that, as every middleware before it in `configure.swift`); anything else goes on in a task.
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET, request.headers.bearerAuthorization == nil, let route = request.route, route.isCacheable,
              request.headers.cookie == nil || (request.cookies[SessionSettings.cookieName] == nil && request.cookies[Notice.cookieName] == nil)
        else { return next.respond(to: request) }
        if let kept = keptPage(request, route: route) { return request.eventLoop.makeSucceededFuture(kept.response) }
        return request.eventLoop.makeFutureWithTask {
            try await self.answer(request, route: route, chainingTo: AsyncBasicResponder { try await next.respond(to: $0).get() })
        }
    }

    /// The kept page for the request, if the versions read last are recent enough to tell that it is valid.
    private func keptPage(_ request: Request, route: Route) -> Entry? {
        guard let versions = recentVersions(on: request.application.db) else { return nil }
        if request.url.query != nil { request.url = Self.canonicalURL(of: request, reading: route.queryParameters) }
        let day = Self.day(of: request)
        let key = Self.key(of: request)
        return store.withLockedValue { $0.entry(key, isValid: { $0.day == day && $0.version == versions.visible($0.plan) }) }
    }

    /// The day in Jakarta (UTC+7 all year, no daylight saving) by arithmetic: no calendar work on the cached path.
    private static func day(of request: Request) -> Int {
        Int(((request.now.timeIntervalSince1970 + 7 * 3600) / 86_400).rounded(.down))
    }

    private static func key(of request: Request) -> String { "\(request.language.rawValue)|\(request.url.string)" }

    /// The same cache after sessions are read, for a request whose session cookie names no live session (expired, signed
    /// out, made up): it is a visitor too, and must not be able to make Pantau render a page each time by sending one.
    struct AfterSessions: AsyncMiddleware {
        let cache: PublicPageCache

        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            guard request.method == .GET, request.cookies[SessionSettings.cookieName] != nil, !request.hasLiveSession, request.currentUser == nil,
                  request.cookies[Notice.cookieName] == nil, request.headers.bearerAuthorization == nil, let route = request.route, route.isCacheable
            else { return try await next.respond(to: request) }
            return try await cache.answer(request, route: route, chainingTo: next)
        }
    }

    private func answer(_ request: Request, route: Route, chainingTo next: any AsyncResponder) async throws -> Response {
        // Reduced once: the reduced address reduces to itself.
        if request.url.query != nil { request.url = Self.canonicalURL(of: request, reading: route.queryParameters) }
        let versions = try await currentVersions(on: request.application.db)
        let day = Self.day(of: request)
        let key = Self.key(of: request)
        let isValid = { (stamp: Stamp) in stamp.day == day && stamp.version == versions.visible(stamp.plan) }
        if let entry = store.withLockedValue({ $0.entry(key, isValid: isValid) }) { return entry.response }

        // After a change, many visitors ask for the same page at once: one renders it, the others wait for that.
        let flight = "\(versions.latest)|\(day)|\(key)"
        let leads = inFlight.withLockedValue { flights in
            guard flights[flight] == nil else { return false }
            flights[flight] = []
            return true
        }
        guard leads else {
            let rendered: Entry? = await withCheckedContinuation { continuation in
                let waiting = inFlight.withLockedValue { flights in
                    flights[flight]?.append(continuation)
                    return flights[flight] != nil
                }
                if !waiting { continuation.resume(returning: store.withLockedValue { $0.entry(key, isValid: isValid) }) }
            }
            if let rendered { return rendered.response }
            return try await next.respond(to: request)
        }
        var kept: Entry?
        defer {
            let waiters = inFlight.withLockedValue { $0.removeValue(forKey: flight) ?? [] }
            for waiter in waiters { waiter.resume(returning: kept) }
        }
        // The plan the page is of, read before it is rendered: a change while it renders leaves it stamped older.
        let plan: String? = try await request.parameters.get("code").asyncFlatMap { code in
            try await ActionPlanModel.query(on: request.db).filter(\.$code == code).field(\.$id).first()?.id?.uuidString
        }
        let stamp = Stamp(plan: plan, version: versions.visible(plan), day: day)
        renderCount.withLockedValue { $0 += 1 }
        let response = try await next.respond(to: request)
        // A page with a form token (or for a signed-in browser) is that browser's own.
        if response.status == .ok, response.headers[.setCookie].isEmpty, !request.carriesCSRFToken, !request.hasLiveSession,
           request.currentUser == nil, let body = response.body.buffer, body.readableBytes <= Self.maximumBodySize {
            // Tagged once here rather than hashed again on every hit.
            response.headers.replaceOrAdd(name: .eTag, value: ConditionalGetMiddleware.etag(of: body))
            // A proxy in front (deploy/nginx-pantau.conf) may keep this page, and only pages kept here, for a second
            // (nginx reads the header and does not pass it on; it counts whole seconds, so one to two). Visitors may see a
            // change that much later.
            response.headers.replaceOrAdd(name: Self.sharedCacheHeader, value: "\(Self.sharedCacheSeconds)")
            let entry = Entry(status: response.status, headers: response.headers, body: body)
            store.withLockedValue { $0.keep(entry, stamp: stamp, under: key, maximumBytes: maximumBytes) }
            kept = entry
        }
        return response
    }

    /// How long a proxy in front may keep a visitor's page, and the header that tells nginx so. Not `Cache-Control`: that
    /// reaches browsers and every cache on the way, and a kept page's `public, no-cache` makes them ask again each time.
    static let sharedCacheHeader: HTTPHeaders.Name = "X-Accel-Expires"
    static let sharedCacheSeconds = 1

    /// The request's path with only the query parameters its route reads (`lang` is in the key as the language), in
    /// a fixed order, each once, as the handler would read it.
    static func canonicalURL(of request: Request, reading names: [String]) -> URI {
        let query = names.sorted().compactMap { name -> String? in
            guard let value = try? request.query.get(String.self, at: name) else { return nil }
            return name + "=" + (value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "")
        }.joined(separator: "&")
        var url = request.url
        url.query = query.isEmpty ? nil : query
        url.fragment = nil
        return url
    }

    /// RFC 3986's unreserved characters: everything else in a value is percent-encoded.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The versions to judge kept pages by without waiting: the last reading, with this process's changes since merged
    /// in, unless it is older than twice `recheckInterval` (then the caller waits for a new reading). A reading older
    /// than `recheckInterval` is still used, and one new reading is started beside it: under load visitors never wait
    /// for it, and many of them never read the versions at once; another process's change shows within a second.
    /// The database is asked for only when a reading starts: making a database handle (`Application.db`) on every
    /// visitor's request was a tenth of the kept path's time on PostgreSQL.
    private func recentVersions(on database: @autoclosure () -> any Database) -> Versions? {
        guard let check = checkedHere() else { return nil }
        let age = NIODeadline.now() - check.checkedAt
        guard age < recheckInterval * 2 else { return nil }
        if age >= recheckInterval { _ = reading(on: database()) }
        return check.versions
    }

    /// The plans' versions as of now: the last reading if it is recent, with this process's changes since merged in,
    /// else a new reading (one at a time, shared by everyone waiting for it).
    private func currentVersions(on database: @autoclosure () -> any Database) async throws -> Versions {
        if let check = checkedHere(), NIODeadline.now() - check.checkedAt < recheckInterval { return check.versions }
        return try await reading(on: database()).value
    }

    /// The last reading with this process's changes merged in: a change made here shows at once, without a query.
    private func checkedHere() -> VersionCheck? {
        lastCheck.withLockedValue { last in
            guard let check = last?.merging(committedChanges) else { return nil }
            if check.committed != last?.committed { last = check }
            return check
        }
    }

    private let currentReading = NIOLockedValueBox<Task<Versions, any Error>?>(nil)

    /// The reading in progress, else a new one. What this process committed is merged in after the table is read, so
    /// a reading begun before a change here still includes it.
    private func reading(on database: @autoclosure () -> any Database) -> Task<Versions, any Error> {
        currentReading.withLockedValue { current in
            if let current { return current }
            let database = database()
            let task = Task { [lastCheck, currentReading, committedChanges] in
                defer { currentReading.withLockedValue { $0 = nil } }
                let read = try await PlanChanges.versions(on: database)
                let here = committedChanges.current
                let versions = Versions(read.merging(here))
                lastCheck.withLockedValue { $0 = VersionCheck(versions: versions, committed: here.transactions, checkedAt: .now()) }
                return versions
            }
            current = task
            return task
        }
    }
}

extension Application {
    private struct PublicPageCacheKey: StorageKey { typealias Value = PublicPageCache }

    /// One per application, made by `configure`.
    var publicPageCache: PublicPageCache {
        get {
            guard let cache = storage[PublicPageCacheKey.self] else { fatalError("configure(_:) makes the public page cache") }
            return cache
        }
        set { storage[PublicPageCacheKey.self] = newValue }
    }
}
