import Fluent
import SQLKit

/// `targets_measure` (009) repeats the first column of the unique (measure_id, semester_id) index, which answers the
/// same lookups; every target written paid for both.
struct DropRedundantTargetIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "targets_measure").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).create(index: "targets_measure").on("targets").column("measure_id").run()
    }
}
