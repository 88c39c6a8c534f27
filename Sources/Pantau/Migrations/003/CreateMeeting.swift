import Fluent

struct CreateMeeting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MeetingModel.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("meeting_date", .string, .required)
            .field("content", .string, .required)
            .field("is_published", .bool, .required)
            .field("recorded_by_id", .uuid)
            .field("organisation_id", .uuid, .references(OrganisationModel.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .create()
        try await database.schema(MeetingCommitmentModel.schema)
            .id()
            .field("meeting_id", .uuid, .required, .references(MeetingModel.schema, "id", onDelete: .cascade))
            .field("commitment_id", .uuid, .required, .references(CommitmentModel.schema, "id", onDelete: .cascade))
            .unique(on: "meeting_id", "commitment_id")
            .create()
        try await database.schema(MeetingAttachmentModel.schema)
            .id()
            .field("meeting_id", .uuid, .required, .references(MeetingModel.schema, "id", onDelete: .cascade))
            .field("sha256", .string, .required)
            .field("file_name", .string, .required)
            .field("media_type", .string, .required)
            .field("size", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [MeetingAttachmentModel.schema, MeetingCommitmentModel.schema, MeetingModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
