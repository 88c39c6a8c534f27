import FluentKit
import NIOConcurrencyHelpers
import NIOCore

/// The plans' versions one application has committed itself (`PlanChanges.CommittedHere`), so that its caches see
/// their own process's changes at once, without reading them back from the database (and without waiting for a
/// connection busy with writes).
///
/// It travels with the application's database configuration (`Carried`): `AuditLog.transaction` is given only a
/// database, and each application (tests run many in one process) must note its changes for its own caches, never
/// another's, whose sequence numbers belong to another database.
final class CommittedChanges: Sendable {
    private let committed = NIOLockedValueBox(PlanChanges.CommittedHere())

    /// What this application has committed so far.
    var current: PlanChanges.CommittedHere { committed.withLockedValue { $0 } }

    /// How many audited transactions this application has committed: a cheap test for "anything new?".
    var transactions: Int { committed.withLockedValue { $0.transactions } }

    func note(_ recorded: PlanChanges.Recorded) {
        committed.withLockedValue { $0.note(recorded) }
    }

    /// The application's own, carried by the database's configuration; nil for a database configured without one.
    static func of(_ database: any Database) -> CommittedChanges? {
        (database.context.configuration as? Carried)?.committedChanges
    }

    /// A database configuration with the application's `CommittedChanges` beside it. Not a model middleware (as it
    /// was at first): every save of every model passes through those, for a value only `AuditLog` needs.
    struct Carried: DatabaseConfiguration {
        var base: any DatabaseConfiguration
        let committedChanges: CommittedChanges

        var middleware: [any AnyModelMiddleware] {
            get { base.middleware }
            set { base.middleware = newValue }
        }

        func makeDriver(for databases: Databases) -> any DatabaseDriver {
            base.makeDriver(for: databases)
        }
    }
}
