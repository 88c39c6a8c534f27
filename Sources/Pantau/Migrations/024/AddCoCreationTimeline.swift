import Fluent

/// Each draft plan's co-creation timeline (`CoCreationTimeline` as JSON): the planned and actual days of every phase.
struct AddCoCreationTimeline: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CoCreationPhaseModel.schema).field("timeline", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CoCreationPhaseModel.schema).deleteField("timeline").update()
    }
}
