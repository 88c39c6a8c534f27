import Crypto
import Fluent
import FluentSQLiteDriver
import Foundation
@testable import Pantau
import Testing
import Vapor

/// `pantau backup` and `pantau restore`: every table row by row and every evidence file by SHA-256,
/// on each database and from one database to the other.
@Suite("Backup and restore")
struct BackupTests {
    /// A database with everything in it: the built-in plans and minutes, accounts, sessions, an API token,
    /// a scored report with evidence files and messages, and the audit history of all of it.
    static func fill(_ app: Application) async throws {
        try await TestAccounts.create(on: app)
        let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
        let implementer = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
        _ = try await seknas.post("/account/tokens", form: ["name": "pelacak"])
        _ = try await ReportingCycleTests.openWindow(app, seknas: seknas)
        let path = "/report/targets/\(try await ReportingCycleTests.targetA(app).id!.uuidString)"
        #expect(try await implementer.postAndFollow(path, form: ["achievement": "Rancangan \"portal\" <selesai> ✓", "progress": "60"]).status == .ok)
        for (name, data) in [("notulen.pdf", ReportingCycleTests.pdf), ("foto.png", BackupTests.png)] {
            let uploaded = try await implementer.postMultipartAndFollow("\(path)", fields: ["description": name, "visibility": "public"], file: ("file", name, data))
            #expect(uploaded.status == .ok, "\(uploaded.text)")
        }
        #expect(try await implementer.postAndFollow("\(path)", form: ["action": "submit"]).status == .ok)
        let report = try #require(try await TargetReportModel.query(on: app.db).first())
        #expect(try await seknas.postAndFollow("/verify/reports/\(report.id!.uuidString)/score", form: ["score": "80"]).status != .internalServerError)
        _ = try await FirstStart.run(app, demo: true)
        try await CoCreationTests.fillCoCreation(app)
    }

    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data("backup-test".utf8)

    /// Every table in the neutral form, rows sorted, with values as a column of `kinds` would hold them.
    static func dump(_ app: Application, as kinds: DatabaseCatalog? = nil) async throws -> [String: [String]] {
        let sql = app.db as! any SQLDatabase
        let catalog = try await DatabaseCatalog.read(sql)
        var tables: [String: [String]] = [:]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for table in catalog.tables {
            let lines = LockedLines()
            let target = (kinds ?? catalog)[table.name]
            try await TableRows.each(of: table, on: sql, postgres: !catalog.isSQLite) { row in
                var converted = row
                for (name, value) in row {
                    if let kind = target?.kind(of: name) { converted[name] = value.converted(to: kind) ?? value }
                }
                lines.append(String(decoding: try! encoder.encode(converted), as: UTF8.self))
            }
            tables[table.name] = lines.all.sorted()
        }
        return tables
    }

    static func evidenceDigests(_ app: Application) throws -> [String: String] {
        var digests: [String: String] = [:]
        for file in EvidenceFiles.list(root: app.evidenceStore.root) {
            digests[file.relativePath] = SHA256.hash(data: try Data(contentsOf: file.url)).map { String(format: "%02x", $0) }.joined()
        }
        return digests
    }

    static func backupAndRestore(from source: TestDatabase, to target: TestDatabase) async throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("pantau-backup-\(UUID().uuidString).zip").path
        defer { try? FileManager.default.removeItem(atPath: archive) }
        try await withTestApp(source) { original in
            try await fill(original)
            let summary = try await Backup.write(to: archive, app: original)
            #expect(summary.evidenceFiles == 2)
            await #expect(throws: BackupError.outputExists(archive)) { try await Backup.write(to: archive, app: original) }

            try await withTestApp(target) { restored in
                let result = try await Restore.run(from: archive, app: restored)
                #expect(result.rows == summary.rows)
                let targetCatalog = try await DatabaseCatalog.read(restored.db as! any SQLDatabase)
                let before = try await dump(original, as: targetCatalog)
                let after = try await dump(restored)
                #expect(Set(before.keys) == Set(after.keys))
                for (table, rows) in before {
                    #expect(rows.count == after[table]?.count, "\(table)")
                    #expect(rows == after[table], "\(table) differs after restore")
                }
                #expect(before["audit_entries"]?.count ?? 0 > 10)
                #expect(try evidenceDigests(restored) == evidenceDigests(original))
                #expect(try evidenceDigests(restored).allSatisfy { URL(fileURLWithPath: $0.key).lastPathComponent == $0.value })
                let verified = try await AuditLog.verify(on: restored.db)
                #expect(verified.broken == nil)
                #expect(verified.entries == summary.auditEntries)

                // The restored installation works: search finds a built-in commitment, the report page shows the evidence.
                #expect(try await SearchIndex.search("pengaduan", on: restored.db).hits.isEmpty == false)
                let visitor = TestBrowser(app: restored)
                #expect(try await visitor.get("/plans/ran-ogi-2020-2022/commitments/2").status == .ok)
                let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: restored)
                let report = try #require(try await TargetReportModel.query(on: restored.db).first())
                let page = try await seknas.get("/verify/reports/\(report.id!.uuidString)")
                #expect(page.text.contains("foto.png"))

                // Restoring again is refused: the folder and database are no longer empty, and nothing changes.
                let now = try await dump(restored)
                await #expect(throws: BackupError.self) { try await Restore.run(from: archive, app: restored) }
                #expect(try await dump(restored) == now)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func restoreGivesTheSameData(_ database: TestDatabase) async throws {
        try await Self.backupAndRestore(from: database, to: database)
    }

    @Test func sqliteBackupRestoresIntoPostgreSQL() async throws {
        try await Self.backupAndRestore(from: .sqlite, to: .postgres)
    }

    @Test func postgreSQLBackupRestoresIntoSQLite() async throws {
        try await Self.backupAndRestore(from: .postgres, to: .sqlite)
    }

    /// The commands as an operator runs them: a backup of SQLite restored into PostgreSQL, checked, and refused a second time.
    @Test func theCommandsFromSQLiteToPostgreSQL() async throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("pantau-cli-backup-\(UUID().uuidString).zip").path
        defer { try? FileManager.default.removeItem(atPath: archive) }
        try await CommandLineTests.withEnvironment(.sqlite) { source in
            let created = try CommandLineTests.run(["user", "create", "--name", "Seknas", "--email", "seknas@contoh.test", "--role", "secretariat",
                                                    "--generate-password"], environment: source)
            #expect(created.status == 0, "\(created.errors)")
            let backup = try CommandLineTests.run(["backup", "--output", archive], environment: source)
            #expect(backup.status == 0, "\(backup.errors)")
            #expect(backup.output.contains("Cadangan ditulis ke \(archive)"))
            let again = try CommandLineTests.run(["backup", "--output", archive], environment: source.merging(["PANTAU_LANG": "en"]) { $1 })
            #expect(again.status == 1)
            #expect(again.errors.contains("already exists"))
        }
        try await CommandLineTests.withEnvironment(.postgres) { target in
            let restored = try CommandLineTests.run(["restore", archive], environment: target)
            #expect(restored.status == 0, "\(restored.errors)")
            #expect(restored.output.contains("Dipulihkan dari"))
            let verified = try CommandLineTests.run(["audit", "verify"], environment: target)
            #expect(verified.status == 0, "\(verified.errors)")
            let twice = try CommandLineTests.run(["restore", archive], environment: target)
            #expect(twice.status == 1)
            #expect(twice.errors.hasPrefix("Galat: Basis data tidak kosong") || twice.errors.hasPrefix("Galat: Folder bukti tidak kosong"), "\(twice.errors)")
        }
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
}
