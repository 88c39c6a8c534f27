import Fluent
import SQLKit

/// Independent monitors' assessments: one per commitment and semester, beside the secretariat's.
struct CreateMonitorAssessments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MonitorAssessmentModel.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, "id", onDelete: .cascade))
            .field("commitment_id", .uuid, .required, .references(CommitmentModel.schema, "id", onDelete: .cascade))
            .field("semester_id", .uuid, .required, .references(PlanSemesterModel.schema, "id", onDelete: .cascade))
            .field("rating", .string, .required)
            .field("text", .string, .required)
            .field("state", .string, .required)
            .field("published_at", .datetime)
            .field("author_id", .uuid)
            .field("author_name", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "commitment_id", "semester_id")
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX monitor_assessments_plan ON monitor_assessments (plan_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MonitorAssessmentModel.schema).delete()
    }
}
