import Foundation
import Vapor

/// Every form carries a token tied to the session; a POST without the right one is refused.
extension Request {
    static let csrfSessionKey = "csrf"
    static let csrfFieldName = "_csrf"

    /// The session's token, created (with the session) when a page first needs one.
    func csrfToken() -> String {
        if let token = session.data[Self.csrfSessionKey] { return token }
        let token = [UInt8].random(count: 32).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        session.data[Self.csrfSessionKey] = token
        return token
    }

    func verifyCSRF() throws {
        let sent = try? content.get(String.self, at: Self.csrfFieldName)
        guard hasSession || cookies[SessionSettings.cookieName] != nil,
              let expected = session.data[Self.csrfSessionKey], let sent,
              constantTimeEqual(Array(expected.utf8), Array(sent.utf8))
        else { throw AppError.csrfFailed }
    }
}

private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
