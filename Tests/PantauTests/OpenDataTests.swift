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
}
