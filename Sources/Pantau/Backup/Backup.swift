import Fluent
import Foundation
import SQLKit
import Vapor
import ZIPFoundation

/// What a backup archive holds, in `manifest.json` beside `tables/<table>.jsonl` (one JSON object per row)
/// and `evidence/<aa>/<bb>/<sha256>` (every evidence file as the data folder keeps it).
struct BackupManifest: Codable, Sendable {
    static let currentFormat = 1

    struct Table: Codable, Sendable {
        let name: String
        let columns: [DatabaseCatalog.Column]
        let rows: Int
    }

    let format: Int
    let createdAt: String
    /// `sqlite` or `postgresql`: where the backup was taken (restoring works into either).
    let database: String
    /// The schema migrations applied when the backup was taken, in order.
    let migrations: [String]
    let auditEntries: Int
    let tables: [Table]
    let evidenceFiles: Int
    let evidenceBytes: Int64

    static func entryName(table: String) -> String { "tables/\(table).jsonl" }
    static let entryName = "manifest.json"
}

/// `pantau backup`: the whole database and every evidence file in one zip archive, taken while the server runs.
public enum Backup {
    /// What a backup holds, or a restore wrote.
    public struct Summary: Sendable {
        public let tables: Int
        public let rows: Int
        public let evidenceFiles: Int
        public let auditEntries: Int
    }

    /// Reads every table inside one transaction (repeatable read on PostgreSQL; a read transaction on SQLite,
    /// whose WAL mode keeps it a fixed snapshot), then adds the evidence files. Evidence is written to disk
    /// before the row that names it is committed, so every file the snapshot refers to is already there.
    public static func write(to output: String, app: Application) async throws -> Summary {
        let destination = URL(fileURLWithPath: output)
        guard !FileManager.default.fileExists(atPath: destination.path) else { throw BackupError.outputExists(output) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pantau-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let snapshot = try await dumpTables(into: work, database: app.db)
        let partial = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).part")
        defer { try? FileManager.default.removeItem(at: partial) }
        let archive: Archive
        do {
            archive = try Archive(url: partial, accessMode: .create)
        } catch {
            throw BackupError.outputUnwritable(output)
        }
        for table in snapshot.tables {
            try archive.addEntry(with: BackupManifest.entryName(table: table.name),
                                 fileURL: work.appendingPathComponent("\(table.name).jsonl"), compressionMethod: .deflate)
        }
        var files = 0
        var bytes: Int64 = 0
        for file in EvidenceFiles.list(root: app.evidenceStore.root) {
            // Evidence is mostly PDF and images, already compressed.
            try archive.addEntry(with: "evidence/" + file.relativePath, fileURL: file.url, compressionMethod: .none)
            files += 1
            bytes += file.size
        }
        let manifest = BackupManifest(format: BackupManifest.currentFormat, createdAt: BackupTime.format(Date()), database: snapshot.database,
                                      migrations: snapshot.migrations, auditEntries: snapshot.auditEntries, tables: snapshot.tables,
                                      evidenceFiles: files, evidenceBytes: bytes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let manifestData = try encoder.encode(manifest)
        try archive.addEntry(with: BackupManifest.entryName, type: .file, uncompressedSize: Int64(manifestData.count),
                             compressionMethod: .deflate) { position, size in
            manifestData.subdata(in: Int(position)..<Int(position) + size)
        }
        // Flushed, then given its name: a backup file that exists is a whole one.
        let handle = try FileHandle(forWritingTo: partial)
        try handle.synchronize()
        try handle.close()
        guard rename(partial.path, destination.path) == 0 else { throw BackupError.outputUnwritable(output) }
        return Summary(tables: snapshot.tables.count, rows: snapshot.tables.reduce(0) { $0 + $1.rows }, evidenceFiles: files,
                       auditEntries: snapshot.auditEntries)
    }

    private struct Snapshot: Sendable {
        let database: String
        let tables: [BackupManifest.Table]
        let migrations: [String]
        let auditEntries: Int
    }

    private static func dumpTables(into folder: URL, database: any Database) async throws -> Snapshot {
        try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            if sql.dialect.name == "postgresql" {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            }
            let catalog = try await DatabaseCatalog.read(sql)
            var tables: [BackupManifest.Table] = []
            for table in catalog.tables {
                let writer = try RowWriter(url: folder.appendingPathComponent("\(table.name).jsonl"))
                try await TableRows.each(of: table, on: sql, postgres: !catalog.isSQLite) { row in writer.write(row) }
                try writer.close()
                tables.append(BackupManifest.Table(name: table.name, columns: table.columns, rows: writer.count))
            }
            struct Name: Decodable { let name: String }
            let migrations = try await sql.raw("SELECT name FROM \(ident: "_fluent_migrations") ORDER BY batch, created_at")
                .all(decoding: Name.self).map(\.name)
            return Snapshot(database: catalog.isSQLite ? "sqlite" : "postgresql", tables: tables, migrations: migrations,
                            auditEntries: try await AuditLog.latestSequence(on: transaction))
        }
    }
}

