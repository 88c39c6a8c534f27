import Fluent
import Foundation
import PantauDomain
import Vapor

/// The secretariat sets each semester's windows, reopens reporting for an organisation, and publishes results.
struct SemesterAdminController {
    struct ReopenForm: Content {
        var organisation = ""
        var until = ""
        var reason = ""
    }

    /// A semester's form that could not be saved: what was typed into it and why it was refused.
    struct Refused {
        let semesterID: UUID
        var window: WindowForm?
        var reopen: ReopenForm?
        let message: String
        let status: HTTPResponseStatus
    }

    func page(req: Request) async throws -> Response {
        try await render(req, refused: nil)
    }

    func setWindow(req: Request) async throws -> Response {
        let form = try req.decodeForm(WindowForm.self)
        do {
            try await SemesterService.setWindow(semesterID: try semesterID(req), window: try form.window(), by: try req.requireUser(), on: req.db)
        } catch {
            return try await refuse(req, error) { $0.window = form }
        }
        return req.redirect(to: try await pageOfSemester(req), notice: "semester.window_saved")
    }

    func reopen(req: Request) async throws -> Response {
        let form = try req.decodeForm(ReopenForm.self)
        do {
            let until = try CalendarDay(iso: form.until).orThrow(AppError.invalid(key: "form.invalid_day", arguments: [form.until]))
            let organisation = try UUID(uuidString: form.organisation).orThrow(AppError.invalid(key: "form.choose_organisation", arguments: []))
            try await SemesterService.reopen(semesterID: try semesterID(req), organisationID: organisation, until: until, reason: form.reason,
                                             by: try req.requireUser(), on: req.db)
        } catch {
            return try await refuse(req, error) { $0.reopen = form }
        }
        return req.redirect(to: try await pageOfSemester(req), notice: "semester.reopened")
    }

    /// The page again, with the refused form open, what was typed in it and the message above it. What is no mistake
    /// of the form's (a database failure) is thrown on.
    private func refuse(_ req: Request, _ error: any Error, typed: (inout Refused) -> Void) async throws -> Response {
        let appError = AppError.from(error)
        guard [.unprocessableEntity, .conflict].contains(appError.status) else { throw error }
        var refused = Refused(semesterID: try semesterID(req), message: req.application.localizer.message(for: appError, req.language),
                              status: appError.status)
        typed(&refused)
        return try await render(req, refused: refused)
    }

    private func semesterID(_ req: Request) throws -> UUID { try req.idParameter() }

    /// The page with the semester of the request's address: its plan's alone.
    private func pageOfSemester(_ req: Request) async throws -> String {
        let code = try await planCode(ofSemester: try semesterID(req), on: req.db)
        var components = URLComponents()
        components.path = SiteURL.adminSemesters.path()
        components.queryItems = code.map { [URLQueryItem(name: "plan", value: $0)] }
        return components.string ?? SiteURL.adminSemesters.path()
    }

    private func planCode(ofSemester id: UUID, on database: any Database) async throws -> String? {
        try await PlanSemesterModel.query(on: database).filter(\.$id == id).with(\.$plan).first()?.plan.code
    }

    /// Plans whose semesters one page shows.
    static let plansPerPage = 10

    /// The organisations responsible for measures of each plan, by name.
    static func organisationsOwing(plans: [UUID], on database: any Database) async throws -> [UUID: [OrganisationRow]] {
        guard !plans.isEmpty else { return [:] }
        let measures = try await SuccessMeasureModel.query(on: database)
            .join(GoalModel.self, on: \SuccessMeasureModel.$goal.$id == \GoalModel.$id)
            .join(CommitmentModel.self, on: \GoalModel.$commitment.$id == \CommitmentModel.$id)
            .filter(CommitmentModel.self, \.$plan.$id ~~ plans).with(\.$responsible).all()
        var result: [UUID: [UUID: OrganisationModel]] = [:]
        for measure in measures {
            let plan = try measure.joined(CommitmentModel.self).$plan.id
            result[plan, default: [:]][measure.$responsible.id] = measure.responsible
        }
        return result.mapValues { $0.values.sorted { $0.name < $1.name }.map(AdminController.organisationRow) }
    }

