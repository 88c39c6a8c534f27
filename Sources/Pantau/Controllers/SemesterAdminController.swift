import Fluent
import Foundation
import PantauDomain
import Vapor

/// The secretariat sets each semester's windows, reopens reporting for an organisation, and publishes results.
struct SemesterAdminController {
    struct SemesterRow: Encodable {
        let id: String
        let planCode: String
        let planTitle: String
        let code: String
        let endDate: String
        let reportOpens: String
        let reportCloses: String
        let verifyOpens: String
        let verifyCloses: String
        let hasWindow: Bool
        let isPublished: Bool
        let extensions: [String]
        let hasExtensions: Bool
        let publishPath: String
    }

    struct YearRow: Encodable {
        let planCode: String
        let year: String
        let isPublished: Bool
        let assessmentsPath: String
        let publishPath: String
    }

    struct SemestersPage: Encodable {
        let page: PageMeta
        let semesters: [SemesterRow]
        let years: [YearRow]
        let organisations: [AdminController.OrganisationRow]
    }

    struct WindowForm: Content {
        let reportOpens: String
        let reportCloses: String
        let verifyOpens: String
        let verifyCloses: String
    }

    struct ReopenForm: Content {
        let organisation: String
        let until: String
        let reason: String
    }

    func page(req: Request) async throws -> View {
        try await render(req)
    }

    func setWindow(req: Request) async throws -> Response {
        let form = try req.decodeForm(WindowForm.self)
        let days = try [form.reportOpens, form.reportCloses, form.verifyOpens, form.verifyCloses].map { text in
            try CalendarDay(iso: text.trimmingCharacters(in: .whitespaces)).orThrow(AppError.invalid(key: "form.invalid_day", arguments: [text]))
        }
        let window: ReportingWindow
        do {
            window = try ReportingWindow(reportOpens: days[0], reportCloses: days[1], verifyOpens: days[2], verifyCloses: days[3])
        } catch let problem as ReportingWindow.Problem {
            throw AppError.invalid(key: problem.rawValue, arguments: [])
        }
        try await SemesterService.setWindow(semesterID: try semesterID(req), window: window, by: try req.requireUser(), on: req.db)
        return req.redirect(to: "/admin/semesters", notice: "semester.window_saved")
    }

    func reopen(req: Request) async throws -> Response {
        let form = try req.decodeForm(ReopenForm.self)
        let until = try CalendarDay(iso: form.until).orThrow(AppError.invalid(key: "form.invalid_day", arguments: [form.until]))
        let organisation = try UUID(uuidString: form.organisation).orThrow(AppError.invalid(key: "form.choose_organisation", arguments: []))
        try await SemesterService.reopen(semesterID: try semesterID(req), organisationID: organisation, until: until, reason: form.reason,
                                         by: try req.requireUser(), on: req.db)
        return req.redirect(to: "/admin/semesters", notice: "semester.reopened")
    }

    private func semesterID(_ req: Request) throws -> UUID { try req.idParameter() }

    private func render(_ req: Request) async throws -> View {
        let semesters = try await PlanSemesterModel.query(on: req.db).with(\.$plan).all()
        let windows = try await ReportingWindowModel.query(on: req.db).with(\.$extensions) { $0.with(\.$organisation) }.all()
        let published = Set(try await SemesterPublicationModel.query(on: req.db).all().map { $0.$semester.id })
        let rows = semesters.sorted { ($0.plan.code, $0.month) < ($1.plan.code, $1.month) }.map { semester in
            let window = windows.first { $0.$semester.id == semester.id }
            return SemesterRow(
                id: semester.id!.uuidString, planCode: semester.plan.code, planTitle: semester.plan.title, code: semester.code,
                endDate: semester.endDate, reportOpens: window?.reportOpens ?? "", reportCloses: window?.reportCloses ?? "",
                verifyOpens: window?.verifyOpens ?? "", verifyCloses: window?.verifyCloses ?? "", hasWindow: window != nil,
                isPublished: published.contains(semester.id!),
                extensions: window?.extensions.map { "\($0.organisation.shortName): \($0.until)" } ?? [],
                hasExtensions: !(window?.extensions.isEmpty ?? true),
                publishPath: "/admin/plans/\(semester.plan.code)/publish/\(semester.code)")
        }
        let publishedYears = Set(try await YearPublicationModel.query(on: req.db).all().map { "\($0.$plan.id)/\($0.year)" })
        var years: [YearRow] = []
        for semester in semesters.sorted(by: { ($0.plan.code, $0.endDate) < ($1.plan.code, $1.endDate) }) {
            let year = String(semester.endDate.prefix(4))
            guard !years.contains(where: { $0.planCode == semester.plan.code && $0.year == year }) else { continue }
            years.append(YearRow(planCode: semester.plan.code, year: year, isPublished: publishedYears.contains("\(semester.$plan.id)/\(year)"),
                                 assessmentsPath: "/verify/plans/\(semester.plan.code)/\(year)",
                                 publishPath: "/admin/plans/\(semester.plan.code)/publish/\(year)"))
        }
        return try await req.view.render("admin-semesters", SemestersPage(
            page: PageMeta(request: req, title: req.t("semester.title")), semesters: rows, years: years,
            organisations: try await AdminController.organisationRows(on: req.db)))
    }
}

/// Evidence files, shown to whoever may see their report; public ones to everyone once published.
struct EvidenceController {
    func download(req: Request) async throws -> Response {
        let id = try req.idParameter()
        guard let evidence = try await EvidenceModel.query(on: req.db).filter(\.$id == id).with(\.$report) { $0.with(\.$target) }.first(),
              let sha256 = evidence.sha256 else { throw AppError.notFound(what: "evidence") }
        let published = try await SemesterService.isPublished(semesterID: evidence.report.target.$semester.id, on: req.db)
        guard ReportQueries.readsInFull(evidence.report, user: req.currentUser) || (evidence.isPublic && ReportQueries.canSee(evidence.report, user: nil, published: published)) else {
            // Not found rather than forbidden: whether hidden evidence exists is itself not public.
            throw AppError.notFound(what: "evidence")
        }
        let response = Response(status: .ok, body: .init(data: try req.application.evidenceStore.read(sha256: sha256)))
        response.headers.setContentType(stored: evidence.mediaType)
        response.headers.setAttachment(filename: evidence.fileName)
        // The type was checked on upload; browsers must not second-guess it.
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}
