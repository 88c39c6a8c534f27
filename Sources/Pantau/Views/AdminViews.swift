import Foundation

/// View models of the secretariat's pages (`AdminController`).
struct AdminHome: Encodable {
    let page: PageMeta
}

extension AdminController {
    /// Also listed on the semester page, for its extensions.
    struct OrganisationRow: Encodable {
        let id: String
        let name: String
        let acronym: String
        let kind: String
        let kindKey: String
    }

    struct KindOption: Encodable {
        let value: String
        let labelKey: String
    }
}

typealias OrganisationRow = AdminController.OrganisationRow
typealias KindOption = AdminController.KindOption

struct OrganisationsPage: Encodable {
    let page: PageMeta
    let organisations: [OrganisationRow]
    let kinds: [KindOption]
    /// What the form shows: empty, or what was typed into a form that failed.
    let form: AdminController.OrganisationForm
    let errors: FormErrors
    let pages: PageLinks
}

struct UserRow: Encodable {
    let id: String
    let name: String
    let email: String
    let roleKey: String
    let organisation: String
    let isActive: Bool
    /// The signed-in secretariat's own account, which it may not deactivate.
    let isSelf: Bool
}

/// The account form (`user-fields.leaf`) on both pages that have it: what was typed, its mistakes, the choices.
struct UserFormView: Encodable {
    /// The organisation field's suggestions, "ACRONYM – Full name".
    let organisations: [String]
    let roles: [KindOption]
    /// Every plan, to tick those a secretariat or reviewer account acts on.
    let plans: [PlanOption]
    let everyPlanTicked: Bool
    let form: AdminController.UserForm
    let errors: FormErrors
}

struct PlanOption: Encodable {
    let code: String
    let title: String
    let isTicked: Bool
}

struct UsersPage: Encodable {
    let page: PageMeta
    let users: [UserRow]
    let account: UserFormView
    let pages: PageLinks
}

struct UserPage: Encodable {
    let page: PageMeta
    let user: UserRow
    let account: UserFormView
    let history: [HistoryView]
}

/// The step before a password reset: whose password it is.
struct ResetPasswordPage: Encodable {
    let page: PageMeta
    let user: UserRow
}

/// A generated password, shown once; nil when it was shown already (a reload) or has expired.
struct OncePasswordPage: Encodable {
    let page: PageMeta
    let user: UserRow
    let password: String?
}
