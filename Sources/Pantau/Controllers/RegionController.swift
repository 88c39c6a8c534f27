import Fluent
import Foundation
import PantauDomain
import Vapor

/// "Mulai wilayah": the national secretariat starts a region on one page (jurisdiction, its first secretariat account,
/// its plan), then reads the account's password once.
struct RegionController {
    struct RegionForm: Content {
        var jurisdictionName: String?
        var jurisdictionKind: String?
        var secretariatName: String?
        var secretariatEmail: String?
        /// `draft` (co-creation from scratch) or `file`.
        var planSource: String?
        var planCode: String?
        var planTitle: String?
        /// `YYYY-MM`.
        var planStart: String?
        var planMonths: String?
        var planFile: File?

        static let fields = ["jurisdictionName", "jurisdictionKind", "secretariatName", "secretariatEmail", "planSource", "planCode",
                             "planTitle", "planStart", "planMonths", "planFile"]
    }

    func form(req: Request) async throws -> Response {
        try await render(req, form: RegionForm(planSource: "draft", planMonths: "24"), errors: FormErrors(fields: RegionForm.fields))
    }

    func start(req: Request) async throws -> Response {
        let form = try req.decodeForm(RegionForm.self)
        var errors = FormErrors(fields: RegionForm.fields)
        let kind = form.jurisdictionKind.flatMap(JurisdictionKind.init(rawValue:))
        if kind == nil { errors.add("jurisdictionKind", req.t("region.kind_required")) }
        let source = Self.planSource(form, errors: &errors, request: req)
        if errors.isEmpty, let kind, let source {
            do {
                let started = try await RegionStart.run(jurisdictionName: form.jurisdictionName ?? "", kind: kind,
                                                        secretariatName: form.secretariatName ?? "", secretariatEmail: form.secretariatEmail ?? "",
                                                        plan: source, actor: req.auditActor, on: req.db)
                let response = req.redirect(to: SiteURL.adminUserPassword.path(started.userID), notice: "region.started",
                                            form.jurisdictionName ?? "", started.planCode)
                try await req.keepForOnce(started.password, of: started.userID, in: response)
                return response
            } catch let error as FieldError {
                errors.add(error, on: req)
            }
        }
        var typed = form
        typed.planFile = nil
        return try await render(req, form: typed, errors: errors)
    }

    /// The plan as the form describes it: an empty draft from its code, title, start and length, or a plan file read
    /// whole. What is wrong goes beside its field.
    static func planSource(_ form: RegionForm, errors: inout FormErrors, request req: Request) -> RegionStart.PlanSource? {
        do {
            if form.planSource == "file" {
                guard let file = form.planFile, file.data.readableBytes > 0 else {
                    errors.add("planFile", req.t("region.file_required"))
                    return nil
                }
                let data = Data(buffer: file.data)
                let document = try PlanFiles.decode(data, as: PlanFileFormat.detect(fileName: file.filename, data: data))
                return .file(document, sourceFile: ReportService.safeDisplayName(file.filename))
            }
            guard let start = form.planStart.flatMap(YearMonth.init(iso:)) else {
                errors.add("planStart", req.t("cocreation.invalid_start", form.planStart ?? ""))
                return nil
            }
            let document = try DraftPlanService.draftDocument(code: form.planCode ?? "", title: form.planTitle ?? "", start: start,
                                                              months: Int(form.planMonths ?? "") ?? 0, scheme: "ogi")
            return .draft(document)
        } catch let error as PlanImportError {
            let lines = req.application.localizer.describe(error, req.language, limit: 5)
            errors.add("planFile", lines.joined(separator: " "))
        } catch {
            let message = req.application.localizer.message(for: AppError.from(error), req.language)
            errors.add(form.planSource == "file" ? "planFile" : "planCode", message)
        }
        return nil
    }

    private func render(_ req: Request, form: RegionForm, errors: FormErrors) async throws -> Response {
        let kinds = SelectField(id: "jurisdictionKind", emptyLabel: "–", options: JurisdictionKind.allCases.filter { $0 != .national }.map {
            .init(value: $0.rawValue, label: req.t("jurisdiction.kind." + $0.rawValue), selected: $0.rawValue == form.jurisdictionKind)
        }, required: true)
        let months = SelectField(id: "planMonths", options: [12, 24, 36].map {
            .init(value: "\($0)", label: req.t("region.months", "\($0)"), selected: "\($0)" == (form.planMonths ?? "24"))
        })
        return try await req.view.render("admin-region", Page(
            page: PageMeta(request: req, title: req.t("region.title")), form: form, errors: errors, kinds: kinds, months: months,
            fromFile: form.planSource == "file")).encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }

    struct Page: Encodable {
        let page: PageMeta
        let form: RegionForm
        let errors: FormErrors
        let kinds: SelectField
        let months: SelectField
        let fromFile: Bool
    }
}
