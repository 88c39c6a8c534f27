import Fluent

struct CreateActionPlan: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ActionPlanModel.schema)
            .id()
            .field("code", .string, .required)
            .field("title", .string, .required)
            .field("period_start", .string, .required)
            .field("period_end", .string, .required)
            .field("scheme_id", .uuid, .required, .references(ScoringSchemeModel.schema, "id", onDelete: .restrict))
            .field("status", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema(PlanSemesterModel.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("month", .int, .required)
            .field("start_date", .string, .required)
            .field("end_date", .string, .required)
            .unique(on: "plan_id", "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PlanSemesterModel.schema).delete()
        try await database.schema(ActionPlanModel.schema).delete()
    }
}
