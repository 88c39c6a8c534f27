import Fluent
import Foundation
import PantauDomain
import SQLKit

/// Reads plans for the pages and the API, each in a fixed number of queries (eager loading), never one per row.
enum PlanQueries {
    static func summaries(on database: any Database) async throws -> [API.PlanSummaryDTO] {
        let plans = try await summaryModels(on: database)
        return summaries(of: plans, commitmentCounts: try await commitmentCounts(on: database))
    }

    /// Every plan with its semesters, newest first (or the plans `ids` names, in that order): what `summaries(of:)`
    /// needs with `commitmentCounts`.
    static func summaryModels(ids: [UUID]? = nil, on database: any Database) async throws -> [ActionPlanModel] {
        func query() -> QueryBuilder<ActionPlanModel> {
            ActionPlanModel.query(on: database).with(\.$jurisdiction).sort(\.$periodStart, .descending).sort(\.$code)
        }
        var plans: [ActionPlanModel]
        if let ids {
            let found = try await inSlices(ids) { slice in try await query().filter(\.$id ~~ slice).all() }
            let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            plans = ids.compactMap { byID[$0] }
        } else {
            plans = try await query().all()
        }
        try await plans.loadChildren(\.$semesters, on: database)
        return plans
    }

    /// How many commitments each plan (or each of `plans`) has, counted by the database (reading 8,000 commitments to
    /// count them took most of a second at 550 plans).
    static func commitmentCounts(plans: [UUID]? = nil, on database: any Database) async throws -> [UUID: Int] {
        struct Row: Decodable { let plan_id: UUID; let count: Int }
        func counts(_ slice: [UUID]?) async throws -> [Row] {
            var query = (database as! any SQLDatabase).select().column("plan_id")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from(CommitmentModel.schema)
            if let slice { query = query.where("plan_id", .in, slice) }
            return try await query.groupBy("plan_id").all(decoding: Row.self)
        }
        let rows = if let plans { try await inSlices(plans) { try await counts($0) } } else { try await counts(nil) }
        return Dictionary(rows.map { ($0.plan_id, $0.count) }, uniquingKeysWith: +)
    }

    static func summaries(of plans: [ActionPlanModel], commitmentCounts: [UUID: Int]) -> [API.PlanSummaryDTO] {
        plans.map { plan in
            API.PlanSummaryDTO(id: plan.id?.uuidString ?? "", code: plan.code, title: plan.title, periodStart: plan.periodStart, periodEnd: plan.periodEnd,
                               semesters: semesterDTOs(plan.semesters), commitmentCount: plan.id.flatMap { commitmentCounts[$0] } ?? 0, status: plan.status,
                               jurisdiction: jurisdictionDTO(plan.jurisdiction), archivedAt: plan.archivedAt.map { ISO8601DateFormatter().string(from: $0) })
        }
    }

    /// Every plan has a jurisdiction (migration 015 and `PlanWriter`); a row without one reads as national.
    static func jurisdictionDTO(_ jurisdiction: JurisdictionModel?) -> API.JurisdictionDTO {
        API.JurisdictionDTO(name: jurisdiction?.name ?? JurisdictionModel.nationalName, kind: jurisdiction?.kind ?? .national)
    }

    static func detail(code: String, on database: any Database) async throws -> API.PlanDetailDTO {
        let found = try await ActionPlanModel.query(on: database)
            .filter(\.$code == code)
            .with(\.$semesters)
            .with(\.$scheme) { $0.with(\.$categories) }
            .with(\.$commitments) { $0.with(\.$participants) { $0.with(\.$organisation) } }
            .with(\.$jurisdiction)
            .first()
        guard let plan = found else { throw AppError.planNotFound(code: code) }

        let commitments = plan.commitments.sorted { $0.number < $1.number }.map { commitment in
            API.CommitmentSummaryDTO(id: commitment.id?.uuidString ?? "", number: commitment.number, title: commitment.title, theme: commitment.theme,
                                     responsible: organisations(commitment.participants, role: .responsible))
        }
        return API.PlanDetailDTO(
            id: try plan.requireID().uuidString, code: plan.code, title: plan.title, periodStart: plan.periodStart, periodEnd: plan.periodEnd,
            semesters: semesterDTOs(plan.semesters), scoringScheme: try schemeDTO(plan.scheme),
            commitments: commitments, status: plan.status,
            jurisdiction: jurisdictionDTO(plan.jurisdiction),
            archivedAt: plan.archivedAt.map { ISO8601DateFormatter().string(from: $0) })
    }

