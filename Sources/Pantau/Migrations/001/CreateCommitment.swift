import Fluent

struct CreateCommitment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CommitmentModel.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("title", .string, .required)
            .field("theme", .string, .required)
            .field("problem", .string, .required)
            .field("commitment_text", .string, .required)
            .field("how_it_solves", .string, .required)
            .field("open_government_relevance", .string, .required)
            .field("rpjmn_alignment", .string, .required)
            .field("sdg_alignment", .string, .required)
            .field("sdg_targets", .string, .required)
            .field("additional_information", .string, .required)
            .field("planning_directorate", .string, .required)
            .field("start_month", .string)
            .field("end_month", .string)
            .field("note", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "plan_id", "number")
            .create()
        try await database.schema(CommitmentOrganisationModel.schema)
            .id()
            .field("commitment_id", .uuid, .required, .references(CommitmentModel.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, "id", onDelete: .restrict))
            .field("role", .string, .required)
            .field("position", .int, .required)
            .unique(on: "commitment_id", "organisation_id", "role")
            .create()
        try await database.schema(ContactModel.schema)
            .id()
            .field("commitment_id", .uuid, .required, .references(CommitmentModel.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("job_title", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string, .required)
            .create()
        try await database.schema(IndicatorModel.schema)
            .id()
            .field("commitment_id", .uuid, .required, .references(CommitmentModel.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("text", .string, .required)
            .field("start_month", .string)
            .field("end_month", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [IndicatorModel.schema, ContactModel.schema, CommitmentOrganisationModel.schema, CommitmentModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
