import Fluent

/// Sessions carry their end, so that a query can remove expired ones. Sessions of the old scheme (one row for every
/// visitor who opened a form, with the end inside the data) end here: everyone signs in once more.
struct UpdateSessionsAddExpiry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.query(SessionModel.self).delete()
        try await database.schema(SessionModel.schema).field("expires_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.query(SessionModel.self).delete()
        try await database.schema(SessionModel.schema).deleteField("expires_at").update()
    }
}
