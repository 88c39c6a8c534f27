import Fluent

struct CreateEvaluationNote: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EvaluationNoteModel.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, "id", onDelete: .cascade))
            .field("period", .string, .required)
            .field("highlights", .string, .required)
            .field("findings", .string, .required)
            .field("follow_ups", .string, .required)
            .unique(on: "plan_id", "period")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EvaluationNoteModel.schema).delete()
    }
}
