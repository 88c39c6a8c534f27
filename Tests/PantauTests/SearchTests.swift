import Foundation
@testable import Pantau
import Testing
import Vapor

@Suite("Search")
struct SearchTests {
    @Test(arguments: TestDatabase.allCases)
    func findsCommitmentsTargetsAndMinutes(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            let hits = try await SearchIndex.search("SP4N-LAPOR", on: app.db)
            #expect(hits.contains { $0.kind == "commitment" && $0.url == "/plans/ran-ogi-2020-2022/commitments/2" })
            #expect(hits.contains { $0.kind == "meeting" })
            #expect(hits.contains { $0.kind == "measure" })
            let page = try await app.http().get("/search?q=pengaduan%20LAPOR")
            #expect(page.status == .ok)
            #expect(page.text.contains("Peningkatan Kualitas Penyelesaian Pengaduan"))
            let none = try await app.http().get("/search?q=zzzzqqq")
            #expect(none.text.contains("Tidak ada hasil untuk"))
            let api = try await app.http().get("/api/v1/search?q=keterbukaan%20kontrak")
            #expect(try api.json([SearchIndex.Hit].self).contains { $0.url == "/plans/ran-ogi-2020-2022/commitments/1" })
            // Input that is not a word is ignored, never an error.
            #expect(try await app.http().get("/search?q=%22%29%20OR%20*").status == .ok)
            if database == .postgres {
                // Indonesian stemming: "aduan" finds "pengaduan".
                #expect(try await SearchIndex.search("aduan", on: app.db).contains { $0.url == "/plans/ran-ogi-2020-2022/commitments/2" })
            } else {
                // Word beginnings: "keterbuka" finds "keterbukaan".
                #expect(try await SearchIndex.search("keterbuka", on: app.db).count > 0)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func unpublishedReportsAreNotFound(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            try await SearchIndex.rebuild(on: app.db)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            _ = try await ReportingCycleTests.openWindow(app, seknas: seknas)
            let path = "/report/targets/\(try await ReportingCycleTests.targetA(app).id!.uuidString)"
            _ = try await implementerA.postAndFollow(path, form: ["achievement": "Kalimat rahasia xylofon.", "progress": "10"])
            _ = try await implementerA.postAndFollow("\(path)", form: ["action": "submit"])
            #expect(try await SearchIndex.search("xylofon", on: app.db).isEmpty)
            // Published but never verified: still not public.
            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas)
            #expect(try await SearchIndex.search("xylofon", on: app.db).isEmpty)
            // Scored as a correction after publication: public from then on.
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            let corrected = try await seknas.postAndFollow("/verify/reports/\(report.id!.uuidString)/score",
                                                  form: ["score": "75", "correctionReason": "Dinilai setelah publikasi."])
            #expect(corrected.status == .ok, "\(corrected.text)")
            try await SearchIndex.rebuild(on: app.db)
            #expect(try await SearchIndex.search("xylofon", on: app.db).map(\.kind) == ["report"])
        }
    }

    /// Letters whose lower case is longer ("İ" becomes "i" and a combining dot) or shorter ("ẞ" becomes "ß") in
    /// UTF-8: the snippet around the word found must still come from the text itself.
    @Test func snippetsOfTextsThatChangeLengthWhenLowerCased() {
        for letter in ["İ", "ẞ", "Ⱥ"] {
            let text = String(repeating: letter, count: 100) + " pelabuhan " + String(repeating: letter, count: 300)
            let snippet = SearchIndex.snippet(text, words: ["pelabuhan"])
            #expect(snippet.contains(" pelabuhan "), "\(letter)")
            #expect(snippet.hasPrefix("…") && snippet.hasSuffix("…"), "\(letter)")
        }
        #expect(SearchIndex.snippet("İstanbul", words: ["İSTANBUL"]) == "İstanbul")
        // A word far into the text is found whatever its case, and the snippet is cut around it.
        let long = String(repeating: "kata ", count: 60) + "Pelabuhan İstanbul " + String(repeating: "lain ", count: 60)
        #expect(SearchIndex.snippet(long, words: ["PELABUHAN"]).contains("Pelabuhan İstanbul"))
        #expect(SearchIndex.snippet(long, words: ["PELABUHAN"]).hasPrefix("…"))
    }

    /// A plan imported through the page with "İ" a hundred times before a word: searching for the word, over HTTP,
    /// answers (it used to stop the server), and the server answers afterwards.
    @Test(arguments: TestDatabase.allCases)
    func searchingTextThatChangesLengthWhenLowerCasedAnswers(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let seknas = try await TestAccounts.secretariatAlone(on: app)
            var document = SamplePlan.document()
            document.commitments[0].goals[0].measures[0].targets[0].text = String(repeating: "İ", count: 100) + " pelabuhan"
            document.commitments[0].goals[0].text = "İstanbul"
            let uploaded = try await seknas.postMultipartAndFollow("/admin/plans", fields: [:],
                                                          file: ("file", "rencana.csv", try PlanFiles.encode(document, as: .csv)))
            #expect(uploaded.status == .ok, "\(uploaded.text.prefix(2000))")

            let visitor = TestBrowser(app: app)
            let page = try await visitor.get("/search?q=pelabuhan")
            #expect(page.status == .ok)
            #expect(page.text.contains(" pelabuhan"))
            let api = try await visitor.get("/api/v1/search?q=pelabuhan")
            #expect(try api.json([SearchIndex.Hit].self).contains { $0.snippet.contains(String(repeating: "İ", count: 50) + " pelabuhan") })
            #expect(try await visitor.get("/search?q=%C4%B0stanbul").status == .ok)
            #expect(try await visitor.get("/search?q=istanbul").status == .ok)
            #expect(try await visitor.get("/plans").status == .ok)
        }
    }
}
