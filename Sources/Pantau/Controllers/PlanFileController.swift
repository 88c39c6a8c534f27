import Fluent
import Foundation
import PantauDomain
import Vapor

/// Plans as files in the web pages: anyone downloads (they are open data); the secretariat uploads.
struct PlanFileController {
    struct UploadForm: Content {
        var file: File
        var draft: String?
        var replace: String?
    }

    func download(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        guard let format = PlanFileFormat(rawValue: try req.parameters.require("format")) else { throw AppError.http(.notFound) }
        let document = try await PlanReader.document(code: code, on: req.db)
        let response = Response(status: .ok, body: .init(data: try PlanFiles.encode(document, as: format)))
        response.headers.replaceOrAdd(name: .contentType, value: format.mediaType)
        response.headers.setAttachment(filename: "\(code).\(format.rawValue)")
        return response
    }

    func page(req: Request) async throws -> View {
        try await render(req, message: nil, problems: [])
    }

    func upload(req: Request) async throws -> Response {
        let form = try req.decodeForm(UploadForm.self)
        let data = Data(buffer: form.file.data)
        let format = PlanFileFormat.detect(fileName: form.file.filename, data: data)
        do {
            let document = try PlanFiles.decode(data, as: format)
            let status: PlanStatus = form.draft == "on" ? .draft : .adopted
            let targets = document.commitments.flatMap(\.goals).flatMap(\.measures).flatMap(\.targets).count
            let user = try req.requireUser()
            // Replacing a plan the account does not hold is refused like any other change to it.
            if form.replace == "on", let existing = try await ActionPlanModel.query(on: req.db).filter(\.$code == document.code).first(),
               !user.caller.may(.editPlans, plan: try existing.requireID()) {
                throw AppError.forbidden
            }
            let owner = try await NewPlanOwner.of(user, on: req.db)
            try await PlanImport.run(document, status: status, replacingDraft: form.replace == "on",
                                     sourceFile: ReportService.safeDisplayName(form.file.filename), actor: req.auditActor,
                                     jurisdictionID: owner.jurisdictionID, grantTo: owner.account, on: req.db)
            return req.redirect(to: SiteURL.adminPlans.path(), notice: "cli.imported", document.code, "\(document.commitments.count)", "\(targets)")
        } catch let error as AppError where error.status == .forbidden {
            throw error
        } catch let error as PlanImportError {
            let lines = req.application.localizer.describe(error, req.language, limit: 200)
            return try await render(req, message: lines.first, problems: Array(lines.dropFirst()))
                .encodeResponse(status: .unprocessableEntity, for: req)
        } catch let error as any LocalizableError {
            return try await render(req, message: req.application.localizer.message(for: error, req.language), problems: [])
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    /// The step before archiving, with the reason the history will keep.
    func archiveForm(req: Request) async throws -> Response {
        try await renderArchive(req, form: ArchiveForm(), errors: FormErrors(fields: ["reason"]))
    }

    func archive(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let form = try req.decodeForm(ArchiveForm.self)
        do {
            let user = try req.requireUser()
            try await PlanArchive.archive(code: code, reason: form.reason ?? "", actor: user.auditActor, caller: user.caller, on: req.db, now: req.now)
        } catch let error as FieldError {
            var errors = FormErrors(fields: ["reason"])
            errors.add(error, on: req)
            return try await renderArchive(req, form: form, errors: errors)
        }
        return req.redirect(to: SiteURL.adminPlans.path(), notice: "plan.archived_notice", code)
    }

    private func renderArchive(_ req: Request, form: ArchiveForm, errors: FormErrors) async throws -> Response {
        let plan = try await ActionPlanModel.require(code: try req.parameters.require("code"), on: req.db)
        guard plan.status == .adopted else { throw AppError.conflict(key: "plan.archive_draft", arguments: [plan.code]) }
        return try await req.view.render("plan-archive", ArchivePage(
            page: PageMeta(request: req, title: req.t("plan.archive_title", plan.code)), code: plan.code, title: plan.title,
            form: form, errors: errors)).encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }

    /// The plans the caller may change, each with its files and, for an adopted one, the way to archive it.
    private func render(_ req: Request, message: String?, problems: [String]) async throws -> View {
        let held = try await ActionPlanModel.query(on: req.db).sort(\.$code).all().filter { req.may(.editPlans, plan: $0.id) }
        // A national secretariat holds hundreds: fifty to a page, like the other admin lists.
        let pageNumber = req.method == .GET ? try PageLinks.requestedPage(req) : 1
        let plans = held.dropFirst((pageNumber - 1) * AdminController.pageSize).prefix(AdminController.pageSize).map {
            PlanRow(code: $0.code, title: $0.title,
                    status: $0.archivedAt == nil ? "plan.status." + $0.status.rawValue : "plan.status.archived",
                    canArchive: $0.status == .adopted && $0.archivedAt == nil)
        }
        return try await req.view.render("admin-plans", PlansAdminPage(
            page: PageMeta(request: req, title: req.t("admin.plans")), plans: plans, message: message, problems: problems,
            pages: PageLinks(page: pageNumber, total: held.count, size: AdminController.pageSize, request: req)))
    }
}
