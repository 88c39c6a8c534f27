import Fluent

struct CreateAuditEntry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntryModel.schema)
            .field("sequence", .int64, .identifier(auto: false))
            .field("recorded_at", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("object_type", .string, .required)
            .field("object_id", .string, .required)
            .field("before_state", .string)
            .field("after_state", .string)
            .field("reason", .string, .required)
            .field("previous_hash", .string, .required)
            .field("entry_hash", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntryModel.schema).delete()
    }
}
