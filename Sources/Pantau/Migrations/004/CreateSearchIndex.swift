import Fluent
import SQLKit

/// The search index: one row per public thing (plan, commitment, measure with its targets, published report,
/// published minutes), searched with SQLite's FTS5 or PostgreSQL's full-text search in Indonesian.
struct CreateSearchIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SearchEntryModel.schema)
            .id()
            .field("kind", .string, .required)
            .field("url", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("plan_code", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            try await sql.raw("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, entry_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')").run()
        } else {
            try await sql.raw("CREATE INDEX search_entries_text ON search_entries USING GIN (to_tsvector('indonesian', title || ' ' || body))").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" { try await sql.raw("DROP TABLE IF EXISTS search_fts").run() }
        try await database.schema(SearchEntryModel.schema).delete()
    }
}
