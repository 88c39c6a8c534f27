import Fluent
import Foundation
import PantauDomain

/// What an organisation owes and answers for: the same lists for its pages, its own tracker through the API and its scorecard.
enum ReportingQueries {
    struct OwedTarget {
        let targetID: String
        let planCode: String
        let semester: String
        let commitmentNumber: Int
        let measure: String
        let target: String
        /// The report's status, or `not_started`.
        let status: String
        /// The last day it may report (its reopening, if any).
        let closes: String
    }

    /// Targets the organisation answers for (`targets(answeredBy:)`) in semesters whose reporting is open for it today.
    static func owedTargets(organisationID: UUID, on database: any Database, today: CalendarDay) async throws -> [OwedTarget] {
        let answered = try await targets(answeredBy: organisationID, on: database)
        let semesterIDs = Set(answered.map { $0.target.$semester.id })
        let windows = try await ReportingWindowModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).with(\.$extensions).all()
        var owed: [OwedTarget] = []
        for (target, report) in answered {
            guard let window = windows.first(where: { $0.$semester.id == target.$semester.id }), let domain = window.domain else { continue }
            let extended = window.extensions.first { $0.$organisation.id == organisationID }.flatMap { CalendarDay(iso: $0.until) }
            guard domain.acceptsReports(on: today, extendedUntil: extended) else { continue }
            let commitment = target.measure.goal.commitment
            owed.append(OwedTarget(
                targetID: target.id!.uuidString, planCode: commitment.plan.code, semester: target.semester.code,
                commitmentNumber: commitment.number, measure: target.measure.text, target: target.text,
                status: report?.status.rawValue ?? "not_started", closes: extended.map(\.iso) ?? window.reportCloses))
        }
        return owed.sorted { ($0.planCode, $0.semester, $0.commitmentNumber) < ($1.planCode, $1.semester, $1.commitmentNumber) }
    }

    /// The targets an organisation answers for, by the one rule of who a report belongs to (`ReportLifecycle.owner`):
    /// those of its measures that no other organisation has reported on, and every target it has reported on, whoever
    /// holds the measure now; each with its report, if any. Targets come with their semester and their measure's goal,
    /// commitment and plan (with its scoring scheme). Its reporting pages, its tracker and its scorecard read this list.
    static func targets(answeredBy organisationID: UUID, on database: any Database) async throws -> [(target: TargetModel, report: TargetReportModel?)] {
        let measureIDs = try await SuccessMeasureModel.query(on: database).filter(\.$responsible.$id == organisationID).all().compactMap(\.id)
        let ofMeasures = measureIDs.isEmpty ? [] : try await TargetModel.query(on: database).filter(\.$measure.$id ~~ measureIDs).all().compactMap(\.id)
        let written = try await TargetReportModel.query(on: database).filter(\.$organisation.$id == organisationID).all().map { $0.$target.id }
        let candidates = Set(ofMeasures + written)
        guard !candidates.isEmpty else { return [] }
        let reports = try await TargetReportModel.query(on: database).filter(\.$target.$id ~~ candidates).all()
        let reportByTarget = Dictionary(reports.map { ($0.$target.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try await TargetModel.query(on: database).filter(\.$id ~~ candidates)
            .with(\.$semester)
            .with(\.$measure) { $0.with(\.$goal) { $0.with(\.$commitment) { $0.with(\.$plan) { $0.with(\.$scheme) { $0.with(\.$categories) } } } } }
            .all()
            .map { (target: $0, report: reportByTarget[$0.id!]) }
            .filter { ReportLifecycle.owner(writtenBy: $0.report?.$organisation.id, measureResponsible: $0.target.measure.$responsible.id) == organisationID }
    }
}
