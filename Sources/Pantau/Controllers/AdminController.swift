import Fluent
import Foundation
import PantauDomain
import Vapor

/// The secretariat's pages for organisations and accounts (accounts in `AdminController+Users.swift`). Every change
/// is recorded in the audit history; every form that succeeds redirects (Post/Redirect/Get), one that fails is shown
/// again with what was typed and a message beside each wrong field.
struct AdminController {
    struct OrganisationForm: Content {
        var name: String?
        var acronym: String?
        var kind: String?

        static let fields = ["name", "acronym", "kind"]
    }

    func home(req: Request) async throws -> View {
        try await req.view.render("admin", AdminHome(page: PageMeta(request: req, title: req.t("admin.title"))))
    }

    func organisations(req: Request) async throws -> Response {
        try await renderOrganisations(req, form: OrganisationForm(kind: OrganisationKind.governmentAgency.rawValue),
                                      errors: FormErrors(fields: OrganisationForm.fields))
    }

    func createOrganisation(req: Request) async throws -> Response {
        let form = try req.decodeForm(OrganisationForm.self)
        var errors = FormErrors(fields: OrganisationForm.fields)
        if let state = Self.validate(form, errors: &errors, on: req) {
            do {
                try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
                    if try await OrganisationModel.query(on: db).filter(\.$name == state.name).count() > 0 {
                        throw AppError.conflict(key: "admin.organisation_exists", arguments: [state.name])
                    }
                    let model = OrganisationModel(name: state.name, acronym: state.acronym, kind: state.kind)
                    try await model.create(on: db)
                    return ((), [AuditChange(action: "organisation.create", objectType: "organisation", objectID: model.id!.uuidString,
                                             before: Optional<OrganisationState>.none, after: state)])
                }
                return req.redirect(to: SiteURL.adminOrganisations.path(), notice: "admin.organisation_created", state.name)
            } catch let error as AppError {
                try errors.add("name", error, on: req)
            }
        }
        return try await renderOrganisations(req, form: form, errors: errors)
    }

    /// Changes an organisation (the API of the page: it has no form of its own yet, so a mistake is answered with the
    /// error page rather than a form shown again).
    func updateOrganisation(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let form = try req.decodeForm(OrganisationForm.self)
        var errors = FormErrors(fields: OrganisationForm.fields)
        guard let state = Self.validate(form, errors: &errors, on: req) else {
            throw AppError.invalid(key: "error.invalid", arguments: [])
        }
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
        return req.redirect(to: SiteURL.adminOrganisations.path(), notice: "admin.organisation_updated", state.name)
    }

    private func renderOrganisations(_ req: Request, form: OrganisationForm, errors: FormErrors) async throws -> Response {
        let found = try await OrganisationModel.query(on: req.db).sort(\.$name)
            .paginate(PageRequest(page: try PageLinks.requestedPage(req), per: Self.pageSize))
        let view = try await req.view.render("admin-organisations", OrganisationsPage(
            page: PageMeta(request: req, title: req.t("admin.organisations")), organisations: found.items.map(Self.organisationRow),
            kinds: OrganisationKind.allCases.map { KindOption(value: $0.rawValue, labelKey: "organisation.kind." + $0.rawValue) },
            form: form, errors: errors,
            pages: PageLinks(page: found.metadata.page, total: found.metadata.total, size: Self.pageSize, request: req)))
        return try await view.encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }

    /// Admin lists show this many rows to a page.
    static let pageSize = 50

    static func organisationRows(on database: any Database) async throws -> [OrganisationRow] {
        try await OrganisationModel.query(on: database).sort(\.$name).all().map(organisationRow)
    }

    static func organisationRow(_ organisation: OrganisationModel) -> OrganisationRow {
        OrganisationRow(id: organisation.id!.uuidString, name: organisation.name, acronym: organisation.acronym ?? "", kind: organisation.kind.rawValue,
                        kindKey: "organisation.kind." + organisation.kind.rawValue)
    }

    /// The organisation as it is stored, or nil with the mistakes put beside their fields.
    static func validate(_ form: OrganisationForm, errors: inout FormErrors, on req: Request) -> OrganisationState? {
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 300 { errors.add("name", req.t("plan.empty_organisation_name")) }
        let kind = OrganisationKind(rawValue: form.kind ?? "")
        if kind == nil { errors.add("kind", req.t("import.kind_unknown", form.kind ?? "")) }
        let acronym = form.acronym?.trimmingCharacters(in: .whitespacesAndNewlines)
        if (acronym?.count ?? 0) > 50 { errors.add("acronym", req.t("admin.acronym_too_long", "50")) }
        guard errors.isEmpty, let kind else { return nil }
        return OrganisationState(name: name, acronym: (acronym?.isEmpty ?? true) ? nil : acronym, kind: kind)
    }
}
