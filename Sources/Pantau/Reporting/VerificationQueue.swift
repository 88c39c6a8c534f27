import Fluent
import Foundation
import PantauDomain

/// The reports handed in for verification that a caller may read, filtered and a page at a time in the database, so
/// the queue stays quick with hundreds of plans: the page and the API read it through here.
struct VerificationQueue {
    struct Filter {
        var planCode: String?
        var semester: String?
        var status: ReportStatus?
        var organisation: String?
    }

    static let pageSize = 50

    /// The reports on `page` (from 1), in plan, semester and plan order; how many match in all; and the organisations
    /// reporting under the other filters (the choices of the organisation filter).
    static func load(_ filter: Filter, caller: Caller, page: Int?, language: Language,
                     on database: any Database) async throws -> (reports: [ReportQueries.ReportView], total: Int, organisations: [String]) {
        // Joins to the plan only where the filters or the sort need them: the national secretariat's unfiltered count
        // and organisation choices read the reports alone (tens of thousands with hundreds of plans).
        let scoped = caller.plans != .all || filter.planCode != nil || filter.semester != nil
        func matching(withOrganisation: Bool, joined: Bool) async throws -> QueryBuilder<TargetReportModel> {
            var query = TargetReportModel.query(on: database).filter(\.$status != .draft)
            if joined {
                query = query.join(TargetModel.self, on: \TargetReportModel.$target.$id == \TargetModel.$id)
                    .join(PlanSemesterModel.self, on: \TargetModel.$semester.$id == \PlanSemesterModel.$id)
                    .join(ActionPlanModel.self, on: \PlanSemesterModel.$plan.$id == \ActionPlanModel.$id)
                if case .only(let plans) = caller.plans { query = query.filter(PlanSemesterModel.self, \.$plan.$id ~~ Array(plans)) }
                if let code = filter.planCode { query = query.filter(ActionPlanModel.self, \.$code == code) }
                if let semester = filter.semester { query = query.filter(PlanSemesterModel.self, \.$code == semester) }
            }
            if let status = filter.status { query = query.filter(\.$status == status) }
            if withOrganisation, let name = filter.organisation {
                let ids = try await OrganisationModel.query(on: database).filter(\.$name == name).all(\.$id)
                query = query.filter(\.$organisation.$id ~~ ids)
            }
            return query
        }
        guard caller.mayEver(.readUnpublished) else { return ([], 0, []) }
        // DISTINCT in the database: with hundreds of plans the queue matches tens of thousands of reports.
        let organisationIDs = Set(try await matching(withOrganisation: false, joined: scoped).unique().all(\.$organisation.$id))
        let organisations = try await OrganisationModel.query(on: database).filter(\.$id ~~ Array(organisationIDs)).all(\.$name).sorted()
        let total = try await matching(withOrganisation: true, joined: scoped).count()
        var query = try await matching(withOrganisation: true, joined: true)
            .sort(ActionPlanModel.self, \.$code).sort(PlanSemesterModel.self, \.$month).sort(TargetModel.self, \.$id).sort(\.$id)
        if let page { query = query.range(((page - 1) * Self.pageSize)..<(page * Self.pageSize)) }
        let ids = try await query.all(\.$id)
        let order = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($0.element.uuidString, $0.offset) })
        let reports = try await ReportQueries.reports({ $0.filter(\.$id ~~ ids) }, language: language, viewer: caller, on: database)
            .sorted { (order[$0.id] ?? 0) < (order[$1.id] ?? 0) }
        return (reports, total, organisations)
    }
}
