import Fluent
import Foundation
import PantauDomain
import Vapor

/// The secretariat's verification: the queue of handed-in reports, each report's page with its
/// clarification thread and score, and each commitment's assessment. Reviewers read all of it and comment.
struct VerifyController {
    func queue(req: Request) async throws -> View {
        let plan = (try? req.query.get(String.self, at: "plan")).flatMap { $0.isEmpty ? nil : $0 }
        let semester = (try? req.query.get(String.self, at: "semester")).flatMap { $0.isEmpty ? nil : $0 }
        let status = (try? req.query.get(String.self, at: "status")).flatMap(ReportStatus.init(rawValue:))
        let organisation = (try? req.query.get(String.self, at: "organisation")).flatMap { $0.isEmpty ? nil : $0 }
        let page = try PageLinks.requestedPage(req)
        let caller = try req.requireUser().caller
        let (reports, total, reportingOrganisations, planCodes) = try await VerificationQueue.load(
            .init(planCode: plan, semester: semester, status: status, organisation: organisation), caller: caller, page: page,
            language: req.language, cache: req.application.planResultsCache, on: req.db)
        return try await req.view.render("verify-queue", QueuePage(
            page: PageMeta(request: req, title: req.t("verify.title")), reports: reports, hasReports: !reports.isEmpty,
            plans: SelectField(id: "plan", emptyLabel: "–", options: planCodes.map { .init(value: $0, label: $0, selected: $0 == plan) }),
            semesters: SelectField(id: "semester", emptyLabel: "–", options: ["B06", "B12", "B18", "B24"].map {
                .init(value: $0, label: $0, selected: $0 == semester)
            }),
            statuses: SelectField(id: "status", emptyLabel: "–", options: [ReportStatus.submitted, .clarificationRequested, .scored].map {
                .init(value: $0.rawValue, label: req.t("report.status." + $0.rawValue), selected: $0 == status)
            }),
            organisations: SelectField(id: "organisation", emptyLabel: "–", options: reportingOrganisations.map {
                .init(value: $0, label: $0, selected: $0 == organisation, content: true)
            }),
            pages: PageLinks(page: page, total: total, size: VerificationQueue.pageSize, request: req)))
    }

    static let reportFields = ["score", "reason", "correctionReason", "clarify", "note"]

    func report(req: Request) async throws -> Response {
        try await render(req, typed: TypedValues(), errors: FormErrors(fields: Self.reportFields))
    }

    func clarify(req: Request) async throws -> Response {
        try await saving(req, field: "clarify") {
            let form = try req.decodeForm(MessageForm.self)
            try await ReportService.postMessage(reportID: try reportID(req), body: form.body, asksClarification: true,
                                                by: try req.requireUser(), on: req.db, now: req.now, today: req.today)
            return req.redirect(to: SiteURL.verifyReport.path(try reportID(req)), notice: "verify.clarification_sent")
        }
    }

    func comment(req: Request) async throws -> Response {
        try await saving(req, field: "note") {
            let form = try req.decodeForm(MessageForm.self)
            try await ReportService.postMessage(reportID: try reportID(req), body: form.body, asksClarification: false,
                                                by: try req.requireUser(), on: req.db, now: req.now, today: req.today)
            return req.redirect(to: SiteURL.verifyReport.path(try reportID(req)), notice: "verify.staff_note_saved")
        }
    }

    func score(req: Request) async throws -> Response {
        try await saving(req, field: "score") {
            let form = try req.decodeForm(ScoreForm.self)
            try await ReportService.score(reportID: try reportID(req), points: form.score, notApplicableReason: form.notApplicable ? form.reason : nil,
                                          correctionReason: form.correctionReason ?? "", by: try req.requireUser(), on: req.db,
                                          now: req.now, today: req.today)
            return req.redirect(to: SiteURL.verifyReport.path(try reportID(req)), notice: "verify.scored")
        }
    }

    /// Runs one of the report page's forms; when what was sent breaks a rule, the page again with what was typed and
    /// the message beside `field` (or beside the field the rule names).
    private func saving(_ req: Request, field: String, _ save: () async throws -> Response) async throws -> Response {
        do {
            return try await save()
        } catch {
            let typed = (try? req.content.decode(TypedValues.self)) ?? TypedValues()
            var errors = FormErrors(fields: Self.reportFields)
            switch error {
            case let error as FieldError: errors.add(error, on: req)
            case ReportLifecycle.Refusal.correctionReasonRequired: try errors.add("correctionReason", error, on: req)
            case let error as AppError where error.messageKey == "score.reason_required": try errors.add("reason", error, on: req)
            default: try errors.add(field, error, on: req)
            }
            return try await render(req, typed: typed, errors: errors)
        }
    }

    func assessments(req: Request) async throws -> Response {
        try await renderAssessments(req, refused: nil)
    }

