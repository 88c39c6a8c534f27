import Fluent
import SQLKit

/// Notifications (in the app, and the outbox of their emails), each account's choices, its language and digest hour.
struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NotificationModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("arguments", .string, .required)
            .field("link", .string, .required)
            .field("delivery", .string, .required)
            .outboxFields()
            .field("read_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "message_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX notifications_user ON notifications (user_id, created_at)").run()
        try await sql.raw("CREATE INDEX notifications_outbox ON notifications (email_state, next_attempt_at)").run()

        try await database.schema(NotificationPreferenceModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("delivery", .string, .required)
            .unique(on: "user_id", "kind")
            .create()

        try await database.schema(UserModel.schema).field("language", .string, .required, .sql(.default("id"))).update()
        try await database.schema(UserModel.schema).field("digest_hour", .int, .required, .sql(.default(7))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NotificationPreferenceModel.schema).delete()
        try await database.schema(NotificationModel.schema).delete()
        try await database.schema(UserModel.schema).deleteField("digest_hour").update()
        try await database.schema(UserModel.schema).deleteField("language").update()
    }
}

extension SchemaBuilder {
    /// The columns of an email outbox row (`EmailOutbox`): its state, tries, claim, outcome and Message-ID.
    func outboxFields() -> SchemaBuilder {
        field("email_state", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime)
            .field("claimed_by", .string)
            .field("claimed_until", .datetime)
            .field("sent_at", .datetime)
            .field("last_error", .string, .required)
            .field("message_id", .string, .required)
    }
}
