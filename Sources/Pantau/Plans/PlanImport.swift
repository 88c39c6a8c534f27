import Fluent
import Foundation
import PantauDomain

/// Storing an imported plan and recording it in the audit history, in one transaction: the same for the
/// command line, the pages and the built-in plans.
public enum PlanImport {
    /// What the audit history keeps of an imported plan: its code, title and size, not its whole text.
    struct State: Codable, Sendable {
        let code: String
        let title: String
        let status: PlanStatus
        let commitments: Int
        let targets: Int
        let sourceFile: String
    }

    @discardableResult
    /// - Parameters:
    ///   - jurisdictionID: the government the plan belongs to (`PlanWriter.insert`): national unless given.
    ///   - account: an account not given every plan that imports it, and is given it in the same transaction.
    public static func run(_ document: PlanDocument, status: PlanStatus, replacingDraft: Bool, sourceFile: String, actor: AuditActor,
                           jurisdictionID: UUID? = nil, grantTo account: UUID? = nil,
                           on database: any Database, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> UUID {
        let targets = document.commitments.flatMap(\.goals).flatMap(\.measures).flatMap(\.targets).count
        // The search index's stems need only the document: computed on the other core while the database writes the plan.
        let forPostgres = SearchIndex.isPostgres(database)
        let searchEntries = Task.detached(priority: .userInitiated) { SearchIndex.Prepared(document, forPostgres: forPostgres) }
        let id = try await AuditLog.transaction(on: database, actor: actor) { db in
            let (id, change) = try await write(document, status: status, replacingDraft: replacingDraft, sourceFile: sourceFile,
                                               jurisdictionID: jurisdictionID, targets: targets, on: db, progress: progress)
            if let account { try await NewPlanOwner.grant(id, to: account, on: db) }
            return (id, [change])
        }
        try await SearchIndex.rebuild(planCode: document.code, written: document, writtenEntries: await searchEntries.value, on: database)
        return id
    }

    /// Writes the plan inside an audited transaction the caller holds (with other changes that must stand or fall with
    /// it), and says what the history records. The search index is the caller's to rebuild after the commit.
    static func write(_ document: PlanDocument, status: PlanStatus, replacingDraft: Bool = false, sourceFile: String, jurisdictionID: UUID?,
                      targets: Int? = nil, on db: any Database,
                      progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> (UUID, AuditChange) {
        let id = try await PlanWriter.insert(document, status: status, replacingDraft: replacingDraft, jurisdictionID: jurisdictionID,
                                             on: db, progress: progress)
        let targets = targets ?? document.commitments.flatMap(\.goals).flatMap(\.measures).flatMap(\.targets).count
        let state = State(code: document.code, title: document.title, status: status, commitments: document.commitments.count,
                          targets: targets, sourceFile: sourceFile)
        return (id, AuditChange(action: "plan.import", objectType: "plan", objectID: id.uuidString, before: Optional<State>.none, after: state))
    }
}
