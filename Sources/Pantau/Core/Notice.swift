import Foundation
import Vapor

/// Post/Redirect/Get: a form that succeeded answers with a redirect (303), and the page it leads to says what happened,
/// once. The notice travels as a localisation key (with its values) in a short-lived cookie rather than in a session,
/// so visitors who comment get one too without a session being made for them; only keys that exist are shown.
enum Notice {
    static let cookieName = "pantau-notice"
    /// Long enough for the redirect to be followed; the page that shows the notice removes it.
    static let lifetimeSeconds = 120

    struct Payload: Codable {
        let key: String
        let arguments: [String]
    }

    static func encode(_ payload: Payload) -> String {
        let data = (try? JSONEncoder().encode(payload)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ value: String) -> Payload? {
        guard value.count <= 2048 else { return nil }
        var base64 = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONDecoder().decode(Payload.self, from: data)
    }
}

extension Request {
    /// The answer to a form that succeeded: to `path` (303 See Other, so a reload repeats the GET, never the POST), with
    /// the notice `key` shown once there.
    func redirect(to path: String, notice key: String, _ arguments: String...) -> Response {
        let response = redirect(to: path, redirectType: .normal)
        response.cookies[Notice.cookieName] = HTTPCookies.Value(
            string: Notice.encode(Notice.Payload(key: key, arguments: arguments)), maxAge: Notice.lifetimeSeconds, path: "/",
            isSecure: application.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// The notice a redirect left for this page, in the reader's language; nil when there is none or its key is unknown.
    var pendingNotice: String? {
        guard let value = cookies[Notice.cookieName]?.string, let payload = Notice.decode(value),
              application.localizer.messages[.default]?[payload.key] != nil
        else { return nil }
        return application.localizer.text(payload.key, language, Array(payload.arguments.prefix(5)))
    }
}

/// Removes the notice cookie once a page has been shown with it (a redirect keeps it for the page it leads to).
struct NoticeMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.cookies[Notice.cookieName] != nil, request.method == .GET, !(300..<400).contains(response.status.code),
           response.cookies[Notice.cookieName] == nil {
            response.cookies[Notice.cookieName] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0,
                                                                    path: "/", isSecure: request.application.secureCookies,
                                                                    isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}
