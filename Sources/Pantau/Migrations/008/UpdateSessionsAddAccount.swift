import Fluent

/// Sessions name their account and their sign-in time, so that a password reset can end every session of the account
/// and a session ends a fixed time after sign-in however active it is. Sessions without them end here.
struct UpdateSessionsAddAccount: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.query(SessionModel.self).delete()
        // One column per statement: SQLite adds one column per ALTER TABLE.
        try await database.schema(SessionModel.schema).field("user_id", .uuid).update()
        try await database.schema(SessionModel.schema).field("signed_in_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.query(SessionModel.self).delete()
        try await database.schema(SessionModel.schema).deleteField("signed_in_at").update()
        try await database.schema(SessionModel.schema).deleteField("user_id").update()
    }
}
