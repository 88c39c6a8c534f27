import Fluent

/// Whether agencies (K/L accounts) may propose commitments to a draft plan, as the secretariat decides per plan.
struct AddAgenciesMayPropose: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CoCreationPhaseModel.schema).field("agencies_may_propose", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CoCreationPhaseModel.schema).deleteField("agencies_may_propose").update()
    }
}
