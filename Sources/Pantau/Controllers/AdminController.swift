import Fluent
import Foundation
import PantauDomain
import Vapor

/// The secretariat's pages for organisations and accounts. Every change is recorded in the audit history.
struct AdminController {
    struct OrganisationRow: Encodable {
        let id: String
        let name: String
        let acronym: String
        let kind: String
        let kindKey: String
    }

    struct UserRow: Encodable {
        let id: String
        let name: String
        let email: String
        let roleKey: String
        let organisation: String
    }

    struct KindOption: Encodable {
        let value: String
        let labelKey: String
    }

    struct OrganisationsPage: Encodable {
        let page: PageMeta
        let organisations: [OrganisationRow]
        let kinds: [KindOption]
        let message: String?
    }

    struct UsersPage: Encodable {
        let page: PageMeta
        let users: [UserRow]
        let organisations: [OrganisationRow]
        let roles: [KindOption]
        let message: String?
        /// A password to show this once, after creating an account or resetting its password.
        let oncePassword: String?
        let onceFor: String?
    }

    struct AdminHome: Encodable {
        let page: PageMeta
    }

    struct OrganisationForm: Content {
        let name: String
        let acronym: String?
        let kind: String
    }

    struct UserForm: Content {
        let name: String
        let email: String
        let role: String
        let organisation: String?
    }

    /// What the audit history keeps of an organisation.
    struct OrganisationState: Codable, Sendable {
        let name: String
        let acronym: String?
        let kind: OrganisationKind
    }

    /// What the audit history keeps of an account: never its password or hash.
    struct UserState: Codable, Sendable {
        let name: String
        let email: String
        let role: UserRole
        let organisationID: UUID?
    }

    func home(req: Request) async throws -> View {
        try await req.view.render("admin", AdminHome(page: PageMeta(request: req, title: req.t("admin.title"))))
    }

    func organisations(req: Request) async throws -> View {
        try await renderOrganisations(req, message: nil)
    }

    func createOrganisation(req: Request) async throws -> Response {
        let form = try req.decodeForm(OrganisationForm.self)
        let state = try Self.validate(form)
        try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
            if try await OrganisationModel.query(on: db).filter(\.$name == state.name).count() > 0 {
                throw AppError.invalid(key: "admin.organisation_exists", arguments: [state.name])
            }
            let model = OrganisationModel(name: state.name, acronym: state.acronym, kind: state.kind)
            try await model.create(on: db)
            return ((), [AuditChange(action: "organisation.create", objectType: "organisation", objectID: model.id!.uuidString,
                                     before: Optional<OrganisationState>.none, after: state)])
        }
        return try await renderOrganisations(req, message: req.t("admin.organisation_created", state.name)).encodeResponse(for: req)
    }

    func updateOrganisation(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let form = try req.decodeForm(OrganisationForm.self)
        let state = try Self.validate(form)
        try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
            guard let model = try await OrganisationModel.find(id, on: db) else { throw AppError.notFound(what: "organisation") }
            let before = OrganisationState(name: model.name, acronym: model.acronym, kind: model.kind)
            model.name = state.name
            model.acronym = state.acronym
            model.kind = state.kind
            try await model.save(on: db)
            return ((), [AuditChange(action: "organisation.update", objectType: "organisation", objectID: id.uuidString,
                                     before: before, after: state)])
        }
        return try await renderOrganisations(req, message: req.t("admin.organisation_updated", state.name)).encodeResponse(for: req)
    }

    func users(req: Request) async throws -> View {
        try await renderUsers(req, message: nil, password: nil, email: nil)
    }

    func createUser(req: Request) async throws -> Response {
        let form = try req.decodeForm(UserForm.self)
        guard let role = UserRole(rawValue: form.role) else { throw AppError.invalid(key: "admin.unknown_role", arguments: [form.role]) }
        let password = AccountCreation.generatePassword()
        let organisation = form.organisation.flatMap { $0.isEmpty ? nil : $0 }
        let user = try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
            let user = try await AccountCreation.create(name: form.name, email: form.email, role: role, organisation: organisation,
                                                        password: password, on: db)
            return (user, [AuditChange(action: "user.create", objectType: "user", objectID: user.id!.uuidString,
                                       before: Optional<UserState>.none, after: Self.state(user))])
        }
        return try await renderUsers(req, message: req.t("admin.user_created", user.email), password: password, email: user.email)
            .encodeResponse(for: req)
    }

    func resetPassword(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let password = AccountCreation.generatePassword()
        let email = try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
            guard let user = try await UserModel.find(id, on: db) else { throw AppError.notFound(what: "user") }
            user.passwordHash = try Bcrypt.hash(password)
            try await user.save(on: db)
            // Every session and token of the account ends with its old password.
            try await SessionModel.endAll(of: id, on: db)
            try await APITokenModel.query(on: db).filter(\.$user.$id == id).filter(\.$revokedAt == nil).set(\.$revokedAt, to: Date()).update()
            return (user.email, [AuditChange(action: "user.reset_password", objectType: "user", objectID: id.uuidString,
                                             before: Optional<UserState>.none, after: Optional<UserState>.none)])
        }
        return try await renderUsers(req, message: req.t("admin.password_reset", email), password: password, email: email)
            .encodeResponse(for: req)
    }

    // MARK: - Rendering

    private func renderOrganisations(_ req: Request, message: String?) async throws -> View {
        let rows = try await Self.organisationRows(on: req.db)
        return try await req.view.render("admin-organisations", OrganisationsPage(
            page: PageMeta(request: req, title: req.t("admin.organisations")), organisations: rows,
            kinds: OrganisationKind.allCases.map { KindOption(value: $0.rawValue, labelKey: "organisation.kind." + $0.rawValue) },
            message: message))
    }

    private func renderUsers(_ req: Request, message: String?, password: String?, email: String?) async throws -> View {
        let users = try await UserModel.query(on: req.db).with(\.$organisation).sort(\.$name).all().map {
            UserRow(id: $0.id!.uuidString, name: $0.name, email: $0.email, roleKey: "role." + $0.role.rawValue,
                    organisation: $0.organisation?.shortName ?? "")
        }
        return try await req.view.render("admin-users", UsersPage(
            page: PageMeta(request: req, title: req.t("admin.users")), users: users,
            organisations: try await Self.organisationRows(on: req.db),
            roles: UserRole.allCases.map { KindOption(value: $0.rawValue, labelKey: "role." + $0.rawValue) },
            message: message, oncePassword: password, onceFor: email))
    }

    static func organisationRows(on database: any Database) async throws -> [OrganisationRow] {
        try await OrganisationModel.query(on: database).sort(\.$name).all().map {
            OrganisationRow(id: $0.id!.uuidString, name: $0.name, acronym: $0.acronym ?? "", kind: $0.kind.rawValue,
                            kindKey: "organisation.kind." + $0.kind.rawValue)
        }
    }

    static func state(_ user: UserModel) -> UserState {
        UserState(name: user.name, email: user.email, role: user.role, organisationID: user.$organisation.id)
    }

    static func validate(_ form: OrganisationForm) throws -> OrganisationState {
        let name = form.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 300 else { throw AppError.invalid(key: "plan.empty_organisation_name", arguments: []) }
        guard let kind = OrganisationKind(rawValue: form.kind) else { throw AppError.invalid(key: "import.kind_unknown", arguments: [form.kind]) }
        let acronym = form.acronym?.trimmingCharacters(in: .whitespacesAndNewlines)
        return OrganisationState(name: name, acronym: (acronym?.isEmpty ?? true) ? nil : acronym, kind: kind)
    }
}
