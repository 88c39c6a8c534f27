import Fluent
import SQLKit

/// Search matches stems computed in Swift (`SearchTerms`), the same on both databases, instead of each database's own
/// text search (SQLite's FTS5 never stemmed; PostgreSQL's stemming differs). Entries keep the stems of their title and
/// body; SQLite's FTS5 table indexes those (with the kind and plan, so counting and filtering need no join),
/// PostgreSQL's GIN index their 'simple' text-search vector. Existing entries
/// get their stems here; the next rebuild (any publication or import) adds the anchors.
struct UpdateSearchIndexAddTerms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SearchEntryModel.schema)
            .field("title_terms", .string, .required, .sql(.default("")))
            .update()
        try await database.schema(SearchEntryModel.schema)
            .field("body_terms", .string, .required, .sql(.default("")))
            .update()
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TABLE IF EXISTS search_fts").run()
            try await sql.raw("""
                CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, entry_id UNINDEXED, kind UNINDEXED, plan_code UNINDEXED,
                                                           tokenize = 'unicode61 remove_diacritics 2')
                """).run()
        } else {
            try await sql.raw("DROP INDEX IF EXISTS search_entries_text").run()
            try await sql.raw("CREATE INDEX search_entries_terms ON search_entries USING GIN (to_tsvector('simple', title_terms || ' ' || body_terms))").run()
        }
        try await SearchIndex.fillTerms(on: sql)
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TABLE IF EXISTS search_fts").run()
            try await sql.raw("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, entry_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')").run()
            try await sql.raw("INSERT INTO search_fts (title, body, entry_id) SELECT title, body, id FROM search_entries").run()
        } else {
            try await sql.raw("DROP INDEX IF EXISTS search_entries_terms").run()
            try await sql.raw("CREATE INDEX search_entries_text ON search_entries USING GIN (to_tsvector('indonesian', title || ' ' || body))").run()
        }
        try await database.schema(SearchEntryModel.schema).deleteField("title_terms").update()
        try await database.schema(SearchEntryModel.schema).deleteField("body_terms").update()
    }
}
