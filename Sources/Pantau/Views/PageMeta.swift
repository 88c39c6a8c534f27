import Vapor

/// What every page's frame needs: its language, title, the link that switches language, and who is signed in.
struct PageMeta: Encodable {
    struct SignedIn: Encodable {
        let name: String
        let roleKey: String
    }

    /// A link of the main navigation; `isCurrent` marks the section the page belongs to (`aria-current`).
    struct NavigationLink: Encodable {
        let href: String
        let text: String
        let isCurrent: Bool
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
    /// The main navigation for who is signed in, the page's own section marked.
    let navigation: [NavigationLink]

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
            SignedIn(name: $0.name, roleKey: "role." + $0.role.rawValue)
        }
        self.isSignedIn = request.currentUser != nil
        self.isStaff = request.caller.mayEver(.readUnpublished)
        self.csrf = request.currentUser != nil ? request.csrfToken() : ""
        self.notice = request.pendingNotice
        self.navigation = Self.navigation(for: request)
    }

    /// The sections everyone sees, then those of the signed-in role. The section of a page is the link whose path
    /// is the longest whole-segment prefix of the page's path, so /plans/x/dashboard belongs to "Rencana Aksi".
    private static func navigation(for request: Request) -> [NavigationLink] {
        var sections: [(String, String)] = [
            (SiteURL.plans.path(), "nav.plans"), (SiteURL.overview.path(), "nav.overview"), (SiteURL.organisations.path(), "nav.organisations"), (SiteURL.cocreation.path(), "nav.cocreation"),
            (SiteURL.meetings.path(), "nav.meetings"), (SiteURL.search.path(), "nav.search"), (SiteURL.openData.path(), "nav.data"),
        ]
        var accountName: String?
        if let user = request.currentUser {
            let caller = user.caller
            sections.append((SiteURL.work.path(), "nav.work"))
            sections.append((SiteURL.notifications.path(), request.unreadNotifications > 0 ? "nav.notifications_unread" : "nav.notifications"))
            if caller.mayEver(.report) { sections.append((SiteURL.reportOwed.path(), "nav.report")) }
            if caller.mayEver(.readUnpublished) { sections.append((SiteURL.verifyQueue.path(), "nav.verify")) }
            if caller.mayEver(.manageAccounts) { sections.append((SiteURL.admin.path(), "nav.admin")) }
            sections.append((SiteURL.account.path(), ""))
            accountName = user.name
        } else {
            sections.append((SiteURL.login.path(), "nav.login"))
        }
        let path = request.url.path
        let current = sections.map(\.0)
            .filter { path == $0 || path.hasPrefix($0 + "/") }
            .max { $0.count < $1.count }
        return sections.map { href, key in
            NavigationLink(href: href, text: key.isEmpty ? (accountName ?? "") : request.t(key, "\(request.unreadNotifications)"), isCurrent: href == current)
        }
    }
}
