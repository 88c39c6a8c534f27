import Fluent
import PantauDomain

/// Every installation can score with OGI's scheme, the default; other schemes are added as data.
struct SeedOGIScoringScheme: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await SchemeStore.insert(ScoringScheme.ogi, on: database)
    }

    func revert(on database: any Database) async throws {
        try await ScoringSchemeModel.query(on: database).filter(\.$code == ScoringScheme.ogi.code).delete()
    }
}