    private func render(_ req: Request, refused: Refused?) async throws -> Response {
        // The plans the caller manages (or the one `?plan=` names among them), their semesters, and for each plan the
        // organisations that owe it targets: whom a report can be reopened for.
        // A refused form is shown on its plan's page, whatever page it was sent from.
        let asked = (try? req.query.get(String.self, at: "plan")).flatMap { $0.isEmpty ? nil : $0 }
        let chosen = try await refused.asyncFlatMap { try await planCode(ofSemester: $0.semesterID, on: req.db) } ?? asked
        let managed = try await ActionPlanModel.query(on: req.db).sort(\.$code).all().filter { req.may(.manageWindows, plan: $0.id) }
        let matching = managed.filter { chosen == nil || $0.code == chosen }
        // A national secretariat holds hundreds of plans: their semesters come a few plans to a page.
        let page = refused == nil ? try PageLinks.requestedPage(req) : 1
        let plans = Array(matching.dropFirst((page - 1) * Self.plansPerPage).prefix(Self.plansPerPage))
        let planIDs = plans.compactMap(\.id)
        let semesters = try await PlanSemesterModel.query(on: req.db).filter(\.$plan.$id ~~ planIDs).with(\.$plan).all()
        let semesterIDs = semesters.compactMap(\.id)
        let windows = try await ReportingWindowModel.query(on: req.db).filter(\.$semester.$id ~~ semesterIDs)
            .with(\.$extensions) { $0.with(\.$organisation) }.all()
        let published = Set(try await SemesterPublicationModel.query(on: req.db).filter(\.$semester.$id ~~ semesterIDs).all().map { $0.$semester.id })
        let owing = try await Self.organisationsOwing(plans: planIDs, on: req.db)
        let windowOfSemester = Dictionary(windows.map { ($0.$semester.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = semesters.sorted { ($0.plan.code, $0.month) < ($1.plan.code, $1.month) }.map { semester in
            let window = windowOfSemester[semester.id!]
            let refused = refused.flatMap { $0.semesterID == semester.id ? $0 : nil }
            let typed = refused?.window
            let reopen = refused?.reopen
            return SemesterRow(
                id: semester.id!.uuidString, planCode: semester.plan.code, planTitle: semester.plan.title, code: semester.code,
                endDate: semester.endDate, reportOpens: typed?.reportOpens ?? window?.reportOpens ?? "",
                reportCloses: typed?.reportCloses ?? window?.reportCloses ?? "",
                verifyOpens: typed?.verifyOpens ?? window?.verifyOpens ?? "", verifyCloses: typed?.verifyCloses ?? window?.verifyCloses ?? "",
                hasWindow: window != nil,
                isPublished: published.contains(semester.id!),
                extensions: window?.extensions.map { "\($0.organisation.shortName): \($0.until)" } ?? [],
                hasExtensions: !(window?.extensions.isEmpty ?? true),
                publishPath: SiteURL.publication.path(semester.plan.code, semester.code),
                windowError: typed != nil ? refused?.message : nil, reopenError: reopen != nil ? refused?.message : nil,
                reopenOrganisation: SelectField(id: "org-\(semester.id!.uuidString)", name: "organisation", emptyLabel: req.t("form.choose_organisation"),
                                                options: (owing[semester.$plan.id] ?? []).map {
                                                    .init(value: $0.id, label: $0.name, selected: $0.id == reopen?.organisation, content: true)
                                                },
                                                required: true),
                reopenUntil: reopen?.until ?? "", reopenReason: reopen?.reason ?? "")
        }
        let publishedYears = Set(try await YearPublicationModel.query(on: req.db).filter(\.$plan.$id ~~ planIDs).all()
            .map { "\($0.$plan.id)/\($0.year)" })
        var years: [YearRow] = []
        var listedYears: Set<String> = []
        for semester in semesters.sorted(by: { ($0.plan.code, $0.endDate) < ($1.plan.code, $1.endDate) }) {
            let year = String(semester.endDate.prefix(4))
            guard listedYears.insert("\(semester.plan.code)/\(year)").inserted else { continue }
            years.append(YearRow(planCode: semester.plan.code, year: year, isPublished: publishedYears.contains("\(semester.$plan.id)/\(year)"),
                                 assessmentsPath: SiteURL.verifyAssessments.path(semester.plan.code, "\(year)"),
                                 publishPath: SiteURL.publication.path(semester.plan.code, "\(year)")))
        }
        return try await req.view.render("admin-semesters", SemestersPage(
            page: PageMeta(request: req, title: req.t("semester.title")), semesters: rows, years: years,
            plans: SelectField(id: "plan", emptyLabel: req.t("semester.every_plan"), options: managed.map {
                .init(value: $0.code, label: $0.code, selected: $0.code == chosen)
            }), pages: PageLinks(page: page, total: matching.count, size: Self.plansPerPage, request: req)))
            .encodeResponse(status: refused?.status ?? .ok, for: req)
    }
}

/// Evidence files, shown to whoever may see their report; public ones to everyone once published.
struct EvidenceController {
    func download(req: Request) async throws -> Response {
        let id = try req.idParameter()
        guard let evidence = try await EvidenceModel.query(on: req.db).filter(\.$id == id)
                .with(\.$report, { $0.with(\.$target) { $0.with(\.$semester) } }).first(),
              let sha256 = evidence.sha256 else { throw AppError.notFound(what: "evidence") }
        let plan = evidence.report.target.semester.$plan.id
        let published = try await SemesterService.isPublished(semesterID: evidence.report.target.$semester.id, on: req.db)
        guard ReportQueries.readsInFull(evidence.report, plan: plan, user: req.currentUser)
                || (evidence.isPublic && ReportQueries.canSee(evidence.report, plan: plan, user: nil, published: published)) else {
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
