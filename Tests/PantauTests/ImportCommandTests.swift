import Foundation
@testable import Pantau
import PantauDomain
import Testing

/// `pantau import` and `pantau export` as a person runs them, and the workbook as LibreOffice reads it.
@Suite("Import and export commands")
struct ImportCommandTests {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pantau-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(arguments: TestDatabase.allCases)
    func importThenExportEveryFormat(_ database: TestDatabase) async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("rencana.csv")
        try PlanFiles.encode(SamplePlan.document(), as: .csv).write(to: source)
        try await CommandLineTests.withEnvironment(database) { environment in
            let imported = try CommandLineTests.run(["import", source.path], environment: environment)
            #expect(imported.status == 0, "\(imported.errors)")
            #expect(imported.output.contains("Rencana aksi contoh-2030-2032 diimpor: 2 komitmen, 7 target."))
            // Progress is for terminals only: nothing of it in a pipe.
            #expect(imported.errors.isEmpty)

            for format in PlanFileFormat.allCases {
                let output = folder.appendingPathComponent("keluar.\(format.rawValue)")
                let exported = try CommandLineTests.run(["export", "contoh-2030-2032", "--format", format.rawValue, "--output", output.path],
                                                        environment: environment)
                #expect(exported.status == 0, "\(exported.errors)")
                #expect(try PlanFiles.decode(try Data(contentsOf: output), as: format).code == "contoh-2030-2032")
            }
            let again = try CommandLineTests.run(["import", source.path], environment: environment)
            #expect(again.status == 1)
            #expect(again.errors == "Galat: Rencana aksi 'contoh-2030-2032' sudah ada.\n")
        }
    }

    /// A region's plans are imported into its jurisdiction, made on first use; a kind that contradicts it is refused.
    @Test(arguments: TestDatabase.allCases)
    func plansOfARegion(_ database: TestDatabase) async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("kota-1.csv"), second = folder.appendingPathComponent("kota-2.csv")
        try PlanFiles.encode(SamplePlan.document(code: "kota-contoh-2030-2032"), as: .csv).write(to: first)
        try PlanFiles.encode(SamplePlan.document(code: "kota-contoh-2033-2034"), as: .csv).write(to: second)
        try await CommandLineTests.withEnvironment(database) { environment in
            let noKind = try CommandLineTests.run(["import", first.path, "--jurisdiction", "Kota Contoh"], environment: environment)
            #expect(noKind.status == 1 && noKind.errors.contains("Pilih jenis wilayah"), "\(noKind.errors)")
            let made = try CommandLineTests.run(["import", first.path, "--jurisdiction", "Kota Contoh", "--jurisdiction-kind", "city"],
                                                environment: environment)
            #expect(made.status == 0, "\(made.errors)")
            let contradicted = try CommandLineTests.run(["import", second.path, "--jurisdiction", "Kota Contoh", "--jurisdiction-kind", "province"],
                                                        environment: environment)
            #expect(contradicted.status == 1)
            #expect(contradicted.errors.contains("Wilayah 'Kota Contoh' sudah ada sebagai city."), "\(contradicted.errors)")
            let second = try CommandLineTests.run(["import", second.path, "--jurisdiction", "Kota Contoh"], environment: environment)
            #expect(second.status == 0, "\(second.errors)")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aBadFileIsExplainedAndChangesNothing(_ database: TestDatabase) async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = String(decoding: try PlanFiles.encode(SamplePlan.document(), as: .csv).dropFirst(3), as: UTF8.self)
        text = text.replacingOccurrences(of: ",B12,Uji coba portal", with: ",B13,Uji coba portal")
        text = text.replacingOccurrences(of: "civil_society", with: "")
        let source = folder.appendingPathComponent("rusak.csv")
        try Data(text.utf8).write(to: source)
        try await CommandLineTests.withEnvironment(database) { environment in
            var english = environment
            english["PANTAU_LANG"] = "en"
            let outcome = try CommandLineTests.run(["import", source.path], environment: english)
            #expect(outcome.status == 1)
            let lines = outcome.errors.split(separator: "\n").map(String.init)
            #expect(lines.first == "Error: The file was not imported: 3 problems found. Nothing was saved.")
            #expect(lines.contains("  - Row 3, column semester: Unknown semester 'B13'."))
            #expect(lines.contains { $0.hasPrefix("  - Row 6, column responsible_kind: The kind of organisation 'Perkumpulan Warga Contoh' is missing") })
            let export = try CommandLineTests.run(["export", "contoh-2030-2032", "--output", "-"], environment: environment)
            #expect(export.status == 1)
            #expect(export.errors.contains("tidak ditemukan"))
        }
    }

    @Test func missingFileIsOneLine() throws {
        let outcome = try CommandLineTests.run(["import", "/tidak/ada.csv"], environment: ["PANTAU_DATA_DIR": NSTemporaryDirectory() + UUID().uuidString])
        #expect(outcome.status == 1)
        #expect(outcome.errors == "Galat: Berkas '/tidak/ada.csv' tidak dapat dibaca.\n")
    }

    /// The workbook opens in LibreOffice with every cell intact, and a workbook LibreOffice saved comes back in.
    @Test func libreOfficeReadsAndWritesTheWorkbook() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try PlanFileTests.realPlan()
        let workbook = folder.appendingPathComponent("rencana.xlsx")
        try PlanFiles.encode(document, as: .xlsx).write(to: workbook)

        let csvOut = folder.appendingPathComponent("csv")
        try Self.libreOffice(["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", csvOut.path, workbook.path])
        let converted = try Data(contentsOf: csvOut.appendingPathComponent("rencana.csv"))
        #expect(try PlanFiles.decode(converted, as: .csv) == PlanFiles.decode(try PlanFiles.encode(document, as: .csv), as: .csv))

        let xlsxOut = folder.appendingPathComponent("xlsx")
        try Self.libreOffice(["--convert-to", "xlsx", "--outdir", xlsxOut.path, workbook.path])
        let resaved = try Data(contentsOf: xlsxOut.appendingPathComponent("rencana.xlsx"))
        #expect(resaved != (try Data(contentsOf: workbook)))
        #expect(try PlanFiles.encode(try PlanFiles.decode(resaved, as: .xlsx), as: .xlsx) == (try Data(contentsOf: workbook)))
    }

    static func libreOffice(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // A profile of its own, so parallel runs and a desktop session do not collide.
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("lo-profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        process.arguments = ["libreoffice", "-env:UserInstallation=file://\(profile.path)", "--headless"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSetupError("libreoffice \(arguments) failed; scripts/test installs LibreOffice") }
    }
}
