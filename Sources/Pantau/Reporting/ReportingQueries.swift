import Fluent
import Foundation
import PantauDomain

/// What an organisation owes: the same list for its pages and for its own tracker through the API.
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

    /// Targets of the organisation's measures in semesters whose reporting is open for it today.
    static func owedTargets(organisationID: UUID, on database: any Database, today: CalendarDay) async throws -> [OwedTarget] {
        let measures = try await SuccessMeasureModel.query(on: database).filter(\.$responsible.$id == organisationID)
            .with(\.$goal) { $0.with(\.$commitment) { $0.with(\.$plan) } }
            .with(\.$targets) { $0.with(\.$semester) }
            .all()
        let semesterIDs = Set(measures.flatMap { $0.targets.map { $0.$semester.id } })
        let windows = try await ReportingWindowModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).with(\.$extensions).all()
        let reports = try await TargetReportModel.query(on: database).filter(\.$organisation.$id == organisationID).all()
        let statusByTarget = Dictionary(reports.map { ($0.$target.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        var owed: [OwedTarget] = []
        for measure in measures {
            for target in measure.targets {
                guard let window = windows.first(where: { $0.$semester.id == target.$semester.id }), let domain = window.domain else { continue }
                let extended = window.extensions.first { $0.$organisation.id == organisationID }.flatMap { CalendarDay(iso: $0.until) }
                guard domain.acceptsReports(on: today, extendedUntil: extended) else { continue }
                owed.append(OwedTarget(
                    targetID: target.id!.uuidString, planCode: measure.goal.commitment.plan.code, semester: target.semester.code,
                    commitmentNumber: measure.goal.commitment.number, measure: measure.text, target: target.text,
                    status: statusByTarget[target.id!]?.rawValue ?? "not_started", closes: extended.map(\.iso) ?? window.reportCloses))
            }
        }
        return owed.sorted { ($0.planCode, $0.semester, $0.commitmentNumber) < ($1.planCode, $1.semester, $1.commitmentNumber) }
    }
}