    static func commitment(planCode: String, number: Int, on database: any Database) async throws -> API.CommitmentDetailDTO {
        guard let plan = try await ActionPlanModel.query(on: database)
            .filter(\.$code == planCode).with(\.$semesters).first()
        else { throw AppError.planNotFound(code: planCode) }
        let found = try await CommitmentModel.query(on: database)
            .filter(\.$plan.$id == plan.requireID())
            .filter(\.$number == number)
            .with(\.$participants) { $0.with(\.$organisation) }
            .with(\.$contacts)
            .with(\.$indicators)
            .with(\.$goals) { $0.with(\.$measures) { $0.with(\.$responsible).with(\.$targets) } }
            .first()
        guard let commitment = found else { throw AppError.commitmentNotFound(plan: planCode, number: "\(number)") }

        let semesters = plan.semesters.sorted { $0.month < $1.month }
        let goals = commitment.goals.sorted { $0.position < $1.position }.map { goal in
            API.GoalDTO(id: goal.id?.uuidString ?? "", number: goal.position + 1, text: goal.text, measures: goal.measures.sorted { $0.position < $1.position }.map { measure in
                let targetBySemester = Dictionary(measure.targets.map { ($0.$semester.id, $0) }, uniquingKeysWith: { first, _ in first })
                return API.MeasureDTO(
                    id: measure.id?.uuidString ?? "", number: measure.position + 1, text: measure.text, responsible: organisationDTO(measure.responsible),
                    expectedEvidence: measure.expectedEvidence,
                    targets: semesters.map {
                        let target = $0.id.flatMap { targetBySemester[$0] }
                        return API.TargetDTO(id: target?.id?.uuidString, semester: $0.code, text: target?.text)
                    })
            })
        }
        return API.CommitmentDetailDTO(
            plan: API.PlanRefDTO(code: plan.code, title: plan.title),
            id: try commitment.requireID().uuidString, number: commitment.number, title: commitment.title, theme: commitment.theme,
            description: commitment.descriptionRecord,
            proposers: organisations(commitment.participants, role: .proposer),
            responsible: organisations(commitment.participants, role: .responsible),
            related: organisations(commitment.participants, role: .related),
            partners: organisations(commitment.participants, role: .partner),
            planningDirectorate: commitment.planningDirectorate,
            contacts: commitment.contacts.sorted { $0.position < $1.position }.map(\.record),
            start: commitment.startMonth, end: commitment.endMonth,
            indicators: commitment.indicators.sorted { $0.position < $1.position }.map {
                API.IndicatorDTO(text: $0.text, start: $0.startMonth, end: $0.endMonth)
            },
            semesters: semesterDTOs(plan.semesters),
            goals: goals, note: commitment.note)
    }

    private static func semesterDTOs(_ semesters: [PlanSemesterModel]) -> [API.SemesterDTO] {
        semesters.sorted { $0.month < $1.month }.map {
            API.SemesterDTO(code: $0.code, month: $0.month, startDate: $0.startDate, endDate: $0.endDate)
        }
    }

    private static func organisationDTO(_ organisation: OrganisationModel) -> API.OrganisationRefDTO {
        API.OrganisationRefDTO(id: organisation.id!.uuidString, name: organisation.name, acronym: organisation.acronym, kind: organisation.kind)
    }

    private static func organisations(_ links: [CommitmentOrganisationModel], role: CommitmentRole) -> [API.OrganisationRefDTO] {
        links.filter { $0.role == role }.sorted { $0.position < $1.position }.map { organisationDTO($0.organisation) }
    }

    private static func schemeDTO(_ model: ScoringSchemeModel) throws -> API.ScoringSchemeDTO {
        let scheme = try SchemeStore.domainScheme(model, categories: model.categories)
        func dto(_ category: ScoreCategory, ranged: Bool) -> API.ScoreCategoryDTO {
            API.ScoreCategoryDTO(code: category.code, labels: category.labels,
                                 minScore: ranged ? category.minScore : nil, maxScore: ranged ? category.maxScore : nil)
        }
        return API.ScoringSchemeDTO(code: scheme.code, labels: scheme.labels,
                                    categories: scheme.categories.map { dto($0, ranged: true) },
                                    notApplicable: dto(scheme.notApplicable, ranged: false))
    }
}
