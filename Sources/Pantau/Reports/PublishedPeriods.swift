import Fluent
import Foundation
import PantauDomain

/// Which semesters and years of some plans are published, read in two queries however many plans there are.
struct PublishedPeriods {
    let semesters: Set<UUID>
    let years: [UUID: [Int]]

    static func load(plans: [UUID], on database: any Database) async throws -> PublishedPeriods {
        let semesterIDs = try await PlanSemesterModel.query(on: database).filter(\.$plan.$id ~~ plans).all(\.$id)
        let semesters = Set(try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).all().map { $0.$semester.id })
        let years = Dictionary(grouping: try await YearPublicationModel.query(on: database).filter(\.$plan.$id ~~ plans).all(), by: { $0.$plan.id })
            .mapValues { $0.map(\.year) }
        return PublishedPeriods(semesters: semesters, years: years)
    }

    /// The published periods of a plan loaded with its semesters, in time order: a year after its last semester.
    func of(_ plan: ActionPlanModel) -> [ReportPeriod] {
        let semesters = plan.semesters.sorted { $0.month < $1.month }
        let periods = semesters.filter { $0.id.map(self.semesters.contains) ?? false }.map { (end: $0.endDate, period: ReportPeriod.semester($0.code)) }
            + (plan.id.flatMap { years[$0] } ?? []).map { (end: "\($0)-12-31", period: ReportPeriod.year($0)) }
        return periods.sorted { $0.end < $1.end }.map(\.period)
    }
}