/// Rows of a table in the neutral form, in the order of its first column (the key of every Pantau table).
enum TableRows {
    static func each(of table: DatabaseCatalog.Table, on sql: any SQLDatabase, postgres: Bool,
                     _ body: @escaping @Sendable ([String: NeutralValue]) -> Void) async throws {
        // PostgreSQL hands JSON columns over as text only when asked to.
        let columns = table.columns.map { column -> any SQLExpression in
            postgres && column.kind == .json ? SQLAlias(SQLCast(SQLIdentifier(column.name), as: "TEXT"), as: SQLIdentifier(column.name))
                                             : SQLIdentifier(column.name)
        }
        let failure = FirstError()
        try await sql.select().columns(columns).from(table.name).orderBy(SQLLiteral.numeric("1")).run { row in
            do {
                var values: [String: NeutralValue] = [:]
                for column in table.columns {
                    values[column.name] = try NeutralValue.read(row, column: column.name, kind: column.kind)
                }
                body(values)
            } catch {
                failure.keep(error)
            }
        }
        if let error = failure.error { throw error }
    }
}

/// Evidence files in the data folder: only complete ones, named by their SHA-256 (never the `.part` files of an upload in progress).
enum EvidenceFiles {
    struct File {
        let url: URL
        /// `aa/bb/<sha256>`
        let relativePath: String
        let size: Int64
    }

    static func list(root: URL) -> [File] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey]) else {
            return []
        }
        var files: [File] = []
        for case let url as URL in walker {
            let name = url.lastPathComponent
            guard isDigest(name), (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = "\(name.prefix(2))/\(name.dropFirst(2).prefix(2))/\(name)"
            let size = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize).flatMap { $0 }.map(Int64.init) ?? 0
            files.append(File(url: url, relativePath: relative, size: size))
        }
        return files.sorted { $0.relativePath < $1.relativePath }
    }

    static func isDigest(_ name: String) -> Bool {
        name.count == 64 && name.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}

/// Writes rows as JSON lines, buffered; called from the database driver's row callback.
final class RowWriter: @unchecked Sendable {
    private let handle: FileHandle
    private let encoder: JSONEncoder
    private var buffer = Data()
    private var failure: (any Error)?
    private(set) var count = 0

    init(url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    func write(_ row: [String: NeutralValue]) {
        guard failure == nil else { return }
        do {
            buffer += try encoder.encode(row)
            buffer.append(0x0A)
            count += 1
            if buffer.count > 1 << 20 { try flush() }
        } catch {
            failure = error
        }
    }

    func close() throws {
        try flush()
        try handle.close()
        if let failure { throw failure }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The first error raised inside a callback that cannot throw.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?

    var error: (any Error)? { lock.withLock { stored } }

    func keep(_ error: any Error) {
        lock.withLock { if stored == nil { stored = error } }
    }
}
