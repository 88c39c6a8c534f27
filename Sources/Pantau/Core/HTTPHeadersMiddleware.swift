import Crypto
import Foundation
import Vapor

/// Security headers on every response: no scripts at all, no framing, no type sniffing, no referrer leaks.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy = "default-src 'self'; script-src 'none'; object-src 'none'; img-src 'self' data:; style-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        return response
    }
}

/// Public answers carry an ETag; a client that already has the same bytes gets 304 Not Modified.
/// Signed-in pages are private and never cached by shared caches.
struct ConditionalGetMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        guard request.method == .GET, response.status == .ok, let body = response.body.buffer else { return response }
        let digest = SHA256.hash(data: body.readableBytesView).prefix(12).map { String(format: "%02x", $0) }.joined()
        // The language and the account change the page, so they are part of its identity.
        let etag = "\"\(digest)\""
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        let isPrivate = request.currentUser != nil || request.headers.bearerAuthorization != nil
        response.headers.replaceOrAdd(name: .cacheControl, value: isPrivate ? "private, no-cache" : "public, no-cache")
        response.headers.replaceOrAdd(name: .vary, value: "Cookie, Authorization, Accept-Encoding")
        if request.headers[.ifNoneMatch].contains(where: { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains(etag) }) {
            let notModified = Response(status: .notModified, headers: response.headers)
            return notModified
        }
        return response
    }
}
