import Fluent
import Foundation
import SQLKit

/// What a backup needs to know of a database's tables, read from the database's own catalog rather than a list
/// in the code, so that a table added by a later migration is backed up without anyone remembering to.
struct DatabaseCatalog: Sendable {
    /// The type of a column in a form both databases share; values are converted through it.
    enum Kind: String, Codable, Sendable {
        case text, int, double, bool, uuid, datetime, json, blob
    }

    struct Column: Codable, Sendable, Equatable {
        let name: String
        let kind: Kind
    }

    struct Table: Sendable {
        let name: String
        let columns: [Column]
        /// Tables this one refers to by foreign key (itself excluded).
        let parents: Set<String>
        /// Foreign keys of the table to itself: (column, referenced column).
        let selfReferences: [(column: String, referenced: String)]

        func kind(of column: String) -> Kind? { columns.first { $0.name == column }?.kind }
    }

    let isSQLite: Bool
    /// Every table of the application, parents before children.
    let tables: [Table]

    subscript(name: String) -> Table? { tables.first { $0.name == name } }

    static func read(_ sql: any SQLDatabase) async throws -> DatabaseCatalog {
        let isSQLite = sql.dialect.name == "sqlite"
        let tables = isSQLite ? try await sqliteTables(sql) : try await postgresTables(sql)
        return DatabaseCatalog(isSQLite: isSQLite, tables: try ordered(tables))
    }

    // MARK: - SQLite

    private static func sqliteTables(_ sql: any SQLDatabase) async throws -> [Table] {
        struct Listed: Decodable { let schema: String; let name: String; let type: String }
        struct Info: Decodable { let name: String; let type: String }
        struct Key: Decodable { let table: String; let from: String; let to: String? }
        // Only real tables: the full-text index and its shadow tables are rebuilt from `search_entries` on restore.
        let listed = try await sql.raw("PRAGMA table_list").all(decoding: Listed.self)
            .filter { $0.schema == "main" && $0.type == "table" && !$0.name.hasPrefix("sqlite_") }
        var tables: [Table] = []
        for table in listed.map(\.name).sorted() {
            let columns = try await sql.raw("PRAGMA table_info(\(ident: table))").all(decoding: Info.self)
                .map { Column(name: $0.name, kind: sqliteKind($0.type)) }
            let keys = try await sql.raw("PRAGMA foreign_key_list(\(ident: table))").all(decoding: Key.self)
            tables.append(Table(name: table, columns: columns, parents: Set(keys.map(\.table).filter { $0 != table }),
                                selfReferences: keys.filter { $0.table == table }.map { ($0.from, $0.to ?? "id") }))
        }
        return tables
    }

    /// Declared types as Fluent's SQLite driver writes them: `.datetime` is REAL (the application has no other
    /// REAL columns), `.bool` is INTEGER (told apart from numbers only by the other database's catalog).
    static func sqliteKind(_ declared: String) -> Kind {
        switch declared.uppercased() {
        case "UUID": .uuid
        case "REAL", "TIMESTAMP", "DATETIME", "DATE": .datetime
        case "DOUBLE", "FLOAT", "DOUBLE PRECISION": .double
        case "BOOL", "BOOLEAN": .bool
        case "JSON", "JSONB": .json
        case "BLOB": .blob
        case let type where type.contains("INT"): .int
        default: .text
        }
    }

    // MARK: - PostgreSQL

    private static func postgresTables(_ sql: any SQLDatabase) async throws -> [Table] {
        struct Info: Decodable { let table_name: String; let column_name: String; let data_type: String }
        struct Key: Decodable { let child: String; let parent: String; let column: String; let referenced: String }
        let columns = try await sql.raw("""
            SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, c.data_type::text AS data_type
            FROM information_schema.columns c JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND c.data_type <> 'tsvector' -- derived from other columns (search), rebuilt on restore
            ORDER BY c.table_name, c.ordinal_position
            """).all(decoding: Info.self)
        let keys = try await sql.raw("""
            SELECT child.relname::text AS child, parent.relname::text AS parent,
                   a.attname::text AS "column", pa.attname::text AS referenced
            FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid
            JOIN pg_class parent ON parent.oid = k.confrelid
            JOIN pg_namespace n ON n.oid = child.relnamespace
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
            JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
            WHERE k.contype = 'f' AND n.nspname = current_schema()
            """).all(decoding: Key.self)
        return Dictionary(grouping: columns, by: \.table_name).keys.sorted().map { table in
            let own = keys.filter { $0.child == table }
            return Table(name: table,
                         columns: columns.filter { $0.table_name == table }.map { Column(name: $0.column_name, kind: postgresKind($0.data_type)) },
                         parents: Set(own.map(\.parent).filter { $0 != table }),
                         selfReferences: own.filter { $0.parent == table }.map { ($0.column, $0.referenced) })
        }
    }

    static func postgresKind(_ type: String) -> Kind {
        switch type {
        case "uuid": .uuid
        case "smallint", "integer", "bigint": .int
        case "real", "double precision", "numeric": .double
        case "boolean": .bool
        case "json", "jsonb": .json
        case "bytea": .blob
        case let type where type.hasPrefix("timestamp") || type == "date": .datetime
        default: .text
        }
    }

    // MARK: -

    /// Parents before children, so rows can be inserted in this order and deleted in the reverse.
    private static func ordered(_ tables: [Table]) throws -> [Table] {
        var done: [Table] = []
        var remaining = tables
        while !remaining.isEmpty {
            let names = Set(done.map(\.name))
            let ready = remaining.filter { $0.parents.allSatisfy { names.contains($0) || !tables.map(\.name).contains($0) } }
            guard !ready.isEmpty else { throw BackupError.unsupportedSchema(remaining.map(\.name).joined(separator: ", ")) }
            done += ready
            remaining.removeAll { table in ready.contains { $0.name == table.name } }
        }
        return done
    }
}
