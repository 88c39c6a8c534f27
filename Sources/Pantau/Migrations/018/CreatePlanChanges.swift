import Fluent

/// The newest audit entry that touched each plan (`PlanChanges`): what a cache of one plan's results is checked against.
struct CreatePlanChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PlanChanges.table)
            .field("scope", .string, .identifier(auto: false))
            .field("sequence", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PlanChanges.table).delete()
    }
}
