import Fluent
import SQLKit

/// PostgreSQL keeps each search entry's text-search vector in a column that Pantau writes (`SearchTerms.postgresVector`)
/// and the GIN index reads, instead of an index on an expression that made PostgreSQL parse every entry's terms while
/// a big plan was written (most of the time of writing its search entries). SQLite's FTS5 table is unchanged.
struct UpdateSearchIndexAddVector: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name != "sqlite" else { return }
        try await sql.raw("ALTER TABLE search_entries ADD COLUMN terms tsvector").run()
        try await SearchIndex.fillVectors(on: sql)
        try await sql.raw("DROP INDEX IF EXISTS search_entries_terms").run()
        try await sql.raw("CREATE INDEX search_entries_terms ON search_entries USING GIN (terms)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name != "sqlite" else { return }
        try await sql.raw("DROP INDEX IF EXISTS search_entries_terms").run()
        try await sql.raw("ALTER TABLE search_entries DROP COLUMN terms").run()
        try await sql.raw("CREATE INDEX search_entries_terms ON search_entries USING GIN (to_tsvector('simple', title_terms || ' ' || body_terms))").run()
    }
}
