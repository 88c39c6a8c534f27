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
    /// - Parameter jurisdictionID: the government the plan belongs to (`PlanWriter.insert`): national unless given.
    public static func run(_ document: PlanDocument, status: PlanStatus, replacingDraft: Bool, sourceFile: String, actor: AuditActor,
                           jurisdictionID: UUID? = nil,
                           on database: any Database, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> UUID {
        let targets = document.commitments.flatMap(\.goals).flatMap(\.measures).flatMap(\.targets).count
        // The search index's stems need only the document: computed on the other core while the database writes the plan.
        let searchEntries = Task.detached(priority: .userInitiated) { SearchIndex.documentEntries(document) }
        let id = try await AuditLog.transaction(on: database, actor: actor) { db in
            let id = try await PlanWriter.insert(document, status: status, replacingDraft: replacingDraft, jurisdictionID: jurisdictionID,
                                                 on: db, progress: progress)
            let state = State(code: document.code, title: document.title, status: status, commitments: document.commitments.count,
                              targets: targets, sourceFile: sourceFile)
            return (id, [AuditChange(action: "plan.import", objectType: "plan", objectID: id.uuidString,
                                     before: Optional<State>.none, after: state)])
        }
        try await SearchIndex.rebuild(planCode: document.code, written: document, writtenEntries: await searchEntries.value, on: database)
        return id
    }
}
