import Fluent
import Foundation
import PantauDomain
import SQLKit

/// Which semesters and years of some plans are published, read in two queries however many plans there are.
struct PublishedPeriods {
    let semesters: Set<UUID>
    let years: [UUID: [Int]]

    /// Read as plain columns: at 550 plans, decoding thousands of publications as models took most of the plan list.
    static func load(plans: [UUID], on database: any Database) async throws -> PublishedPeriods {
        let sql = database as! any SQLDatabase
        struct SemesterRow: Decodable { let semester_id: UUID }
        let semesters = try await inSlices(plans) { slice in
            try await sql.raw("""
                SELECT p.semester_id FROM semester_publications p JOIN plan_semesters s ON s.id = p.semester_id WHERE s.plan_id IN (\(binds: slice))
                """).all(decoding: SemesterRow.self)
        }
        struct YearRow: Decodable { let plan_id: UUID; let year: Int }
        let years = try await inSlices(plans) { slice in
            try await sql.raw("SELECT plan_id, year FROM year_publications WHERE plan_id IN (\(binds: slice))").all(decoding: YearRow.self)
        }
        return PublishedPeriods(semesters: Set(semesters.map(\.semester_id)),
                                years: Dictionary(grouping: years, by: \.plan_id).mapValues { $0.map(\.year) })
    }

    /// The published periods of a plan loaded with its semesters, in time order: a year after its last semester.
    func of(_ plan: ActionPlanModel) -> [ReportPeriod] {
        let semesters = plan.semesters.sorted { $0.month < $1.month }
        let periods = semesters.filter { $0.id.map(self.semesters.contains) ?? false }.map { (end: $0.endDate, period: ReportPeriod.semester($0.code)) }
            + (plan.id.flatMap { years[$0] } ?? []).map { (end: "\($0)-12-31", period: ReportPeriod.year($0)) }
        return periods.sorted { $0.end < $1.end }.map(\.period)
    }
}
