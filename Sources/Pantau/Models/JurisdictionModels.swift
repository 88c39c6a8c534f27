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

    /// The jurisdiction of this name; made (and recorded in the history) when there is none, of `kind`, which must
    /// then be given. One of that name but another kind is a mistake, not a second jurisdiction.
    public static func findOrCreate(name: String, kind: JurisdictionKind?, actor: AuditActor, on database: any Database) async throws -> JurisdictionModel {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await AuditLog.transaction(on: database, actor: actor) { db in
            if let existing = try await JurisdictionModel.query(on: db).filter(\.$name == name).first() {
                if let kind, kind != existing.kind {
                    throw AppError.conflict(key: "region.kind_differs", arguments: [name, existing.kind.rawValue])
                }
                return (existing, [])
            }
            guard !name.isEmpty else { throw AppError.invalid(key: "region.name_required", arguments: []) }
            guard let kind else { throw AppError.invalid(key: "region.kind_required", arguments: []) }
            let made = JurisdictionModel(name: name, kind: kind)
            try await made.create(on: db)
            return (made, [AuditChange(action: "jurisdiction.create", objectType: "jurisdiction", objectID: try made.requireID().uuidString,
                                       before: Optional<RegionStart.JurisdictionState>.none, after: RegionStart.JurisdictionState(name: name, kind: kind))])
        }
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
