import Crypto
import Fluent
import Foundation
import Vapor

/// A signed-in browser's session. Rows are made only at sign-in (a visitor's forms keep their token in a cookie of
/// their own, see `CSRF.swift`), end `SessionMiddleware.idleLifetime` after their last use, and expired rows are
/// removed whenever someone signs in. A row is stored under the SHA-256 of its cookie value, never the value itself:
/// the table, a backup of it, and a query log (which shows the values queries filter on) give no one a live session.
final class SessionModel: Model, @unchecked Sendable {
    /// Made by Fluent's own sessions migration; `expires_at` was added by `UpdateSessionsAddExpiry`.
    static let schema = SessionRecord.schema

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "data") var data: [String: String]
    @OptionalField(key: "expires_at") var expiresAt: Date?
    /// The signed-in account (`UpdateSessionsAddAccount`), so that a password reset ends all its sessions.
    @OptionalField(key: "user_id") var userID: UUID?
    @OptionalField(key: "signed_in_at") var signedInAt: Date?

    init() {}

    init(key: String, data: [String: String], expiresAt: Date, userID: UUID?, signedInAt: Date) {
        self.key = key
        self.data = data
        self.expiresAt = expiresAt
        self.userID = userID
        self.signedInAt = signedInAt
    }

    /// Ends every session of an account (a password reset, a deactivation).
    static func endAll(of userID: UUID, on database: any Database) async throws {
        try await SessionModel.query(on: database).filter(\.$userID == userID).delete()
    }
}

/// The session of one request: the stored one its cookie named, or the one sign-in started.
private struct SessionState: Sendable {
    /// The cookie value of the stored session the request came with.
    var cookie: String?
    var data: [String: String]
    var expiresAt: Date
    var isNew = false
    var ended = false
}

extension Request {
    private struct SessionStateKey: StorageKey { typealias Value = SessionState }

    fileprivate var sessionState: SessionState? {
        get { storage[SessionStateKey.self] }
        set { storage[SessionStateKey.self] = newValue }
    }

    /// Whether this request belongs to a live session (a signed-in browser).
    var hasLiveSession: Bool { sessionState.map { !$0.ended } ?? false }

    /// A value of the live session, if there is one.
    func sessionValue(_ key: String) -> String? {
        guard let state = sessionState, !state.ended else { return nil }
        return state.data[key]
    }

    /// Starts a session holding `data` under a new id (sign-in): the one the request came with ends, so that an id
    /// planted before cannot be used afterwards.
    func startSession(_ data: [String: String]) {
        sessionState = SessionState(cookie: sessionState?.cookie, data: data, expiresAt: Date() + SessionMiddleware.idleLifetime, isNew: true)
    }

    /// Ends the live session: its row is removed and the browser told to forget the cookie.
    func endSession() {
        sessionState?.ended = true
    }
}

/// Loads the session a cookie names and saves what the request did to it (started, ended). A cookie that names no
/// live session (expired, signed out, made up) is told to go and creates nothing; a session used again gets a new
/// expiry, written at most once per `renewalInterval` rather than on every request.
struct SessionMiddleware: AsyncMiddleware {
    /// A session ends after this long without a request.
    static let idleLifetime: TimeInterval = 8 * 3600
    /// And this long after its sign-in, however active it is.
    static let absoluteLifetime: TimeInterval = 12 * 3600
    static let renewalInterval: TimeInterval = 5 * 60

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let sent = request.cookies[SessionSettings.cookieName]?.string
        if let sent, let row = try await SessionModel.query(on: request.db).filter(\.$key == Self.key(sent))
            .filter(\.$expiresAt > Date()).filter(\.$signedInAt > Date() - Self.absoluteLifetime).first() {
            request.sessionState = SessionState(cookie: sent, data: row.data, expiresAt: row.expiresAt ?? Date())
        }
        let response = try await next.respond(to: request)
        try await save(request, sent: sent, into: response)
        if let token = request.newVisitorCSRFToken {
            response.cookies[SessionSettings.csrfCookieName] = SessionSettings.cookie(token, on: request.application)
        }
        return response
    }

    private func save(_ request: Request, sent: String?, into response: Response) async throws {
        let database = request.db
        let now = Date()
        guard let state = request.sessionState else {
            if sent != nil { response.cookies[SessionSettings.cookieName] = .expired }
            return
        }
        if state.ended || state.isNew, let old = state.cookie {
            try await SessionModel.query(on: database).filter(\.$key == Self.key(old)).delete()
        }
        if state.ended {
            response.cookies[SessionSettings.cookieName] = .expired
        } else if state.isNew {
            let cookie = Self.newCookieValue()
            try await SessionModel(key: Self.key(cookie), data: state.data, expiresAt: now + Self.idleLifetime,
                                   userID: state.data[AuthenticationMiddleware.sessionUserKey].flatMap(UUID.init(uuidString:)),
                                   signedInAt: now).create(on: database)
            try await SessionModel.query(on: database).filter(\.$expiresAt < now).delete()
            response.cookies[SessionSettings.cookieName] = SessionSettings.cookie(cookie, on: request.application)
        } else if let cookie = state.cookie, state.expiresAt < now + Self.idleLifetime - Self.renewalInterval {
            try await SessionModel.query(on: database).filter(\.$key == Self.key(cookie)).set(\.$expiresAt, to: now + Self.idleLifetime).update()
        }
    }

    static func newCookieValue() -> String {
        Data([UInt8].random(count: 32)).base64EncodedString()
    }

    static func key(_ cookie: String) -> String {
        SHA256.hash(data: Data(cookie.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Cookie settings: HttpOnly and SameSite always, Secure when Pantau is served over TLS.
enum SessionSettings {
    static let cookieName = "pantau_session"
    /// A visitor's CSRF token, for the sign-in and comment forms, without a session.
    static let csrfCookieName = "pantau_csrf"

    static func cookie(_ value: String, on app: Application) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: nil, maxAge: nil, domain: nil, path: "/", isSecure: app.secureCookies,
                          isHTTPOnly: true, sameSite: .lax)
    }
}

extension Application {
    private struct SecureCookiesKey: StorageKey { typealias Value = Bool }

    /// Set when `PANTAU_PUBLIC_URL` is https.
    var secureCookies: Bool {
        get { storage[SecureCookiesKey.self] ?? false }
        set { storage[SecureCookiesKey.self] = newValue }
    }
}
