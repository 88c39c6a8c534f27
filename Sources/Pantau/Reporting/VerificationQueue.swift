import Fluent
import Foundation
import PantauDomain
import SQLKit

/// The reports handed in for verification that a caller may read, filtered and a page at a time, so the queue stays
/// quick with hundreds of plans: the page and the API read it through here.
struct VerificationQueue {
    struct Filter {
        var planCode: String?
        var semester: String?
        var status: ReportStatus?
        var organisation: String?
    }

    static let pageSize = 50

    /// One handed-in report as the queue sorts and filters it: a plan's rows are kept in `PlanResultsCache` until
    /// the plan changes, so a score in one plan reads that plan's rows again, not the 66,000 of 550 plans.
    struct Row: Sendable {
        let id: UUID
        let status: ReportStatus
        let semester: String
        let organisation: String
    }

    /// The handed-in reports of one plan, and the organisations that wrote them.
    struct PlanRows: Sendable {
        let rows: [Row]
        let organisations: Set<String>
    }

    /// The reports on `page` (from 1; nil for all), in plan, semester and target order; how many match in all; the
    /// organisations reporting under the other filters (the choices of the organisation filter); and the codes of the
    /// plans the caller may read (the choices of the plan filter).
    static func load(_ filter: Filter, caller: Caller, page: Int?, language: Language, cache: PlanResultsCache, on database: any Database)
        async throws -> (reports: [ReportQueries.ReportView], total: Int, organisations: [String], planCodes: [String]) {
        guard caller.mayEver(.readUnpublished) else { return ([], 0, [], []) }
        let versions = try await PlanChanges.versions(on: database)
        struct PlanRow: Decodable { let id: UUID; let code: String }
        let readable = try await (database as! any SQLDatabase).select().columns("id", "code").from(ActionPlanModel.schema)
            .orderBy("code").all(decoding: PlanRow.self)
            .filter { caller.may(.readUnpublished, plan: $0.id) }
        let plans = readable.filter { filter.planCode == nil || $0.code == filter.planCode }
        let rowsOfPlan = try await cache.values(plans.map { ($0.id, "queue") }, versions: versions) { missing in
            try await rows(ofPlans: missing.map { plans[$0].id }, on: database)
        }
        // One pass over the rows (66,000 at 550 plans), keeping only the page's ids.
        let wanted = page.map { (($0 - 1) * pageSize)..<($0 * pageSize) }
        let onlyPlanFiltered = filter.semester == nil && filter.status == nil
        var organisations = Set<String>()
        var total = 0
        var shown: [UUID] = []
        for plan in rowsOfPlan {
            if onlyPlanFiltered { organisations.formUnion(plan.organisations) }
            for row in plan.rows where (filter.semester == nil || row.semester == filter.semester) && (filter.status == nil || row.status == filter.status) {
                if !onlyPlanFiltered { organisations.insert(row.organisation) }
                guard filter.organisation == nil || row.organisation == filter.organisation else { continue }
                if wanted?.contains(total) ?? true { shown.append(row.id) }
                total += 1
            }
        }
        let order = Dictionary(shown.enumerated().map { ($0.element.uuidString, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let reports = try await inSlices(shown) { ids in
            try await ReportQueries.reports({ $0.filter(\.$id ~~ ids) }, language: language, viewer: caller, on: database)
        }.sorted { (order[$0.id] ?? 0) < (order[$1.id] ?? 0) }
        return (reports, total, organisations.sorted(), readable.map(\.code))
    }

    /// The handed-in reports of `planIDs`, each plan's in semester, target and report order (the order of the
    /// databases' ids, the same on both).
    private static func rows(ofPlans planIDs: [UUID], on database: any Database) async throws -> [PlanRows] {
        struct Found: Decodable {
            let id: UUID
            let status: ReportStatus
            let semester: String
            let organisation: String
            let plan_id: UUID
        }
        let found = try await inSlices(planIDs) { slice in
            try await (database as! any SQLDatabase).raw("""
                SELECT r.id, r.status, s.code AS semester, o.name AS organisation, s.plan_id
                FROM target_reports r JOIN targets t ON t.id = r.target_id JOIN plan_semesters s ON s.id = t.semester_id
                JOIN organisations o ON o.id = r.organisation_id
                WHERE s.plan_id IN (\(binds: slice)) AND r.status <> \(bind: ReportStatus.draft.rawValue)
                ORDER BY s.month, t.id, r.id
                """).all(decoding: Found.self)
        }
        let ofPlan = Dictionary(grouping: found, by: \.plan_id)
        return planIDs.map { plan in
            let found = ofPlan[plan] ?? []
            return PlanRows(rows: found.map { Row(id: $0.id, status: $0.status, semester: $0.semester, organisation: $0.organisation) },
                            organisations: Set(found.map(\.organisation)))
        }
    }
}
