import Fluent
import Vapor

/// Signing in and out of the web pages.
struct SessionController {
    struct LoginForm: Content {
        let email: String
        let password: String
        let next: String?
    }

    /// Bcrypt of a password nobody has: compared against when the e-mail is unknown, so that the answer
    /// takes as long as for a real account and does not reveal which addresses exist.
    private static let decoyHash = try! Bcrypt.hash("pantau-decoy-password")

    func form(req: Request) async throws -> View {
        let next = Self.safeNext((try? req.query.get(String.self, at: "next")) ?? SiteURL.work.path())
        return try await render(req, next: next, email: "", error: nil)
    }

    func login(req: Request) async throws -> Response {
        let form = try req.decodeForm(LoginForm.self)
        let email = form.email.trimmingCharacters(in: .whitespaces).lowercased()
        let next = Self.safeNext(form.next ?? SiteURL.work.path())
        // Counted before the password is checked (a failure is an attempt that was never taken back).
        let attempt: LoginThrottle.Attempt
        do {
            attempt = try await req.application.loginThrottle.begin(email: email, address: req.clientAddress, on: req.db)
        } catch let error as AppError {
            return try await render(req, next: next, email: email, error: req.application.localizer.message(for: error, req.language))
                .encodeResponse(status: .tooManyRequests, for: req)
        }
        let user = try await UserModel.query(on: req.db).filter(\.$email == email).first()
        let valid = try Bcrypt.verify(form.password, created: user?.passwordHash ?? Self.decoyHash) && user != nil
        guard valid, let user else {
            return try await render(req, next: next, email: email, error: req.t("error.invalid_credentials"))
                .encodeResponse(status: .unauthorized, for: req)
        }
        // Said only to whoever knows the password, so a stranger learns no more than from a wrong one. The attempt keeps
        // counting against the throttle: a deactivated account is not signed in to.
        guard user.isActive else {
            return try await render(req, next: next, email: email, error: req.t("login.deactivated"))
                .encodeResponse(status: .forbidden, for: req)
        }
        try await req.application.loginThrottle.succeeded(attempt, on: req.db)
        // A new session id at sign-in, so that an id planted before cannot be used afterwards.
        req.startSession([AuthenticationMiddleware.sessionUserKey: user.id!.uuidString, Request.csrfSessionKey: Request.newCSRFToken()])
        return req.redirect(to: next, redirectType: .normal)
    }

    func logout(req: Request) async throws -> Response {
        req.endSession()
        return req.redirect(to: "/", redirectType: .normal)
    }

    private func render(_ req: Request, next: String, email: String, error: String?) async throws -> View {
        try await req.view.render("login", LoginPage(page: PageMeta(request: req, title: req.t("login.title")),
                                                     csrf: req.csrfToken(), next: next, email: email, error: error))
    }

    /// Only a path on this site, as it goes into the `Location` header: it starts with one "/" ("//" names another host),
    /// holds visible ASCII only (no space, tab, CR, LF or other control character, so no header can be added through
    /// it and no browser reads it as another address; addresses arrive percent-encoded) and no backslash, and parses
    /// as a URL without scheme or host. Anything else is "/".
    static func safeNext(_ next: String) -> String {
        guard next.hasPrefix("/"), !next.hasPrefix("//"),
              next.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != "\\" }),
              let url = URLComponents(string: next), url.scheme == nil, url.host == nil, url.path.hasPrefix("/")
        else { return "/" }
        return next
    }
}
