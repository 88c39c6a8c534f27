import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Keeps rendered public pages (and read-API answers) for visitors without an account. Every change
/// anywhere is appended to the audit history first, so an entry is valid exactly as long as the history
/// has not grown. A change made by this process empties the cache at once; the history is re-read at most
/// once per `recheckInterval`, so a change made by another server process on the same database shows within it.
///
/// A page is kept under its path, its language and the query parameters its route reads (`routes.swift`), nothing
/// else: the request is reduced to those before it is answered, so made-up parameters make no entry of their own.
/// All entries together hold at most `maximumBytes`; the oldest go first. A page that carries a CSRF token, or was
/// asked for by a signed-in browser, is that browser's own and never kept.
final class PublicPageCache: AsyncMiddleware, Sendable {
    private struct Entry {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: ByteBuffer

        var response: Response { Response(status: status, headers: headers, body: .init(buffer: body)) }
    }

    /// The entries of one version of the audit history on one day of the application's clock (pages say what is due
    /// or late, and which year is in progress), oldest first.
    private struct Store {
        var version = Int.min
        var day = Int.min
        var entries: [String: (entry: Entry, size: Int)] = [:]
        var order: [String] = []
        var bytes = 0

        /// Moves to `version` on `day` (emptying the store) if it is newer or another day; older versions find nothing.
        mutating func entry(_ key: String, at version: Int, on day: Int) -> Entry? {
            if version > self.version || (version == self.version && day != self.day) { self = Store(version: version, day: day) }
            return version == self.version && day == self.day ? entries[key]?.entry : nil
        }

        mutating func keep(_ entry: Entry, under key: String, at version: Int, on day: Int, maximumBytes: Int) {
            guard version == self.version, day == self.day, entries[key] == nil else { return }
            let size = key.utf8.count + entry.body.readableBytes + entry.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
            guard size <= maximumBytes else { return }
            var dropped = 0
            while bytes + size > maximumBytes, dropped < order.count {
                bytes -= entries.removeValue(forKey: order[dropped])?.size ?? 0
                dropped += 1
            }
            order.removeFirst(dropped)
            entries[key] = (entry, size)
            order.append(key)
            bytes += size
        }
    }

    private let store = NIOLockedValueBox(Store())
    /// Pages being rendered now, with the requests waiting for them.
    private let inFlight = NIOLockedValueBox<[String: [CheckedContinuation<Entry?, Never>]]>([:])
    static let maximumBodySize = 2 * 1024 * 1024
    static let recheckInterval = TimeAmount.seconds(1)
    /// What all entries together may hold: their bodies, headers and keys.
    let maximumBytes: Int

    init(maximumBytes: Int = 64 * 1024 * 1024) {
        self.maximumBytes = maximumBytes
    }

    /// What the entries hold now.
    var storedBytes: Int { store.withLockedValue { $0.bytes } }

    private struct VersionCheck {
        let version: Int
        let changesCommittedHere: Int
        let checkedAt: NIODeadline
    }

    private let lastCheck = NIOLockedValueBox<VersionCheck?>(nil)

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        // A page that shows a notice after a redirect is that browser's own.
        guard request.method == .GET, request.currentUser == nil, !request.hasLiveSession, request.headers.bearerAuthorization == nil,
              request.cookies[Notice.cookieName] == nil,
              // Pages that are per visitor (forms with a CSRF token) or files streamed from disk are never kept (`SiteRoute.isPersonal`).
              let route = request.route, route.isCacheable
        else { return try await next.respond(to: request) }

        request.url = Self.canonicalURL(of: request, reading: route.queryParameters)
        let version = try await currentVersion(on: request.db)
        // The day in Jakarta (UTC+7 all year, no daylight saving) by arithmetic: no calendar work on the cached path.
        let day = Int(((request.now.timeIntervalSince1970 + 7 * 3600) / 86_400).rounded(.down))
        let key = "\(request.language.rawValue)|\(request.url.string)"
        if let entry = store.withLockedValue({ $0.entry(key, at: version, on: day) }) { return entry.response }
        // After a change, many visitors ask for the same page at once: one renders it, the others wait for that.
        let flight = "\(version)|\(day)|\(key)"
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
                if !waiting { continuation.resume(returning: store.withLockedValue { $0.entry(key, at: version, on: day) }) }
            }
            if let rendered { return rendered.response }
            return try await next.respond(to: request)
        }
        var kept: Entry?
        defer {
            let waiters = inFlight.withLockedValue { $0.removeValue(forKey: flight) ?? [] }
            for waiter in waiters { waiter.resume(returning: kept) }
        }
        let response = try await next.respond(to: request)
        // A page with a form token (or for a signed-in browser) is that browser's own.
        if response.status == .ok, response.headers[.setCookie].isEmpty, !request.carriesCSRFToken, !request.hasLiveSession,
           let body = response.body.buffer, body.readableBytes <= Self.maximumBodySize {
            // Tagged once here rather than hashed again on every hit.
            response.headers.replaceOrAdd(name: .eTag, value: ConditionalGetMiddleware.etag(of: body))
            let entry = Entry(status: response.status, headers: response.headers, body: body)
            store.withLockedValue { $0.keep(entry, under: key, at: version, on: day, maximumBytes: maximumBytes) }
            kept = entry
        }
        return response
    }

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

    /// The newest audit entry, read from the database only when this process changed something or the last
    /// reading is older than `recheckInterval`.
    private func currentVersion(on database: any Database) async throws -> Int {
        let committed = AuditLog.changesCommittedHere
        if let check = lastCheck.withLockedValue({ $0 }), check.changesCommittedHere == committed,
           NIODeadline.now() - check.checkedAt < Self.recheckInterval {
            return check.version
        }
        let version = try await AuditLog.latestSequence(on: database)
        lastCheck.withLockedValue { $0 = VersionCheck(version: version, changesCommittedHere: committed, checkedAt: .now()) }
        return version
    }
}
