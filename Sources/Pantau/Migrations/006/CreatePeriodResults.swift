import Fluent
import SQLKit

/// Publication with a reason, the year assessed on its own and published on its own, and corrections of
/// published results.
struct CreatePeriodResults: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SemesterPublicationModel.schema)
            .field("reason", .string, .required, .sql(.default("")))
            .update()
        try await database.schema(YearAssessmentModel.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, "id", onDelete: .cascade))
            .field("commitment_id", .uuid, .required, .references(CommitmentModel.schema, "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("score_override", .int)
            .field("override_reason", .string, .required)
            .field("cocreation_rating", .string)
            .field("cocreation_justification", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "commitment_id", "year")
            .create()
        try await database.schema(YearPublicationModel.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("published_at", .datetime, .required)
            .field("published_by", .string, .required)
            .field("reason", .string, .required)
            .unique(on: "plan_id", "year")
            .create()
        try await database.schema(ResultCorrectionModel.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, "id", onDelete: .cascade))
            .field("period", .string, .required)
            .field("commitment_id", .uuid, .required, .references(CommitmentModel.schema, "id", onDelete: .cascade))
            .field("report_id", .uuid, .references(TargetReportModel.schema, "id", onDelete: .cascade))
            .field("made_at", .datetime, .required)
            .field("made_by", .string, .required)
            .field("reason", .string, .required)
            .field("before", .string, .required)
            .field("after", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [ResultCorrectionModel.schema, YearPublicationModel.schema, YearAssessmentModel.schema] {
            try await database.schema(schema).delete()
        }
        try await database.schema(SemesterPublicationModel.schema).deleteField("reason").update()
    }
}
