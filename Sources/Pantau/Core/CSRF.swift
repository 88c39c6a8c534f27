import Foundation
import Vapor

/// Every form carries a token; a POST without the right one is refused. A signed-in browser's token lives in its
/// session; a visitor without one (the sign-in and comment forms) gets a token in a cookie of its own, which costs
/// no row anywhere. A page that carries a token is that browser's own: `PublicPageCache` never keeps it and it is
/// never `Cache-Control: public`.
extension Request {
    static let csrfSessionKey = "csrf"
    static let csrfFieldName = "_csrf"

    /// The token this request's page carries, and whether a visitor's cookie must be set for it.
    private struct IssuedToken: Sendable {
        let token: String
        let setsCookie: Bool
    }

    private struct CSRFTokenKey: StorageKey { typealias Value = IssuedToken }

    static func newCSRFToken() -> String {
        [UInt8].random(count: 32).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
    }

    /// The token for this request's forms: the session's, else the visitor's cookie's, else a new one for that cookie.
    func csrfToken() -> String {
        if let issued = storage[CSRFTokenKey.self] { return issued.token }
        let issued: IssuedToken
        if let token = sessionValue(Self.csrfSessionKey) {
            issued = IssuedToken(token: token, setsCookie: false)
        } else if let token = cookies[SessionSettings.csrfCookieName]?.string, Self.isWellFormed(token) {
            issued = IssuedToken(token: token, setsCookie: false)
        } else {
            issued = IssuedToken(token: Self.newCSRFToken(), setsCookie: true)
        }
        storage[CSRFTokenKey.self] = issued
        return issued.token
    }

    /// Whether this request's answer carries a CSRF token.
    var carriesCSRFToken: Bool { storage[CSRFTokenKey.self] != nil }

    /// A token made for a visitor by this request, for `SessionMiddleware` to set as a cookie.
    var newVisitorCSRFToken: String? { storage[CSRFTokenKey.self].flatMap { $0.setsCookie ? $0.token : nil } }

    func verifyCSRF() throws {
        let sent = try? content.get(String.self, at: Self.csrfFieldName)
        let expected = hasLiveSession ? sessionValue(Self.csrfSessionKey) : cookies[SessionSettings.csrfCookieName]?.string
        guard let expected, Self.isWellFormed(expected), let sent, constantTimeEqual(Array(expected.utf8), Array(sent.utf8))
        else { throw AppError.csrfFailed }
    }

    /// What `newCSRFToken` makes: 32 random bytes in URL-safe base64.
    private static func isWellFormed(_ token: String) -> Bool {
        token.wholeMatch(of: /[A-Za-z0-9_-]{43}=/) != nil
    }
}

private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
