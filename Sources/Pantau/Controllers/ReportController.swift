import Fluent
import Foundation
import PantauDomain
import Vapor

/// Implementers' pages: the targets their organisation owes, and the report on each.
struct ReportController {
    struct OwedTarget: Encodable {
        let targetID: String
        let planCode: String
        let commitmentNumber: Int
        let measure: String
        let target: String
        let semester: String
        let statusKey: String
        let closes: String
    }

    struct OwedPage: Encodable {
        let page: PageMeta
        let targets: [OwedTarget]
        let hasTargets: Bool
    }

    struct ReportPage: Encodable {
        let page: PageMeta
        let report: ReportQueries.ReportView
        let message: String?
        let history: [HistoryView]
    }

    struct DraftForm: Content {
        let achievement: String
        let progress: Int
    }

    struct EvidenceForm: Content {
        var file: File?
        var link: String?
        var description: String?
        var isPublic: String?
    }

    struct MessageForm: Content {
        let body: String
    }

    /// Targets of the signed-in implementer's organisation in semesters whose reporting is open for them.
    func owed(req: Request) async throws -> View {
        let user = try req.requireUser()
        let organisationID = try user.organisationID.orThrow(AppError.forbidden)
        let owed = try await ReportingQueries.owedTargets(organisationID: organisationID, on: req.db, today: req.today).map {
            OwedTarget(targetID: $0.targetID, planCode: $0.planCode, commitmentNumber: $0.commitmentNumber, measure: $0.measure,
                       target: $0.target, semester: $0.semester, statusKey: "report.status." + $0.status, closes: $0.closes)
        }
        return try await req.view.render("report-list", OwedPage(page: PageMeta(request: req, title: req.t("report.title")),
                                                                 targets: owed, hasTargets: !owed.isEmpty))
    }

    func show(req: Request) async throws -> View {
        try await render(req, message: nil)
    }

    func saveDraft(req: Request) async throws -> Response {
        let form = try req.decodeForm(DraftForm.self)
        try await ReportService.saveDraft(targetID: try targetID(req), achievement: form.achievement, progress: form.progress,
                                          by: try req.requireUser(), on: req.db, today: req.today)
        return try await render(req, message: req.t("report.saved")).encodeResponse(for: req)
    }

    func addEvidence(req: Request) async throws -> Response {
        let form = try req.decodeForm(EvidenceForm.self)
        let file = form.file.flatMap { $0.data.readableBytes > 0 || !$0.filename.isEmpty ? (name: $0.filename, data: Data(buffer: $0.data)) : nil }
        try await ReportService.addEvidence(targetID: try targetID(req), file: file, link: form.link, description: form.description ?? "",
                                            isPublic: form.isPublic == "on", store: req.application.evidenceStore,
                                            by: try req.requireUser(), on: req.db, today: req.today)
        return try await render(req, message: req.t("evidence.added")).encodeResponse(for: req)
    }

    func submit(req: Request) async throws -> Response {
        try await ReportService.submit(targetID: try targetID(req), by: try req.requireUser(), on: req.db, now: req.now, today: req.today)
        return try await render(req, message: req.t("report.submitted_message")).encodeResponse(for: req)
    }

    func answer(req: Request) async throws -> Response {
        let form = try req.decodeForm(MessageForm.self)
        let report = try await ownReport(req)
        try await ReportService.postMessage(reportID: report.id!, body: form.body, asksClarification: false,
                                            by: try req.requireUser(), on: req.db, today: req.today)
        return try await render(req, message: req.t("report.message_sent")).encodeResponse(for: req)
    }

    // MARK: -

    private func targetID(_ req: Request) throws -> UUID { try req.idParameter() }

    private func ownReport(_ req: Request) async throws -> TargetReportModel {
        guard let report = try await TargetReportModel.query(on: req.db).filter(\.$target.$id == targetID(req)).first() else {
            throw AppError.notFound(what: "report")
        }
        guard ReportQueries.isOwner(try req.requireUser(), of: report) else { throw AppError.forbidden }
        return report
    }

    /// The report page, for the organisation the report belongs to (`ReportService.owner`); before the first save it
    /// shows an empty report of the target.
    private func render(_ req: Request, message: String?) async throws -> View {
        let user = try req.requireUser()
        let id = try targetID(req)
        let context = try await ReportService.context(targetID: id, on: req.db)
        let report = try await TargetReportModel.query(on: req.db).filter(\.$target.$id == id).first()
        guard ReportService.owner(of: context, report: report) == user.organisationID else { throw AppError.forbidden }
        var view: ReportQueries.ReportView
        if let existing = try await ReportQueries.reports({ $0.filter(\.$target.$id == id) }, language: req.language, on: req.db).first {
            view = existing
        } else {
            // Before the first save: an empty report of the target, shown as not started.
            let found = try await TargetModel.query(on: req.db).filter(\.$id == id)
                .with(\.$semester) { $0.with(\.$plan) { $0.with(\.$scheme) { $0.with(\.$categories) } } }
                .with(\.$measure) { $0.with(\.$goal) { $0.with(\.$commitment) }.with(\.$responsible) }
                .first()
            guard let target = found else { throw AppError.notFound(what: "target") }
            let empty = TargetReportModel(targetID: id, organisationID: ReportService.owner(of: context, report: nil))
            empty.id = UUID()
            empty.$target.value = target
            empty.$organisation.value = target.measure.responsible
            empty.$evidence.value = []
            empty.$messages.value = []
            view = try ReportQueries.view(empty, language: req.language)
            view.statusKey = "report.status.not_started"
        }
        return try await req.view.render("report", ReportPage(page: PageMeta(request: req, title: req.t("report.title")),
                                                              report: view, message: message,
                                                              history: try await HistoryView.entries(objectType: "report", objectID: view.id, request: req)))
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}
