import Crypto
import Foundation
import Vapor

/// Security headers on every response: no scripts at all, no framing, no type sniffing, no referrer leaks.
/// Future-based, as every middleware before the page cache (`configure.swift`): a kept page passes without a task hop.
struct SecurityHeadersMiddleware: Middleware {
    static let contentSecurityPolicy = "default-src 'self'; script-src 'none'; object-src 'none'; img-src 'self' data:; style-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        return response
        }
    }
}

/// Public answers carry an ETag; a client that already has the same bytes gets 304 Not Modified.
/// Signed-in pages and pages with a form token are private and never cached by shared caches.
/// Future-based, as every middleware before the page cache (`configure.swift`).
struct ConditionalGetMiddleware: Middleware {
    /// A strong validator from the bytes themselves: the first 12 bytes of their SHA-256, in hex and quotes.
    static func etag(of body: ByteBuffer) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\"")]
        for byte in SHA256.hash(data: body.readableBytesView).prefix(12) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        text.append(UInt8(ascii: "\""))
        return String(decoding: text, as: UTF8.self)
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { Self.revalidate($0, for: request) }
    }

    private static func revalidate(_ response: Response, for request: Request) -> Response {
        guard request.method == .GET, response.status == .ok, let body = response.body.buffer else { return response }
        // A page that must not be kept anywhere (it shows a password once) stays so, without a tag to revalidate.
        if response.headers[.cacheControl].contains(where: { $0.contains("no-store") }) { return response }
        // A page from the public page cache carries the tag computed when it was stored.
        let etag = response.headers.first(name: .eTag) ?? etag(of: body)
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        // A signed-in page, or one with a form token, is that browser's own: no shared cache may keep it.
        let isPrivate = request.currentUser != nil || request.hasLiveSession || request.carriesCSRFToken
            || request.headers.bearerAuthorization != nil
        response.headers.replaceOrAdd(name: .cacheControl, value: isPrivate ? "private, no-cache" : "public, no-cache")
        response.headers.replaceOrAdd(name: .vary, value: "Cookie, Authorization, Accept-Encoding")
        if request.headers[.ifNoneMatch].contains(where: { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains(etag) }) {
            let notModified = Response(status: .notModified, headers: response.headers)
            return notModified
        }
        return response
    }
}
