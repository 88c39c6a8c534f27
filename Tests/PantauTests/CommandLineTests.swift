import FluentSQLiteDriver
import Foundation
@testable import Pantau
import Testing
import Vapor

/// The `pantau` executable, run as a person would run it.
@Suite("Command line")
struct CommandLineTests {
    struct Outcome {
        let status: Int32
        let output: String
        let errors: String
    }

    /// `scripts/test` sets PANTAU_BINARY; otherwise the debug build beside the package.
    static var binary: String {
        ProcessInfo.processInfo.environment["PANTAU_BINARY"]
            ?? PantauApplication.resourceRoot() + ".build/debug/pantau"
    }

    static func run(_ arguments: [String], environment: [String: String], input: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "DATABASE_URL")
        merged.merge(environment) { _, new in new }
        process.environment = merged
        let output = Pipe(), errors = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                       errors: String(decoding: err, as: UTF8.self))
    }

    /// An environment pointing the command line at a fresh database of the given kind.
    static func withEnvironment(_ database: TestDatabase, _ body: ([String: String]) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pantau-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        switch database {
        case .sqlite:
            try await body(["PANTAU_DATA_DIR": folder.path])
        case .postgres:
            guard let url = TestDatabase.postgresURL, var components = URLComponents(string: url) else { throw TestDatabase.missingPostgres() }
            let name = "pantau_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
            try await withTestApp(.postgres) { app in
                try await (app.db as! any SQLDatabase).raw("CREATE DATABASE \(ident: String(name))").run()
                components.path = "/" + name
                var failure: (any Error)?
                do {
                    try await body(["PANTAU_DATA_DIR": folder.path, "DATABASE_URL": components.string!])
                } catch {
                    failure = error
                }
                try await (app.db as! any SQLDatabase).raw("DROP DATABASE IF EXISTS \(ident: String(name)) WITH (FORCE)").run()
                if let failure { throw failure }
            }
        }
    }

    @Test func everyCommandHasHelp() throws {
        for command in [["--help"], ["serve", "--help"], ["migrate", "--help"], ["user", "--help"], ["user", "create", "--help"],
                        ["plan", "archive", "--help"]] {
            let outcome = try Self.run(command, environment: [:])
            #expect(outcome.status == 0, "\(command)")
            #expect(outcome.output.contains("USAGE: pantau"), "\(command)")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func migrateAndRevert(_ database: TestDatabase) async throws {
        try await Self.withEnvironment(database) { environment in
            let applied = try Self.run(["migrate"], environment: environment)
            #expect(applied.status == 0, "\(applied.errors)")
            #expect(applied.output.contains("migrasi diterapkan"))
            #expect(applied.output.contains("+ Pantau.CreateMatrix"))
            let again = try Self.run(["migrate"], environment: environment)
            #expect(again.output.contains("0 migrasi diterapkan"))
            let reverted = try Self.run(["migrate", "--revert"], environment: environment)
            #expect(reverted.status == 0)
            #expect(reverted.output.contains("- Pantau.CreateScoringScheme"))
            if database == .sqlite {
                #expect(FileManager.default.fileExists(atPath: environment["PANTAU_DATA_DIR"]! + "/pantau.sqlite"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func userCreateGeneratesOrReadsAPassword(_ database: TestDatabase) async throws {
        try await Self.withEnvironment(database) { environment in
            let generated = try Self.run(["user", "create", "--name", "Seknas", "--email", "seknas@contoh.test",
                                          "--role", "secretariat", "--generate-password"], environment: environment)
            #expect(generated.status == 0, "\(generated.errors)")
            #expect(generated.output.contains("Akun seknas@contoh.test (secretariat) dibuat."))
            let passwordLine = generated.output.split(separator: "\n").first { $0.contains("Kata sandi") }
            #expect(passwordLine?.split(separator: " ").last?.count == 20)

            let piped = try Self.run(["user", "create", "--name", "Reviu", "--email", "reviu@contoh.test", "--role", "reviewer"],
                                     environment: environment, input: "kata-sandi-yang-panjang\n")
            #expect(piped.status == 0, "\(piped.errors)")
            #expect(!piped.output.contains("kata-sandi-yang-panjang"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func errorsAreOneLocalisedLine(_ database: TestDatabase) async throws {
        try await Self.withEnvironment(database) { environment in
            let missing = try Self.run(["user", "create", "--name", "P", "--email", "p@contoh.test", "--role", "implementer",
                                        "--generate-password"], environment: environment)
            #expect(missing.status == 1)
            #expect(missing.errors == "Galat: Akun pelaksana harus terhubung ke satu organisasi (--organisation).\n")
            var english = environment
            english["PANTAU_LANG"] = "en"
            let short = try Self.run(["user", "create", "--name", "P", "--email", "p@contoh.test", "--role", "reviewer"],
                                     environment: english, input: "pendek\n")
            #expect(short.status == 1)
            #expect(short.errors == "Error: The password must have at least 12 characters.\n")
            let badRole = try Self.run(["user", "create", "--name", "P", "--email", "p@contoh.test", "--role", "raja"], environment: environment)
            #expect(badRole.status != 0)
            #expect(!badRole.errors.contains("Stack"))
        }
    }

    @Test func badConfigurationIsOneLine() throws {
        let wrongURL = try Self.run(["migrate"], environment: ["DATABASE_URL": "mysql://localhost/pantau"])
        #expect(wrongURL.status == 1)
        #expect(wrongURL.errors == "Galat: DATABASE_URL harus diawali postgres:// atau postgresql://.\n")
        let unreachable = try Self.run(["migrate"], environment: ["DATABASE_URL": "postgres://pantau@127.0.0.1:1/pantau", "PANTAU_LANG": "en"])
        #expect(unreachable.status == 1)
        #expect(unreachable.errors.split(separator: "\n").count == 1)
        #expect(unreachable.errors.hasPrefix("Error: The database cannot be reached."))
    }

    /// PostgresNIO's own description hides the server's words; an operator needs them.
    @Test func aRefusalByPostgreSQLIsQuotedWithItsCode() throws {
        guard let url = TestDatabase.postgresURL, var components = URLComponents(string: url) else { throw TestDatabase.missingPostgres() }
        components.path = "/pantau_no_such_database"
        let refused = try Self.run(["migrate"], environment: ["DATABASE_URL": components.string!])
        #expect(refused.status == 1)
        #expect(refused.errors == "Galat: PostgreSQL: database \"pantau_no_such_database\" does not exist (SQLSTATE 3D000)\n")
    }

    /// `pantau serve` on a free port with `environment`, not started yet; its standard output.
    static func serveProcess(_ environment: [String: String]) -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0"]
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "DATABASE_URL")
        merged.merge(environment) { _, new in new }
        process.environment = merged
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        return (process, output)
    }

    /// What a server printed up to the whole line with its address (or until its output ended).
    static func linesUntilServing(_ output: Pipe) -> String {
        var received = Data()
        while !String(decoding: received, as: UTF8.self).contains("Pantau berjalan di") || received.last != UInt8(ascii: "\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test(arguments: TestDatabase.allCases)
    func serveMigratesPrintsItsAddressAndAnswers(_ database: TestDatabase) async throws {
        try await Self.withEnvironment(database) { environment in
            let (process, output) = Self.serveProcess(environment)
            try process.run()
            defer { if process.isRunning { process.terminate() } }

            // It reports what the first start did, then the address once it listens.
            let lines = Self.linesUntilServing(output).split(separator: "\n").map(String.init)
            #expect(lines.prefix(2) == ["Rencana aksi ran-ogi-2020-2022 dimuat.", "Rencana aksi ran-opi-2020-2022 dimuat."])
            #expect(lines.contains { $0.hasPrefix("Akun sekretariat@pantau.local (secretariat, organisasi: -) dibuat. Kata sandi (hanya ditampilkan sekali ini): ") })
            let serving = try #require(lines.last)
            #expect(serving.hasPrefix("Pantau berjalan di http://127.0.0.1:"))
            let address = try #require(serving.split(separator: " ").first { $0.hasPrefix("http://") })
            let response = try await HTTPClient.shared.get(url: address + "/api/v1/plans").get()
            #expect(response.status == .ok)
            let plans = try JSONDecoder().decode([API.PlanSummaryDTO].self, from: Data(buffer: try #require(response.body)))
            #expect(plans.map(\.code).sorted() == ["ran-ogi-2020-2022", "ran-opi-2020-2022"])

            process.terminate()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
    }

    /// Three servers started at once on one new PostgreSQL database (issue 17): one migrates and loads at a time,
    /// every one comes up, and the built-in plans and the first account exist once.
    @Test func threeServersStartTogetherOnOnePostgreSQL() async throws {
        try await Self.withEnvironment(.postgres) { environment in
            var processes: [(Process, Pipe)] = []
            defer { for (process, _) in processes where process.isRunning { process.terminate() } }
            for _ in 0..<3 { processes.append(Self.serveProcess(environment)) }
            for (process, _) in processes { try process.run() }
            var loaded: [String] = []
            for (process, output) in processes {
                let text = Self.linesUntilServing(output)
                #expect(text.contains("Pantau berjalan di"), "a server did not come up: \(text)")
                loaded += text.split(separator: "\n").filter { $0.hasPrefix("Rencana aksi") }.map(String.init)
                #expect(process.isRunning)
            }
            #expect(loaded.sorted() == ["Rencana aksi ran-ogi-2020-2022 dimuat.", "Rencana aksi ran-opi-2020-2022 dimuat."], "the plans are loaded once")
            for (process, _) in processes {
                process.terminate()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
            }
        }
    }
}

@Suite("Audit verification from the command line")
struct AuditCommandTests {
    @Test(arguments: TestDatabase.allCases)
    func verifyReportsTheFirstBrokenLink(_ database: TestDatabase) async throws {
        try await CommandLineTests.withEnvironment(database) { environment in
            // First start writes history (the built-in plans and minutes); then it is checked, tampered with, checked again.
            let imported = try CommandLineTests.run(["import", PantauApplication.resourceRoot() + "Resources/Plans/ran-opi-2020-2022.json"], environment: environment)
            #expect(imported.status == 0, "\(imported.errors)")
            let intact = try CommandLineTests.run(["audit", "verify"], environment: environment)
            #expect(intact.status == 0)
            #expect(intact.output == "Riwayat audit utuh: 1 entri diperiksa.\n")

            let configuration: AppConfiguration
            if let url = environment["DATABASE_URL"] {
                configuration = AppConfiguration(storage: .postgres(url: url, searchPath: nil), dataDirectory: environment["PANTAU_DATA_DIR"]!)
            } else {
                configuration = AppConfiguration(storage: .sqlite(path: environment["PANTAU_DATA_DIR"]! + "/pantau.sqlite"), dataDirectory: environment["PANTAU_DATA_DIR"]!)
            }
            let app = try await PantauApplication.make(configuration, environment: .testing)
            try await (app.db as! any SQLDatabase).raw("UPDATE audit_entries SET actor_name = 'orang lain' WHERE sequence = 1").run()
            try await app.asyncShutdown()

            let broken = try CommandLineTests.run(["audit", "verify"], environment: environment)
            #expect(broken.status == 1)
            #expect(broken.errors == "Riwayat audit RUSAK pada entri 1: isinya diubah setelah dicatat.\n")
        }
    }
}
