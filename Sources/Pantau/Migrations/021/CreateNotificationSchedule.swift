import Fluent
import SQLKit

/// What the scheduled notifications and the daily digest need: the day a clarification must be answered by, the
/// events already notified (so that a reminder goes out once, whichever server process sees it first), and the
/// digest emails with the notifications each one carries.
struct CreateNotificationSchedule: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportMessageModel.schema).field("answer_due", .string).update()

        try await database.schema(NotificationEventModel.schema)
            .field("key", .string, .identifier(auto: false))
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema(EmailDigestModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("due_at", .datetime, .required)
            .outboxFields()
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "due_at")
            .unique(on: "message_id")
            .create()
        try await database.schema(NotificationModel.schema)
            .field("digest_id", .uuid, .references(EmailDigestModel.schema, "id", onDelete: .setNull)).update()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX email_digests_outbox ON email_digests (email_state, next_attempt_at)").run()
        try await sql.raw("CREATE INDEX notifications_digest ON notifications (digest_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX notifications_digest").run()
        try await database.schema(NotificationModel.schema).deleteField("digest_id").update()
        try await database.schema(EmailDigestModel.schema).delete()
        try await database.schema(NotificationEventModel.schema).delete()
        try await database.schema(ReportMessageModel.schema).deleteField("answer_due").update()
    }
}
