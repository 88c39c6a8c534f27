import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Keeps rendered public pages (and read-API answers) for visitors without an account. Every change
/// anywhere is appended to the audit history first, so an entry is valid exactly as long as the history
/// has not grown: one indexed look-up per request, correct across several server processes.
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

    /// Pages that are per visitor (forms with a CSRF token) or files streamed from disk are never kept.
    private static let uncachedPrefixes = ["/login", "/logout", "/account", "/admin", "/report", "/verify", "/evidence", "/meetings/attachments",
                                           "/meetings/new", "/data/", "/search"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard request.method == .GET, request.currentUser == nil, request.headers.bearerAuthorization == nil,
              !Self.uncachedPrefixes.contains(where: { path.hasPrefix($0) }), !path.contains("/export/"),
              request.cookies[SessionSettings.cookieName] == nil
        else { return try await next.respond(to: request) }

        let version = try await AuditLog.latestSequence(on: request.db)
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
        if response.status == .ok, response.headers[.setCookie].isEmpty, let body = response.body.buffer, body.readableBytes <= Self.maximumBodySize {
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
}
