import Fluent
import Foundation
import PantauDomain

/// The government a plan belongs to: Indonesia for the national plans, or a province, regency or city for a
/// regional one. Names are unique.
public final class JurisdictionModel: Model, @unchecked Sendable {
    public static let schema = "jurisdictions"
    /// The national jurisdiction every plan belongs to unless it is given another.
    static let nationalName = "Indonesia"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: JurisdictionKind
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, name: String, kind: JurisdictionKind) {
        self.id = id
        self.name = name
        self.kind = kind
    }

    /// The national jurisdiction, made by migration 015.
    static func national(on database: any Database) async throws -> JurisdictionModel {
        try await JurisdictionModel.query(on: database).filter(\.$kind == .national).sort(\.$name).first()
            .orThrow(AppError.notFound(what: "jurisdiction"))
    }
}

/// A plan given to a secretariat, reviewer or monitor account that does not hold every plan (`UserModel.allPlans`).
public final class PlanGrantModel: Model, @unchecked Sendable {
    public static let schema = "plan_grants"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, userID: UUID, planID: UUID) {
        self.id = id
        self.$user.id = userID
        self.$plan.id = planID
    }
}
