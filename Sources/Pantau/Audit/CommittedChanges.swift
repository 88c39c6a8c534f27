import FluentKit
import NIOConcurrencyHelpers
import NIOCore

/// The plans' versions one application has committed itself (`PlanChanges.CommittedHere`), so that its caches see
/// their own process's changes at once, without reading them back from the database (and without waiting for a
/// connection busy with writes).
///
/// It travels with the application's database configuration, as a model middleware that lets every event through:
/// `AuditLog.transaction` is given only a database, and each application (tests run many in one process) must note
/// its changes for its own caches, never another's, whose sequence numbers belong to another database.
final class CommittedChanges: AnyModelMiddleware {
    private let committed = NIOLockedValueBox(PlanChanges.CommittedHere())

    /// What this application has committed so far.
    var current: PlanChanges.CommittedHere { committed.withLockedValue { $0 } }

    /// How many audited transactions this application has committed: a cheap test for "anything new?".
    var transactions: Int { committed.withLockedValue { $0.transactions } }

    func note(_ recorded: PlanChanges.Recorded) {
        committed.withLockedValue { $0.note(recorded) }
    }

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database, chainingTo next: any AnyModelResponder) -> EventLoopFuture<Void> {
        next.handle(event, model, on: db)
    }

    /// The application's own, carried by the database's configuration; nil for a database configured without one.
    static func of(_ database: any Database) -> CommittedChanges? {
        database.context.configuration.middleware.lazy.compactMap { $0 as? CommittedChanges }.first
    }
}
