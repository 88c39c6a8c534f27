import Fluent
import Foundation
import PantauDomain
import Vapor

/// The secretariat's results of a period (a semester or a year): commitment assessments, the publication check,
/// publication, and corrections of what was published. Every change goes through the audit history.
enum ResultsService {
    struct AssessmentState: Codable, Sendable {
        let period: String
        let scoreOverride: Int?
        let overrideReason: String
        let coCreationRating: CoCreationRating?
        let coCreationJustification: String

        init(period: ReportPeriod, _ assessment: Assessment) {
            self.period = period.description
            scoreOverride = assessment.scoreOverride
            overrideReason = assessment.overrideReason
            coCreationRating = assessment.rating
            coCreationJustification = assessment.justification
        }
    }

    struct PublicationState: Codable, Sendable {
        let period: String
        let publishedAt: Date
        let reason: String
    }

    struct CorrectionState: Codable, Sendable {
        let period: String
        let reason: String
        let before: CorrectedValue
        let after: CorrectedValue
    }

    /// Sets a commitment's assessment for a period. In a published period it is a correction: `correctionReason`
    /// is required, and the change is recorded for the public.
    static func assess(planCode: String, period: ReportPeriod, commitmentNumber: Int, assessment: Assessment, correctionReason: String,
                       by user: CurrentUser, now: Date, on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            let plan = try await PeriodResults.plan(code: planCode, on: db)
            guard let commitment = try await CommitmentModel.query(on: db).filter(\.$plan.$id == plan.requireID())
                .filter(\.$number == commitmentNumber).first() else {
                throw AppError.commitmentNotFound(plan: planCode, number: "\(commitmentNumber)")
            }
            let before = try await PeriodResults.load(plan: plan, period: period, commitmentID: commitment.requireID(), on: db)
            let reason = try correctionReasonIfPublished(before.isPublished, correctionReason)
            let record = try await assessmentRecord(plan: plan, period: period, commitmentID: commitment.requireID(), semesters: before.semesters, on: db)
            let previous = record.assessment
            record.store(assessment)
            try await record.save(on: db)
            var changes = [AuditChange(action: "assessment.set", objectType: "commitment", objectID: commitment.id!.uuidString,
                                       before: AssessmentState(period: period, previous), after: AssessmentState(period: period, assessment),
                                       reason: reason ?? assessment.overrideReason)]
            if let reason, let old = before.commitments.first {
                let after = try await PeriodResults.load(plan: plan, period: period, commitmentID: commitment.requireID(), on: db)
                if let new = after.commitments.first {
                    changes.append(try await recordCorrection(plan: plan, period: period, commitmentID: commitment.requireID(), reportID: nil,
                                                              before: old.value, after: new.value, reason: reason, by: user, now: now, on: db))
                }
                try await Notifier.notify(.resultsPublished, arguments: [plan.code, period.description, "#notification.results_corrected"],
                                          link: SiteURL.commitment.path(plan.code, commitmentNumber),
                                          to: try await Notifier.implementers(ofPlan: plan.requireID(), commitments: [commitment.requireID()], on: db),
                                          now: now, on: db)
            }
            return ((), changes)
        }
    }

    /// What the secretariat sees before publishing a period.
    static func check(planCode: String, period: ReportPeriod, today: CalendarDay, on database: any Database) async throws -> (PeriodResults, PublicationCheck) {
        let results = try await PeriodResults.load(planCode: planCode, period: period, on: database)
        return (results, try await check(results, today: today, on: database))
    }

    static func check(_ results: PeriodResults, today: CalendarDay, on database: any Database) async throws -> PublicationCheck {
        let semesterIDs = results.semesters.compactMap(\.id)
        let windows = try await ReportingWindowModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).with(\.$extensions).all()
        let openWindows = PublicationCheck.openWindows(results.semesters.map { semester in
            let window = windows.first { $0.$semester.id == semester.id }
            return (semester.code, window?.domain, window?.extensions.compactMap { CalendarDay(iso: $0.until) } ?? [])
        }, on: today)
        var unpublished: [String] = []
        if case .year = results.period {
            let published = Set(try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).all().map { $0.$semester.id })
            unpublished = results.semesters.filter { !published.contains($0.id!) }.map(\.code)
        }
        let clarifications = results.commitments.flatMap(\.rows).filter { $0.report?.status == .clarificationRequested }.count
        return PublicationCheck(
            commitments: results.commitments.map { .init(number: $0.number, title: $0.title, coverage: $0.result.coverage) },
            openClarifications: clarifications, openWindows: openWindows, unpublishedSemesters: unpublished)
    }

    /// Publishes a period after checking it: when anything is incomplete, `reason` is required and kept.
    static func publish(planCode: String, period: ReportPeriod, reason: String, by user: CurrentUser, now: Date, today: CalendarDay,
                        on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            let (results, check) = try await check(planCode: planCode, period: period, today: today, on: db)
            guard !results.isPublished else { throw PublicationCheck.Problem.alreadyPublished }
            let kept = try check.publicationReason(reason)
            let planID = try results.plan.requireID()
            let objectID: String
            switch period {
            case .semester:
                let publication = SemesterPublicationModel()
                publication.$semester.id = try results.semesters[0].requireID()
                publication.publishedAt = now
                publication.publishedBy = user.name
                publication.reason = kept
                try await publication.create(on: db)
                objectID = publication.$semester.id.uuidString
            case .year(let year):
                let publication = YearPublicationModel()
                publication.$plan.id = planID
                publication.year = year
                publication.publishedAt = now
                publication.publishedBy = user.name
                publication.reason = kept
                try await publication.create(on: db)
                objectID = planID.uuidString
            }
            try await Notifier.notify(.resultsPublished, arguments: [planCode, period.description, "#notification.results_published_word"],
                                      link: SiteURL.plan.path(planCode), to: try await Notifier.implementers(ofPlan: planID, on: db),
                                      now: now, on: db)
            try await Followers.tell(.resultsPublished, planID: planID,
                                     commitments: try await CommitmentModel.query(on: db).filter(\.$plan.$id == planID).all(\.$id),
                                     arguments: [results.plan.title, planCode, period.description],
                                     link: SiteURL.evaluation.path(planCode).with(query: [("period", period.description)]), now: now, on: db)
            return ((), [AuditChange(action: period.isYear ? "year.publish" : "semester.publish", objectType: period.isYear ? "plan" : "semester",
                                     objectID: objectID, before: Optional<PublicationState>.none,
                                     after: PublicationState(period: period.description, publishedAt: now, reason: kept), reason: kept)])
        }
        try await SearchIndex.rebuild(planCode: planCode, on: database)
    }

    /// A correction's reason when the period is published (required then), nil when it is not.
    static func correctionReasonIfPublished(_ published: Bool, _ reason: String) throws -> String? {
        guard published else { return nil }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ReportLifecycle.Refusal.correctionReasonRequired }
        guard reason.count <= 2000 else { throw AppError.invalid(key: "form.too_long", arguments: ["2000"]) }
        return reason
    }

    /// Records a correction of a published result for the public, with its audit entry.
    static func recordCorrection(plan: ActionPlanModel, period: ReportPeriod, commitmentID: UUID, reportID: UUID?, before: CorrectedValue,
                                 after: CorrectedValue, reason: String, by user: CurrentUser, now: Date, on database: any Database) async throws -> AuditChange {
        let correction = ResultCorrectionModel()
        correction.$plan.id = try plan.requireID()
        correction.period = period.description
        correction.$commitment.id = commitmentID
        correction.$report.id = reportID
        correction.madeAt = now
        correction.madeBy = user.name
        correction.reason = reason
        correction.before = AuditLog.canonicalJSON(before) ?? "{}"
        correction.after = AuditLog.canonicalJSON(after) ?? "{}"
        try await correction.create(on: database)
        let number = try await CommitmentModel.find(commitmentID, on: database)?.number ?? 0
        try await Followers.tell(.resultCorrected, planID: try plan.requireID(), commitments: [commitmentID],
                                 arguments: [plan.code, period.description, "\(number)", reason], link: SiteURL.commitment.path(plan.code, number),
                                 now: now, on: database)
        return AuditChange(action: "result.correct", objectType: reportID == nil ? "commitment" : "report",
                           objectID: (reportID ?? commitmentID).uuidString, before: Optional<CorrectionState>.none,
                           after: CorrectionState(period: period.description, reason: reason, before: before, after: after), reason: reason)
    }

    private static func assessmentRecord(plan: ActionPlanModel, period: ReportPeriod, commitmentID: UUID, semesters: [PlanSemesterModel],
                                         on database: any Database) async throws -> any AssessmentRecord {
        switch period {
        case .semester:
            let semesterID = try semesters[0].requireID()
            if let existing = try await CommitmentAssessmentModel.query(on: database).filter(\.$commitment.$id == commitmentID)
                .filter(\.$semester.$id == semesterID).first() { return existing }
            let created = CommitmentAssessmentModel()
            created.$commitment.id = commitmentID
            created.$semester.id = semesterID
            created.store(.none)
            return created
        case .year(let year):
            if let existing = try await YearAssessmentModel.query(on: database).filter(\.$commitment.$id == commitmentID)
                .filter(\.$year == year).first() { return existing }
            let created = YearAssessmentModel()
            created.$plan.id = try plan.requireID()
            created.$commitment.id = commitmentID
            created.year = year
            created.store(.none)
            return created
        }
    }
}

extension ResultCorrectionModel {
    var beforeValue: CorrectedValue? { try? JSONDecoder().decode(CorrectedValue.self, from: Data(before.utf8)) }
    var afterValue: CorrectedValue? { try? JSONDecoder().decode(CorrectedValue.self, from: Data(after.utf8)) }
}

extension ReportPeriod {
    var isYear: Bool { if case .year = self { true } else { false } }

    /// `B12` or `2021`, as addresses and forms carry it.
    init?(text: String) {
        if Semester.month(fromCode: text) != nil { self = .semester(text); return }
        if text.count == 4, let year = Int(text), (2000...2100).contains(year) { self = .year(year); return }
        return nil
    }
}
