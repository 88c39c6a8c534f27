import Fluent

/// Each plan's multi-stakeholder forum: its members, one seat per organisation.
struct CreateForumMembers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ForumMemberModel.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, .id, onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("seat", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "plan_id", "organisation_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ForumMemberModel.schema).delete()
    }
}
