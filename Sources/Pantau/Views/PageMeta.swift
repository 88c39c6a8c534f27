import Vapor

/// What every page's frame needs: its language, title, the link that switches language, and who is signed in.
struct PageMeta: Encodable {
    struct SignedIn: Encodable {
        let name: String
        let roleKey: String
        let isSecretariat: Bool
        let isImplementer: Bool
        let canReadAll: Bool
    }

    let language: String
    let otherLanguage: String
    /// The same page in the other language.
    let switchLanguageURL: String
    let title: String
    let user: SignedIn?
    let isSignedIn: Bool
    /// The secretariat and reviewers, who see internal notes and unpublished work.
    let isStaff: Bool
    /// For the sign-out form and other forms of signed-in pages.
    var csrf: String
    /// What the form that led here did (Post/Redirect/Get), shown once.
    let notice: String?

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
        self.user = request.currentUser.map {
            SignedIn(name: $0.name, roleKey: "role." + $0.role.rawValue, isSecretariat: $0.role == .secretariat,
                     isImplementer: $0.role == .implementer, canReadAll: $0.role != .implementer)
        }
        self.isSignedIn = request.currentUser != nil
        self.isStaff = request.currentUser.map { $0.role != .implementer } ?? false
        self.csrf = request.currentUser != nil ? request.csrfToken() : ""
        self.notice = request.pendingNotice
    }
}
