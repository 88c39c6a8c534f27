import Fluent

/// Personal API tokens and the record of failed sign-ins.
struct CreateAccess: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APITokenModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(LoginFailureModel.schema)
            .id()
            .field("subject", .string, .required)
            .field("failed_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginFailureModel.schema).delete()
        try await database.schema(APITokenModel.schema).delete()
    }
}
