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
        func matching(withOrganisation: Bool) async throws -> QueryBuilder<TargetReportModel> {
            var query = TargetReportModel.query(on: database)
                .join(TargetModel.self, on: \TargetReportModel.$target.$id == \TargetModel.$id)
                .join(PlanSemesterModel.self, on: \TargetModel.$semester.$id == \PlanSemesterModel.$id)
                .join(ActionPlanModel.self, on: \PlanSemesterModel.$plan.$id == \ActionPlanModel.$id)
                .filter(\.$status != .draft)
            if case .only(let plans) = caller.plans { query = query.filter(PlanSemesterModel.self, \.$plan.$id ~~ Array(plans)) }
            if let status = filter.status { query = query.filter(\.$status == status) }
            if let code = filter.planCode { query = query.filter(ActionPlanModel.self, \.$code == code) }
            if let semester = filter.semester { query = query.filter(PlanSemesterModel.self, \.$code == semester) }
            if withOrganisation, let name = filter.organisation {
                let ids = try await OrganisationModel.query(on: database).filter(\.$name == name).all(\.$id)
                query = query.filter(\.$organisation.$id ~~ ids)
            }
            return query
        }
        guard caller.mayEver(.readUnpublished) else { return ([], 0, []) }
        // DISTINCT in the database: with hundreds of plans the queue matches tens of thousands of reports.
        let organisationIDs = Set(try await matching(withOrganisation: false).unique().all(\.$organisation.$id))
        let organisations = try await OrganisationModel.query(on: database).filter(\.$id ~~ Array(organisationIDs)).all(\.$name).sorted()
        let query = try await matching(withOrganisation: true)
            .sort(ActionPlanModel.self, \.$code).sort(PlanSemesterModel.self, \.$month).sort(TargetModel.self, \.$id).sort(\.$id)
        let ids: [UUID], total: Int
        if let page {
            let found = try await query.paginate(PageRequest(page: page, per: Self.pageSize))
            (ids, total) = (try found.items.map { try $0.requireID() }, found.metadata.total)
        } else {
            ids = try await query.all(\.$id)
            total = ids.count
        }
        let order = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($0.element.uuidString, $0.offset) })
        let reports = try await ReportQueries.reports({ $0.filter(\.$id ~~ ids) }, language: language, viewer: caller, on: database)
            .sorted { (order[$0.id] ?? 0) < (order[$1.id] ?? 0) }
        return (reports, total, organisations)
    }
}
