import Vapor

/// What every page's frame needs: its language, title and the link that switches language.
struct PageMeta: Encodable {
    let language: String
    let otherLanguage: String
    /// The same page in the other language.
    let switchLanguageURL: String
    let title: String

    init(request: Request, title: String) {
        let other = request.language.other
        var components = URLComponents()
        components.path = request.url.path
        let kept = (URLComponents(string: request.url.string)?.queryItems ?? []).filter { $0.name != "lang" }
        components.queryItems = kept + [URLQueryItem(name: "lang", value: other.rawValue)]
        self.language = request.language.rawValue
        self.otherLanguage = other.rawValue
        self.switchLanguageURL = components.string ?? "?lang=\(other.rawValue)"
        self.title = title
    }
}
