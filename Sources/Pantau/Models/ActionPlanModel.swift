import Fluent
import Foundation

/// An action plan (RAN): its code is its public address.
public final class ActionPlanModel: Model, @unchecked Sendable {
    public static let schema = "action_plans"

    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "title") public var title: String
    /// `YYYY-MM`, the first month of the plan.
    @Field(key: "period_start") public var periodStart: String
    /// `YYYY-MM`, the last month of the plan.
    @Field(key: "period_end") public var periodEnd: String
    @Parent(key: "scheme_id") public var scheme: ScoringSchemeModel
    @Field(key: "status") public var status: PlanStatus
    /// The government the plan belongs to (`CreateJurisdictions`); set on every plan.
    @OptionalParent(key: "jurisdiction_id") public var jurisdiction: JurisdictionModel?
    /// Set once the plan's cycle has ended or its region has left: read-only, still public.
    @OptionalField(key: "archived_at") public var archivedAt: Date?
    @Children(for: \.$plan) public var semesters: [PlanSemesterModel]
    @Children(for: \.$plan) public var commitments: [CommitmentModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, code: String, title: String, periodStart: String, periodEnd: String, schemeID: UUID,
                status: PlanStatus) {
        self.id = id
        self.code = code
        self.title = title
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.$scheme.id = schemeID
        self.status = status
    }
}

extension ActionPlanModel {
    /// The plan with this code, or the plan-not-found error every page and API answer shows.
    static func require(code: String, on database: any Database) async throws -> ActionPlanModel {
        guard let plan = try await ActionPlanModel.query(on: database).filter(\.$code == code).first() else {
            throw AppError.planNotFound(code: code)
        }
        return plan
    }
}

/// A reporting semester of a plan (B06..B24) with its dates (`YYYY-MM-DD`).
public final class PlanSemesterModel: Model, @unchecked Sendable {
    public static let schema = "plan_semesters"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Field(key: "code") public var code: String
    @Field(key: "month") public var month: Int
    @Field(key: "start_date") public var startDate: String
    @Field(key: "end_date") public var endDate: String

    public init() {}

    public init(planID: UUID, code: String, month: Int, startDate: String, endDate: String) {
        self.$plan.id = planID
        self.code = code
        self.month = month
        self.startDate = startDate
        self.endDate = endDate
    }
}
