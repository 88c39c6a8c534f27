import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Keeps rendered public pages (and read-API answers) for visitors without an account. Every change
/// anywhere is appended to the audit history first, so an entry is valid exactly as long as the history
/// has not grown. A change made by this process empties the cache at once; the history is re-read at most
/// once per `recheckInterval`, so a change made by another server process on the same database shows within it.
final class PublicPageCache: AsyncMiddleware, Sendable {
    private struct Entry {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: ByteBuffer

        var response: Response { Response(status: status, headers: headers, body: .init(buffer: body)) }
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    /// Pages being rendered now, with the requests waiting for them.
    private let inFlight = NIOLockedValueBox<[String: [CheckedContinuation<Entry?, Never>]]>([:])
    static let maximumEntries = 2000
    static let maximumBodySize = 2 * 1024 * 1024
    static let recheckInterval = TimeAmount.seconds(1)

    private struct VersionCheck {
        let version: Int
        let changesCommittedHere: Int
        let checkedAt: NIODeadline
    }

    private let lastCheck = NIOLockedValueBox<VersionCheck?>(nil)

    /// Pages that are per visitor (forms with a CSRF token) or files streamed from disk are never kept.
    private static let uncachedPrefixes = ["/login", "/logout", "/account", "/admin", "/report", "/verify", "/evidence", "/meetings/attachments",
                                           "/meetings/new", "/data/", "/search"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard request.method == .GET, request.currentUser == nil, !request.hasLiveSession, request.headers.bearerAuthorization == nil,
              !Self.uncachedPrefixes.contains(where: { path.hasPrefix($0) }), !path.contains("/export/")
        else { return try await next.respond(to: request) }

        let version = try await currentVersion(on: request.db)
        let key = "\(version)|\(request.language.rawValue)|\(request.url.string)"
        if let entry = entries.withLockedValue({ $0[key] }) { return entry.response }
        // After a change, many visitors ask for the same page at once: one renders it, the others wait for that.
        let leads = inFlight.withLockedValue { flights in
            guard flights[key] == nil else { return false }
            flights[key] = []
            return true
        }
        guard leads else {
            let rendered: Entry? = await withCheckedContinuation { continuation in
                let waiting = inFlight.withLockedValue { flights in
                    flights[key]?.append(continuation)
                    return flights[key] != nil
                }
                if !waiting { continuation.resume(returning: entries.withLockedValue { $0[key] }) }
            }
            if let rendered { return rendered.response }
            return try await next.respond(to: request)
        }
        var kept: Entry?
        defer {
            let waiters = inFlight.withLockedValue { $0.removeValue(forKey: key) ?? [] }
            for waiter in waiters { waiter.resume(returning: kept) }
        }
        let response = try await next.respond(to: request)
        // A page with a form token (or for a signed-in browser) is that browser's own.
        if response.status == .ok, response.headers[.setCookie].isEmpty, !request.carriesCSRFToken, !request.hasLiveSession,
           let body = response.body.buffer, body.readableBytes <= Self.maximumBodySize {
            // Tagged once here rather than hashed again on every hit.
            response.headers.replaceOrAdd(name: .eTag, value: ConditionalGetMiddleware.etag(of: body))
            let entry = Entry(status: response.status, headers: response.headers, body: body)
            entries.withLockedValue { entries in
                // Entries of older versions are dead; dropping everything when full keeps this simple and bounded.
                if entries.count >= Self.maximumEntries { entries.removeAll() }
                entries[key] = entry
            }
            kept = entry
        }
        return response
    }

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
