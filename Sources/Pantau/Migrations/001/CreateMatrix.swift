import Fluent

/// Goals, success measures and semester targets: the commitment's matrix.
struct CreateMatrix: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GoalModel.schema)
            .id()
            .field("commitment_id", .uuid, .required, .references(CommitmentModel.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("text", .string, .required)
            .create()
        try await database.schema(SuccessMeasureModel.schema)
            .id()
            .field("goal_id", .uuid, .required, .references(GoalModel.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("text", .string, .required)
            .field("responsible_organisation_id", .uuid, .required,
                   .references(OrganisationModel.schema, "id", onDelete: .restrict))
            .field("expected_evidence", .string, .required)
            .create()
        try await database.schema(TargetModel.schema)
            .id()
            .field("measure_id", .uuid, .required, .references(SuccessMeasureModel.schema, "id", onDelete: .cascade))
            .field("semester_id", .uuid, .required, .references(PlanSemesterModel.schema, "id", onDelete: .cascade))
            .field("text", .string, .required)
            .unique(on: "measure_id", "semester_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [TargetModel.schema, SuccessMeasureModel.schema, GoalModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
