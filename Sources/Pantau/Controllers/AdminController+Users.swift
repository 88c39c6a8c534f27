import Fluent
import Foundation
import PantauDomain
import Vapor

/// Accounts: create, edit, deactivate and reactivate, reset a password. A generated password is shown once, on the
/// page the form redirects to (`OneTimePasswords`), never in the answer to the form.
extension AdminController {
    struct UserForm: Content {
        var name: String?
        var email: String?
        var role: String?
        /// What was typed: a suggestion "ACRONYM – Full name", a name, an acronym or a part of one (`OrganisationMatch`).
        var organisation: String?
        /// Ticked plans by code; `PlanChoice.everyPlan` for every plan (the national secretariat).
        var plans: [String]?

        static let fields = ["name", "email", "role", "organisation", "plans"]
    }

    /// The plans a secretariat or reviewer account acts on: every plan, or those ticked.
    struct PlanChoice {
        static let everyPlan = "*"
        let all: Bool
        let planIDs: [UUID]

        static let noPlans = PlanChoice(all: false, planIDs: [])
    }

    func users(req: Request) async throws -> Response {
        try await renderUsers(req, form: UserForm(), errors: FormErrors(fields: UserForm.fields))
    }

    func createUser(req: Request) async throws -> Response {
        let form = try req.decodeForm(UserForm.self)
        var errors = FormErrors(fields: UserForm.fields)
        let role = Self.role(form, errors: &errors, on: req)
        let organisationID = try await Self.organisation(form, role: role, errors: &errors, on: req)
        let plans = try await Self.plans(form, role: role, errors: &errors, on: req)
        if errors.isEmpty, let role, let plans {
            let password = AccountCreation.generatePassword()
            do {
                let user = try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
                    let user = try await AccountCreation.create(name: form.name ?? "", email: form.email ?? "", role: role,
                                                                organisationID: organisationID, password: password, on: db)
                    try await Self.give(plans, to: user, on: db)
                    return (user, [AuditChange(action: "user.create", objectType: "user", objectID: user.id!.uuidString,
                                               before: Optional<UserState>.none, after: try await Self.state(user, on: db))])
                }
                let response = req.redirect(to: SiteURL.adminUserPassword.path(try user.requireID()), notice: "admin.user_created", user.email)
                try await req.keepForOnce(password, of: user.id!, in: response)
                return response
            } catch let error as AccountError {
                try errors.add(Self.field(of: error), error, on: req)
            }
        }
        return try await renderUsers(req, form: form, errors: errors)
    }

    func user(req: Request) async throws -> Response {
        let user = try await Self.findUser(req)
        let form = UserForm(name: user.name, email: user.email, role: user.role.rawValue,
                            organisation: user.organisation.map { OrganisationMatch.label(name: $0.name, acronym: $0.acronym) } ?? "",
                            plans: try await Self.planCodes(of: user, on: req.db))
        return try await renderUser(req, user, form: form, errors: FormErrors(fields: UserForm.fields))
    }

    func updateUser(req: Request) async throws -> Response {
        let user = try await Self.findUser(req)
        var form = try req.decodeForm(UserForm.self)
        form.email = user.email
        var errors = FormErrors(fields: UserForm.fields)
        let role = Self.role(form, errors: &errors, on: req)
        // Its own role is the one thing the secretariat cannot take from itself: it would lock itself out of this page.
        if user.id == req.currentUser?.id, let role, role != user.role { errors.add("role", req.t("admin.own_role")) }
        let organisationID = try await Self.organisation(form, role: role, errors: &errors, on: req)
        let plans = try await Self.plans(form, role: role, errors: &errors, on: req)
        // Nor every plan: without it, this page is no longer the secretariat's.
        if user.id == req.currentUser?.id, user.allPlans, let plans, !plans.all { errors.add("plans", req.t("admin.own_plans")) }
        if errors.isEmpty, let role, let plans {
            do {
                let id = try user.requireID()
                let name = form.name ?? ""
                try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
                    guard let model = try await UserModel.find(id, on: db) else { throw AppError.notFound(what: "user") }
                    let before = try await Self.state(model, on: db)
                    try AccountCreation.update(model, name: name, role: role, organisationID: organisationID)
                    try await Self.give(plans, to: model, on: db)
                    return ((), [AuditChange(action: "user.update", objectType: "user", objectID: id.uuidString,
                                             before: before, after: try await Self.state(model, on: db))])
                }
                return req.redirect(to: SiteURL.adminUsers.path(), notice: "admin.user_updated", user.email)
            } catch let error as AccountError {
                try errors.add(Self.field(of: error), error, on: req)
            }
        }
        return try await renderUser(req, user, form: form, errors: errors)
    }

    func deactivateUser(req: Request) async throws -> Response {
        let id = try req.idParameter()
        guard id != req.currentUser?.id else { throw AppError.conflict(key: "admin.deactivate_self", arguments: []) }
        let email = try await setActive(false, id, on: req)
        return req.redirect(to: SiteURL.adminUsers.path(), notice: "admin.user_deactivated", email)
    }

    func reactivateUser(req: Request) async throws -> Response {
        let email = try await setActive(true, try req.idParameter(), on: req)
        return req.redirect(to: SiteURL.adminUsers.path(), notice: "admin.user_reactivated", email)
    }

    /// A deactivated account's sessions end and its tokens are revoked at once; reactivation gives neither back.
    private func setActive(_ active: Bool, _ id: UUID, on req: Request) async throws -> String {
        try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
            guard let user = try await UserModel.find(id, on: db) else { throw AppError.notFound(what: "user") }
            let before = try await Self.state(user, on: db)
            guard user.isActive != active else { return (user.email, []) }
            user.deactivatedAt = active ? nil : Date()
            try await user.save(on: db)
            if !active { try await Self.endEverything(of: id, on: db) }
            return (user.email, [AuditChange(action: active ? "user.reactivate" : "user.deactivate", objectType: "user",
                                             objectID: id.uuidString, before: before, after: try await Self.state(user, on: db))])
        }
    }

    /// The step before a reset, so that a click in the list cannot reset a password by mistake.
    func confirmReset(req: Request) async throws -> View {
        let user = try await Self.findUser(req)
        return try await req.view.render("admin-user-reset", ResetPasswordPage(
            page: PageMeta(request: req, title: req.t("admin.reset_password")), user: Self.row(user, viewer: req)))
    }

    func resetPassword(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let password = AccountCreation.generatePassword()
        let email = try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
            guard let user = try await UserModel.find(id, on: db) else { throw AppError.notFound(what: "user") }
            user.passwordHash = try Bcrypt.hash(password)
            try await user.save(on: db)
            // Every session and token of the account ends with its old password.
            try await Self.endEverything(of: id, on: db)
            return (user.email, [AuditChange(action: "user.reset_password", objectType: "user", objectID: id.uuidString,
                                             before: Optional<UserState>.none, after: Optional<UserState>.none)])
        }
        let response = req.redirect(to: SiteURL.adminUserPassword.path(id), notice: "admin.password_reset", email)
        try await req.keepForOnce(password, of: id, in: response)
        return response
    }

    /// The page a new account or a reset leads to: the password once, then (a reload, a link shared) no more.
    func oncePassword(req: Request) async throws -> Response {
        let user = try await Self.findUser(req)
        let password = try await req.takeOncePassword(of: try user.requireID())
        let view = try await req.view.render("admin-user-password", OncePasswordPage(
            page: PageMeta(request: req, title: req.t("admin.password_title")), user: Self.row(user, viewer: req), password: password))
        let response = try await view.encodeResponse(for: req)
        // Never kept by a browser or proxy: the page holds a password.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        req.forgetOncePassword(in: response)
        return response
    }

    // MARK: - Rules of the form

    /// The chosen role; none chosen (the form has no default, on purpose) is a mistake beside the field.
    static func role(_ form: UserForm, errors: inout FormErrors, on req: Request) -> UserRole? {
        let typed = form.role ?? ""
        guard let role = UserRole(rawValue: typed) else {
            errors.add("role", typed.isEmpty ? req.t("admin.role_required") : req.t("admin.unknown_role", typed))
            return nil
        }
        return role
    }

    /// The organisation the form names, for a role that needs one; a role that needs none takes none.
    static func organisation(_ form: UserForm, role: UserRole?, errors: inout FormErrors, on req: Request) async throws -> UUID? {
        let typed = (form.organisation ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let role else { return nil }
        guard role.needsOrganisation else {
            if !typed.isEmpty { errors.add("organisation", req.t("admin.organisation_not_allowed", req.t("role." + role.rawValue))) }
            return nil
        }
        let candidates = try await OrganisationModel.query(on: req.db).all().map {
            OrganisationMatch.Candidate(id: $0.id!, name: $0.name, acronym: $0.acronym)
        }
        switch OrganisationMatch.resolve(typed, among: candidates) {
        case .found(let organisation):
            return organisation.id
        case .empty:
            errors.add("organisation", req.t("admin.organisation_required"))
        case .notFound:
            errors.add("organisation", req.t("admin.organisation_unknown", typed))
        case .ambiguous(let fitting):
            let shown = fitting.prefix(5).map(\.label).joined(separator: "; ")
            errors.add("organisation", req.t(fitting.count > 5 ? "admin.organisation_ambiguous_more" : "admin.organisation_ambiguous",
                                             typed, shown, String(fitting.count)))
        }
        return nil
    }

    /// The plans ticked for a role that acts on plans (secretariat, reviewer, monitor): every plan, or at least one; a role
    /// that reports for its organisation takes none.
    static func plans(_ form: UserForm, role: UserRole?, errors: inout FormErrors, on req: Request) async throws -> PlanChoice? {
        let ticked = Set((form.plans ?? []).filter { !$0.isEmpty })
        guard let role else { return nil }
        guard role != .implementer else {
            if !ticked.isEmpty { errors.add("plans", req.t("admin.plans_not_allowed", req.t("role." + role.rawValue))) }
            return .noPlans
        }
        if ticked.contains(PlanChoice.everyPlan) { return PlanChoice(all: true, planIDs: []) }
        guard !ticked.isEmpty else {
            errors.add("plans", req.t("admin.plans_required"))
            return nil
        }
        let plans = try await ActionPlanModel.query(on: req.db).filter(\.$code ~~ Array(ticked)).all()
        if let unknown = ticked.subtracting(plans.map(\.code)).sorted().first {
            errors.add("plans", req.t("admin.plan_unknown", unknown))
            return nil
        }
        return PlanChoice(all: false, planIDs: try plans.map { try $0.requireID() })
    }

    /// Saves the account with its plans: every plan, or exactly the ones given (the others are taken back).
    static func give(_ plans: PlanChoice, to user: UserModel, on db: any Database) async throws {
        user.allPlans = plans.all
        try await user.save(on: db)
        let id = try user.requireID()
        try await PlanGrantModel.query(on: db).filter(\.$user.$id == id).delete()
        for plan in plans.planIDs { try await PlanGrantModel(userID: id, planID: plan).create(on: db) }
    }

    /// The plans an account's form shows ticked.
    static func planCodes(of user: UserModel, on db: any Database) async throws -> [String] {
        if user.role == .implementer { return [] }
        if user.allPlans { return [PlanChoice.everyPlan] }
        return try await PlanGrantModel.query(on: db).filter(\.$user.$id == user.requireID()).with(\.$plan).all().map(\.plan.code).sorted()
    }

    static func field(of error: AccountError) -> String {
        switch error {
        case .invalidEmail, .emailTaken: "email"
        case .emptyName, .passwordTooShort: "name"
        case .organisationRequired, .organisationNotAllowed, .organisationNotFound: "organisation"
        }
    }

    // MARK: - Reading and rendering

    static func endEverything(of id: UUID, on db: any Database) async throws {
        try await SessionModel.endAll(of: id, on: db)
        try await APITokenModel.query(on: db).filter(\.$user.$id == id).filter(\.$revokedAt == nil).set(\.$revokedAt, to: Date()).update()
    }

    static func findUser(_ req: Request) async throws -> UserModel {
        guard let user = try await UserModel.query(on: req.db).filter(\.$id == req.idParameter()).with(\.$organisation).first()
        else { throw AppError.notFound(what: "user") }
        return user
    }

    static func state(_ user: UserModel, on db: any Database) async throws -> UserState {
        let plans = try await planCodes(of: user, on: db)
        return UserState(name: user.name, email: user.email, role: user.role, organisationID: user.$organisation.id, active: user.isActive,
                         allPlans: plans == [PlanChoice.everyPlan], plans: plans == [PlanChoice.everyPlan] ? [] : plans)
    }

    static func row(_ user: UserModel, viewer req: Request) -> UserRow {
        UserRow(id: user.id!.uuidString, name: user.name, email: user.email, roleKey: "role." + user.role.rawValue,
                organisation: user.$organisation.value.flatMap { $0?.shortName } ?? "", isActive: user.isActive,
                isSelf: user.id == req.currentUser?.id)
    }

    static func formView(_ form: UserForm, _ errors: FormErrors, on database: any Database) async throws -> UserFormView {
        UserFormView(
            organisations: try await OrganisationModel.query(on: database).sort(\.$name).all()
                .map { OrganisationMatch.label(name: $0.name, acronym: $0.acronym) },
            roles: UserRole.allCases.map { KindOption(value: $0.rawValue, labelKey: "role." + $0.rawValue) },
            plans: try await ActionPlanModel.query(on: database).sort(\.$code).all().map { plan in
                PlanOption(code: plan.code, title: plan.title, isTicked: form.plans?.contains(plan.code) ?? false)
            },
            everyPlanTicked: form.plans?.contains(PlanChoice.everyPlan) ?? false, form: form, errors: errors)
    }

    private func renderUsers(_ req: Request, form: UserForm, errors: FormErrors) async throws -> Response {
        let found = try await UserModel.query(on: req.db).with(\.$organisation).sort(\.$name).sort(\.$email)
            .paginate(PageRequest(page: try PageLinks.requestedPage(req), per: Self.pageSize))
        let view = try await req.view.render("admin-users", UsersPage(
            page: PageMeta(request: req, title: req.t("admin.users")), users: found.items.map { Self.row($0, viewer: req) },
            account: try await Self.formView(form, errors, on: req.db),
            pages: PageLinks(page: found.metadata.page, total: found.metadata.total, size: Self.pageSize, request: req)))
        return try await view.encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }

    private func renderUser(_ req: Request, _ user: UserModel, form: UserForm, errors: FormErrors) async throws -> Response {
        let view = try await req.view.render("admin-user", UserPage(
            page: PageMeta(request: req, title: user.name), user: Self.row(user, viewer: req),
            account: try await Self.formView(form, errors, on: req.db),
            history: try await HistoryView.entries(objectType: "user", objectID: user.id!.uuidString, request: req)))
        return try await view.encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }
}
