import Fluent
import Foundation
import PantauDomain

/// A plan is archived when its cycle has ended or its region has left: still public, still in open data and search,
/// never changed again. Every write that touches a plan asks `ensureOpen` (the addresses of one plan do so in
/// `Request.enforcePlanScope`; what is addressed by its own id, in its service).
public enum PlanArchive {
    static func ensureOpen(_ plan: ActionPlanModel) throws {
        guard plan.archivedAt == nil else { throw AppError.conflict(key: "plan.archived", arguments: [plan.code]) }
    }

    static func ensureOpen(planID: UUID, on database: any Database) async throws {
        guard let plan = try await ActionPlanModel.find(planID, on: database) else { throw AppError.notFound(what: "plan") }
        try ensureOpen(plan)
    }

    /// Archives an adopted plan, with the reason in its history. A draft is replaced or left, not archived.
    /// - Parameter caller: who asks through the pages (must hold the plan); nil for the operator at the command line.
    public static func archive(code: String, reason: String, actor: AuditActor, caller: Caller?, on database: any Database,
                               now: Date) async throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw FieldError(field: "reason", error: .invalid(key: "plan.archive_reason_required", arguments: [])) }
        guard reason.count <= 2000 else { throw FieldError(field: "reason", error: .invalid(key: "form.too_long", arguments: ["2000"])) }
        try await AuditLog.transaction(on: database, actor: actor) { db in
            let plan = try await ActionPlanModel.require(code: code, on: db)
            if let caller, !caller.may(.editPlans, plan: try plan.requireID()) { throw AppError.forbidden }
            try ensureOpen(plan)
            guard plan.status == .adopted else { throw AppError.conflict(key: "plan.archive_draft", arguments: [code]) }
            plan.archivedAt = now
            try await plan.save(on: db)
            return ((), [AuditChange(action: "plan.archive", objectType: "plan", objectID: try plan.requireID().uuidString,
                                     before: ArchiveState(archived: false), after: ArchiveState(archived: true), reason: reason)])
        }
    }

    struct ArchiveState: Codable, Sendable {
        let archived: Bool
    }
}
