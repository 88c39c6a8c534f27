import Fluent
import Foundation
import PantauDomain

/// A plan's multi-stakeholder forum: its members (organisations of the list, each in a seat), kept by the plan's
/// secretariat and recorded in the plan's history. Its meetings are the plan's minutes marked as forum meetings.
enum ForumService {
    struct MemberState: Codable, Sendable {
        let organisation: String
        let seat: ForumSeat
    }

    /// Adds an organisation (found as the editor finds one: a name, an acronym, a unique part) in a seat.
    static func add(planCode: String, organisation typed: String, seat: ForumSeat, actor: AuditActor, on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: actor) { db in
            let plan = try await writablePlan(planCode, on: db)
            let organisationID = try await OrganisationDirectory(on: db).id(for: typed)
            guard let organisation = try await OrganisationModel.find(organisationID, on: db) else { throw AppError.notFound(what: "organisation") }
            guard try await ForumMemberModel.query(on: db).filter(\.$plan.$id == plan.requireID()).filter(\.$organisation.$id == organisationID)
                .count() == 0 else { throw AppError.conflict(key: "forum.already_member", arguments: [organisation.name]) }
            try await ForumMemberModel(planID: plan.requireID(), organisationID: organisationID, seat: seat).create(on: db)
            return ((), [AuditChange(action: "forum.add", objectType: "plan", objectID: try plan.requireID().uuidString,
                                     before: Optional<MemberState>.none, after: MemberState(organisation: organisation.name, seat: seat))])
        }
    }

    static func remove(planCode: String, memberID: UUID, actor: AuditActor, on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: actor) { db in
            let plan = try await writablePlan(planCode, on: db)
            guard let member = try await ForumMemberModel.query(on: db).filter(\.$id == memberID).filter(\.$plan.$id == plan.requireID())
                .with(\.$organisation).first() else { throw AppError.notFound(what: "forum_member") }
            try await member.delete(on: db)
            return ((), [AuditChange(action: "forum.remove", objectType: "plan", objectID: try plan.requireID().uuidString,
                                     before: MemberState(organisation: member.organisation.name, seat: member.seat), after: Optional<MemberState>.none)])
        }
    }

    /// An archived plan is read-only, its forum included.
    private static func writablePlan(_ code: String, on db: any Database) async throws -> ActionPlanModel {
        let plan = try await ActionPlanModel.require(code: code, on: db)
        guard plan.archivedAt == nil else { throw AppError.conflict(key: "plan.archived", arguments: [code]) }
        return plan
    }

    /// Whether the plans have a forum on record (any member), by plan id.
    static func plansWithForum(_ planIDs: [UUID], on database: any Database) async throws -> Set<UUID> {
        Set(try await inSlices(planIDs) { try await ForumMemberModel.query(on: database).filter(\.$plan.$id ~~ $0).all() }.map(\.$plan.id))
    }
}