    func assess(req: Request) async throws -> Response {
        let commitmentID = try req.idParameter("commitment")
        let (code, period) = try Self.period(req)
        guard let commitment = try await CommitmentModel.find(commitmentID, on: req.db) else { throw AppError.notFound(what: "commitment") }
        do {
            let form = try req.decodeForm(AssessmentForm.self)
            try await ResultsService.assess(planCode: code, period: period, commitmentNumber: commitment.number, assessment: try form.assessment(),
                                            correctionReason: form.correctionReason, by: try req.requireUser(), now: req.now, on: req.db)
        } catch {
            // The page again with this commitment's form as it was typed and the message above it.
            let appError = AppError.from(error)
            guard [.unprocessableEntity, .conflict].contains(appError.status) else { throw error }
            let typed = (try? req.content.decode(TypedAssessment.self)) ?? TypedAssessment()
            return try await renderAssessments(req, refused: RefusedAssessment(
                commitmentID: commitmentID, typed: typed, message: req.application.localizer.message(for: appError, req.language),
                status: appError.status))
        }
        return req.redirect(to: SiteURL.verifyAssessments.path(code, period.description), notice: "verify.assessment_saved")
    }

    /// The plan code and the period (`B12` or `2021`) of a verification address.
    static func period(_ req: Request) throws -> (String, ReportPeriod) {
        let code: String = try req.parameters.require("code")
        guard let period = req.parameters.get("period").flatMap(ReportPeriod.init(text:)) else { throw AppError.notFound(what: "semester") }
        return (code, period)
    }

    // MARK: -

    private func reportID(_ req: Request) throws -> UUID { try req.idParameter() }

    private func render(_ req: Request, typed: TypedValues, errors: FormErrors) async throws -> Response {
        let id = try reportID(req)
        guard let report = try await ReportQueries.reports({ $0.filter(\.$id == id) }, language: req.language, viewer: req.currentUser?.caller, on: req.db).first else {
            throw AppError.notFound(what: "report")
        }
        guard req.may(.readUnpublished, plan: report.planID) else { throw AppError.forbidden }
        return try await req.view.render("verify-report", ReportPage(
            page: PageMeta(request: req, title: req.t("verify.report_title")), report: report,
            canScore: req.may(.verify, plan: report.planID),
            isPublished: try await SemesterService.isPublished(semesterID: try UUID(uuidString: report.semesterID).orThrow(AppError.notFound(what: "report")),
                                                               on: req.db),
            history: try await HistoryView.entries(objectType: "report", objectID: report.id, request: req),
            typed: typed, errors: errors)).encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }

    private func renderAssessments(_ req: Request, refused: RefusedAssessment?) async throws -> Response {
        let (code, period) = try Self.period(req)
        let results = try await PeriodResults.load(planCode: code, period: period, on: req.db)
        return try await req.view.render("verify-assessments", AssessmentsPage(
            page: PageMeta(request: req, title: req.t("verify.assessments_title")), planCode: code,
            planTitle: results.plan.title, period: period.description, isYear: period.isYear,
            rows: results.commitments.map { row in
                let rating = row.assessment.rating
                let corrections = results.corrections(ofCommitment: row.commitmentID).map { CorrectionView($0, scheme: results.scheme, request: req) }
                let refused = refused.flatMap { $0.commitmentID == row.commitmentID ? $0 : nil }
                let typedRating = refused.map { $0.typed.rating ?? "" } ?? rating?.rawValue ?? ""
                return AssessmentRow(
                    commitmentID: row.commitmentID.uuidString, number: row.number, title: row.title,
                    defaultScore: row.result.defaultScore.map(String.init) ?? "–",
                    scoreOverride: refused.map { $0.typed.scoreOverride ?? "" } ?? row.result.scoreOverride.map(String.init) ?? "",
                    overrideReason: refused.map { $0.typed.overrideReason ?? "" } ?? row.assessment.overrideReason,
                    finalScore: row.result.finalScore.map(String.init) ?? "–",
                    categoryLabel: row.categoryLabel(req.language), rating: rating?.rawValue ?? "",
                    ratingLabel: rating.map { req.t("rating." + $0.rawValue) } ?? "–",
                    ratingField: SelectField(id: "c-\(row.number)", name: "rating", emptyLabel: "–", options: CoCreationRating.allCases.map {
                        .init(value: $0.rawValue, label: req.t("rating." + $0.rawValue), selected: $0.rawValue == typedRating)
                    }),
                    justification: refused.map { $0.typed.justification ?? "" } ?? row.assessment.justification,
                    correctionReason: refused?.typed.correctionReason ?? "", error: refused?.message,
                    scoredTargets: row.result.coverage.scored, reportedTargets: row.result.coverage.reported, targets: row.result.coverage.targets,
                    corrections: corrections, hasCorrections: !corrections.isEmpty, correctionCount: corrections.count)
            },
            canEdit: req.may(.verify, plan: results.plan.id), isPublished: results.isPublished,
            publishPath: SiteURL.publication.path(code, period.description))).encodeResponse(status: refused?.status ?? .ok, for: req)
    }
}
