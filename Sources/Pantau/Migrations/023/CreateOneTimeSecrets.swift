import Fluent

/// Generated passwords and tokens between the form that made them and the page that shows them, sealed with a key
/// only the browser holds (`OneTimePasswords`): in the database so that any server process can show them.
struct CreateOneTimeSecrets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OneTimePasswords.table)
            .field("id", .string, .identifier(auto: false))
            .field("account_id", .uuid, .required)
            .field("shown_to", .uuid, .required)
            .field("sealed", .string, .required)
            .field("expires_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OneTimePasswords.table).delete()
    }
}
