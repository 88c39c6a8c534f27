import Vapor

extension Application {
    private struct LocalizerKey: StorageKey { typealias Value = Localizer }

    /// The localisation catalogue, loaded once at start-up by `configure(_:)`. A request still answering while the
    /// application shuts down finds it gone; it then gets the bare keys rather than bringing the process down.
    public var localizer: Localizer {
        get { storage[LocalizerKey.self] ?? Localizer(messages: [:]) }
        set { storage[LocalizerKey.self] = newValue }
    }
}

extension Request {
    private struct LanguageKey: StorageKey { typealias Value = Language }

    /// The language of this request's answer, chosen by `LanguageMiddleware`.
    public var language: Language {
        get { storage[LanguageKey.self] ?? .default }
        set { storage[LanguageKey.self] = newValue }
    }

    /// Localised text in the request's language.
    public func t(_ key: String, _ arguments: String...) -> String {
        application.localizer.text(key, language, arguments)
    }
}

/// Picks the language: `?lang=` (remembered in a cookie), else the cookie, else Indonesian.
/// Future-based, as every middleware before the page cache (`configure.swift`).
struct LanguageMiddleware: Middleware {
    static let cookieName = "pantau_lang"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // Most addresses have no query: nothing to decode.
        let asked = request.url.query == nil ? nil : (try? request.query.get(String.self, at: "lang")).flatMap(Language.init(rawValue:))
        let remembered = request.headers.cookie == nil ? nil : request.cookies[Self.cookieName].flatMap { Language(rawValue: $0.string) }
        request.language = asked ?? remembered ?? .default
        return next.respond(to: request).map { response in
            if let asked, asked != remembered {
                response.cookies[Self.cookieName] = HTTPCookies.Value(
                    string: asked.rawValue, maxAge: 365 * 24 * 3600, path: "/", isHTTPOnly: true, sameSite: .lax)
            }
            return response
        }
    }
}
