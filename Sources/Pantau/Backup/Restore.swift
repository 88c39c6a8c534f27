import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor
import ZIPFoundation

/// `pantau restore`: a backup archive into an empty database and data folder, of either kind of database.
public enum Restore {
    /// Evidence first, then every row in one transaction: if anything fails, the database stays as it was,
    /// and no committed row ever names a file that is not on disk.
    public static func run(from path: String, app: Application) async throws -> Backup.Summary {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw BackupError.archiveUnreadable(path)
        }
        let manifest = try readManifest(archive, path: path)
        let evidenceRoot = app.evidenceStore.root
        if let leftover = FileManager.default.enumerator(atPath: evidenceRoot.path)?.nextObject() as? String {
            throw BackupError.dataFolderNotEmpty(evidenceRoot.appendingPathComponent(leftover).path)
        }
        try await checkEmpty(app.db)
        try await migrate(app, to: manifest.migrations)

        var files = 0
        let rows: Int
        do {
            for entry in archive where entry.type == .file && entry.path.hasPrefix("evidence/") {
                try extractEvidence(entry, from: archive, into: evidenceRoot, archivePath: path)
                files += 1
            }
            guard files == manifest.evidenceFiles else { throw BackupError.archiveCorrupt(path, "evidence") }
            let reader = ArchiveReader(archive: archive)
            rows = try await app.db.transaction { transaction in
                try await restoreTables(manifest, from: reader.archive, archivePath: path, on: transaction as! any SQLDatabase)
            }
        } catch {
            // The folder was empty before: a failed restore leaves it so, and can simply be run again.
            try? FileManager.default.removeItem(at: evidenceRoot)
            throw error
        }
        // Migrations newer than the backup now apply to the restored data, as at any start.
        try await app.autoMigrate()
        return Backup.Summary(tables: manifest.tables.count, rows: rows, evidenceFiles: files, auditEntries: manifest.auditEntries)
    }

    static func readManifest(_ archive: Archive, path: String) throws -> BackupManifest {
        guard let entry = archive[BackupManifest.entryName] else { throw BackupError.archiveUnreadable(path) }
        let data = try read(entry, from: archive, path: path)
        guard let manifest = try? JSONDecoder().decode(BackupManifest.self, from: data) else { throw BackupError.archiveUnreadable(path) }
        guard manifest.format == BackupManifest.currentFormat else { throw BackupError.unsupportedFormat(path, "\(manifest.format)") }
        return manifest
    }

    private static func read(_ entry: Entry, from archive: Archive, path: String) throws -> Data {
        var data = Data()
        do {
            _ = try archive.extract(entry) { data += $0 }
        } catch {
            throw BackupError.archiveCorrupt(path, entry.path)
        }
        return data
    }

    /// Empty means nothing any person did: no account and no audit entry. A database that was only migrated
    /// (which seeds the default scoring scheme) counts as empty; restoring replaces what the migrations wrote.
    private static func checkEmpty(_ database: any Database) async throws {
        let catalog = try await DatabaseCatalog.read(database as! any SQLDatabase)
        for table in [UserModel.schema, AuditEntryModel.schema] where catalog[table] != nil {
            let rows = try await (database as! any SQLDatabase).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "rows")
                .from(table).first(decodingColumn: "rows", as: Int.self) ?? 0
            if rows > 0 { throw BackupError.databaseNotEmpty }
        }
    }

    /// Brings the schema to exactly the backup's migrations, so its rows fit; the backup must come from this
    /// version of Pantau or an earlier one.
    private static func migrate(_ app: Application, to names: [String]) async throws {
        let known = PantauMigrations.all
        let wanted = Set(names)
        let unknown = names.filter { name in !known.contains { $0.name == name } }
        guard unknown.isEmpty, Set(known.prefix(names.count).map(\.name)) == wanted else {
            throw BackupError.unknownMigrations(unknown.isEmpty ? names.joined(separator: ", ") : unknown.joined(separator: ", "))
        }
        let migrations = Migrations()
        migrations.add(Array(known.prefix(names.count)))
        let migrator = Migrator(databases: app.databases, migrations: migrations, logger: app.logger, on: app.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        struct Name: Decodable { let name: String }
        let applied = try await (app.db as! any SQLDatabase).raw("SELECT name FROM \(ident: "_fluent_migrations")").all(decoding: Name.self)
        guard applied.allSatisfy({ wanted.contains($0.name) }) else { throw BackupError.databaseNotEmpty }
        try await migrator.prepareBatch().get()
    }

    /// Written beside its final name, checked against its SHA-256, flushed, then renamed, as uploads are.
    private static func extractEvidence(_ entry: Entry, from archive: Archive, into root: URL, archivePath: String) throws {
        let name = URL(fileURLWithPath: entry.path).lastPathComponent
        guard EvidenceFiles.isDigest(name) else { throw BackupError.archiveCorrupt(archivePath, entry.path) }
        let folder = root.appendingPathComponent(String(name.prefix(2))).appendingPathComponent(String(name.dropFirst(2).prefix(2)))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(name).\(UUID().uuidString).part")
        FileManager.default.createFile(atPath: temporary.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let handle = try FileHandle(forWritingTo: temporary)
        var hasher = SHA256()
        do {
            _ = try archive.extract(entry) { chunk in
                hasher.update(data: chunk)
                try handle.write(contentsOf: chunk)
            }
        } catch {
            try? handle.close()
            throw BackupError.archiveCorrupt(archivePath, entry.path)
        }
        try handle.synchronize()
        try handle.close()
        guard hasher.finalize().map({ String(format: "%02x", $0) }).joined() == name else {
            throw BackupError.archiveCorrupt(archivePath, entry.path)
        }
        guard rename(temporary.path, folder.appendingPathComponent(name).path) == 0 else {
            throw BackupError.archiveCorrupt(archivePath, entry.path)
        }
    }

    private static func restoreTables(_ manifest: BackupManifest, from archive: Archive, archivePath: String,
                                      on sql: any SQLDatabase) async throws -> Int {
        let catalog = try await DatabaseCatalog.read(sql)
        let postgres = !catalog.isSQLite
        if catalog.isSQLite { try await sql.raw("PRAGMA defer_foreign_keys = ON").run() }
        // What the migrations seeded (and any derived index) gives way to the backup's rows.
        for table in catalog.tables.reversed() { try await sql.delete(from: table.name).run() }
        if catalog.isSQLite && catalog.hasFullTextIndex { try await sql.raw("DELETE FROM search_fts").run() }

        var total = 0
        for table in catalog.tables {
            guard let saved = manifest.tables.first(where: { $0.name == table.name }) else { continue }
            for column in saved.columns where table.kind(of: column.name) == nil {
                throw BackupError.unsupportedSchema("\(table.name).\(column.name)")
            }
            guard let entry = archive[BackupManifest.entryName(table: table.name)] else {
                throw BackupError.archiveCorrupt(archivePath, BackupManifest.entryName(table: table.name))
            }
            let decoder = JSONDecoder()
            var rows: [[String: NeutralValue]] = []
            for line in try read(entry, from: archive, path: archivePath).split(separator: 0x0A) {
                guard let row = try? decoder.decode([String: NeutralValue].self, from: line) else {
                    throw BackupError.archiveCorrupt(archivePath, entry.path)
                }
                rows.append(row)
            }
            guard rows.count == saved.rows else { throw BackupError.archiveCorrupt(archivePath, entry.path) }
            rows = parentsFirst(rows, references: table.selfReferences)
            let names = saved.columns.map(\.name)
            let batchSize = max(1, 4000 / max(1, names.count))
            for start in stride(from: 0, to: rows.count, by: batchSize) {
                let batch = try rows[start..<min(start + batchSize, rows.count)].map { row in
                    try names.map { name -> any SQLExpression in
                        let kind = table.kind(of: name)!
                        guard let expression = (row[name] ?? .null).expression(for: kind, postgres: postgres) else {
                            throw BackupError.invalidValue(table.name, name)
                        }
                        return expression
                    }
                }
                try await sql.insert(into: table.name).columns(names).rows(batch).run()
            }
            total += rows.count
        }
        // Entries from a backup made before search stored stems get them now; SQLite's FTS5 table is refilled.
        if catalog.hasFullTextIndex {
            try await SearchIndex.fillTerms(on: sql)
            if postgres { try await SearchIndex.fillVectors(on: sql) }
        }
        if postgres { try await resetSequences(sql) }
        return total
    }

    /// Rows of a table that refers to itself, each after the row it refers to.
    static func parentsFirst(_ rows: [[String: NeutralValue]], references: [(column: String, referenced: String)]) -> [[String: NeutralValue]] {
        guard !references.isEmpty else { return rows }
        var placed = Set<Int>()
        var ordered: [[String: NeutralValue]] = []
        func place(_ index: Int, depth: Int) {
            guard !placed.contains(index), depth < rows.count else { return }
            placed.insert(index)
            for reference in references {
                guard let value = rows[index][reference.column], value != .null,
                      let parent = rows.firstIndex(where: { $0[reference.referenced] == value }) else { continue }
                place(parent, depth: depth + 1)
            }
            ordered.append(rows[index])
        }
        for index in rows.indices { place(index, depth: 0) }
        return ordered
    }

    /// Identity and serial columns continue after the restored rows.
    private static func resetSequences(_ sql: any SQLDatabase) async throws {
        struct Sequence: Decodable { let table_name: String; let column_name: String; let sequence: String }
        let sequences = try await sql.raw("""
            SELECT table_name::text AS table_name, column_name::text AS column_name,
                   pg_get_serial_sequence(quote_ident(table_name), column_name)::text AS sequence
            FROM information_schema.columns
            WHERE table_schema = current_schema() AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL
            """).all(decoding: Sequence.self)
        for sequence in sequences {
            try await sql.raw("""
                SELECT setval(\(bind: sequence.sequence), COALESCE((SELECT MAX(\(ident: sequence.column_name)) FROM \(ident: sequence.table_name)), 0) + 1, false)
                """).run()
        }
    }
}

/// The archive is read by one task at a time (the restore's transaction), never concurrently.
private final class ArchiveReader: @unchecked Sendable {
    let archive: Archive
    init(archive: Archive) { self.archive = archive }
}

extension DatabaseCatalog {
    /// SQLite's full-text index of `search_entries`, which is derived and so rebuilt rather than backed up.
    var hasFullTextIndex: Bool { self[SearchEntryModel.schema] != nil }
}

public enum BackupError: Error, Equatable, LocalizableError {
    case outputExists(String)
    case outputUnwritable(String)
    case archiveUnreadable(String)
    case archiveCorrupt(String, String)
    case unsupportedFormat(String, String)
    case unknownMigrations(String)
    case unsupportedSchema(String)
    case invalidValue(String, String)
    case databaseNotEmpty
    case dataFolderNotEmpty(String)

    public var messageKey: String {
        switch self {
        case .outputExists: "backup.output_exists"
        case .outputUnwritable: "backup.output_unwritable"
        case .archiveUnreadable: "restore.archive_unreadable"
        case .archiveCorrupt: "restore.archive_corrupt"
        case .unsupportedFormat: "restore.unsupported_format"
        case .unknownMigrations: "restore.unknown_migrations"
        case .unsupportedSchema: "backup.unsupported_schema"
        case .invalidValue: "restore.invalid_value"
        case .databaseNotEmpty: "restore.database_not_empty"
        case .dataFolderNotEmpty: "restore.data_folder_not_empty"
        }
    }

    public var messageArguments: [String] {
        switch self {
        case .outputExists(let path), .outputUnwritable(let path), .archiveUnreadable(let path), .unknownMigrations(let path),
             .unsupportedSchema(let path), .dataFolderNotEmpty(let path): [path]
        case .archiveCorrupt(let first, let second), .unsupportedFormat(let first, let second), .invalidValue(let first, let second):
            [first, second]
        case .databaseNotEmpty: []
        }
    }
}
