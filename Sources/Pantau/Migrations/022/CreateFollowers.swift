import Fluent
import SQLKit

/// Public followers of a plan or a commitment by email (double opt-in), and the outbox of the emails they are sent.
struct CreateFollowers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FollowerModel.schema)
            .id()
            .field("email", .string, .required)
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, "id", onDelete: .cascade))
            .field("commitment_id", .uuid, .references(CommitmentModel.schema, "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("language", .string, .required)
            .field("token", .string, .required)
            .field("sender_key", .string, .required)
            .field("confirmed_at", .datetime)
            .field("unsubscribed_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "email", "subject")
            .unique(on: "token")
            .create()
        try await database.schema(FollowerEmailModel.schema)
            .id()
            .field("follower_id", .uuid, .required, .references(FollowerModel.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("arguments", .string, .required)
            .field("link", .string, .required)
            .outboxFields()
            .field("created_at", .datetime, .required)
            .unique(on: "message_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX followers_plan ON followers (plan_id)").run()
        try await sql.raw("CREATE INDEX follower_emails_outbox ON follower_emails (email_state, next_attempt_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FollowerEmailModel.schema).delete()
        try await database.schema(FollowerModel.schema).delete()
    }
}
