import Fluent

/// Accounts can be deactivated and reactivated: a person who left keeps their name in the history, but cannot sign in.
struct UpdateUsersAddDeactivation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserModel.schema).field("deactivated_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserModel.schema).deleteField("deactivated_at").update()
    }
}
