import Foundation
import SQLKit
@testable import Pantau
import Testing
import Vapor

@Suite("Search")
struct SearchTests {
    @Test(arguments: TestDatabase.allCases)
    func findsCommitmentsTargetsAndMinutes(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            let hits = try await SearchIndex.search("SP4N-LAPOR", on: app.db).hits
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
            #expect(try await app.http().get("/api/v1/search?q=%27%3A*%20%26%20!%7C").status == .ok)
            // Word beginnings, for someone still typing: "keterbuka" finds "keterbukaan", "lapo" finds "LAPOR".
            #expect(try await SearchIndex.search("keterbuka", on: app.db).hits.count > 0)
            #expect(try await SearchIndex.search("lapo", on: app.db).hits.first?.url == "/plans/ran-ogi-2020-2022/commitments/2")
        }
    }

    /// Two forms of a word find the same entries, on either database: both give exactly the entries whose stored stems
    /// hold the query's stems, as worked out here in Swift. "aduan" finds commitment 2 (complaints), which only says
    /// "pengaduan".
    @Test(arguments: TestDatabase.allCases)
    func formsOfAWordFindTheSameEntriesOnBothDatabases(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            let entries = try await SearchEntryModel.query(on: app.db).all()
            for (first, second) in [("aduan", "pengaduan"), ("terbuka", "keterbukaan"), ("layanan", "pelayanan")] {
                let firstURLs = Set(try await SearchIndex.search(first, on: app.db, limit: 10_000).hits.map { $0.kind + " " + $0.url })
                let secondURLs = Set(try await SearchIndex.search(second, on: app.db, limit: 10_000).hits.map { $0.kind + " " + $0.url })
                #expect(firstURLs == secondURLs, "\(first) / \(second)")
                #expect(firstURLs == Self.expected(first, in: entries), "\(first)")
                #expect(firstURLs.count > 5, "\(first)")
            }
            let aduan = try await SearchIndex.search("aduan", on: app.db).hits
            #expect(aduan.first?.url == "/plans/ran-ogi-2020-2022/commitments/2")
            #expect(aduan.filter { $0.kind == "commitment" }.map(\.url).contains("/plans/ran-ogi-2020-2022/commitments/2"))
        }
    }

    /// The entries a query must find: every stem of the query among the entry's stems, the last one also as a beginning.
    static func expected(_ query: String, in entries: [SearchEntryModel]) -> Set<String> {
        let stems = SearchQuery(query).stems
        return Set(entries.filter { entry in
            let terms = (entry.titleTerms + " " + entry.bodyTerms).split(separator: " ").map(String.init)
            return stems.dropLast().allSatisfy(terms.contains) && terms.contains { $0.hasPrefix(stems.last!) }
        }.map { $0.kind + " " + $0.url })
    }

    /// A commitment whose title matches comes before the measures, targets and minutes that mention the word more often.
    @Test(arguments: TestDatabase.allCases)
    func aCommitmentWhoseTitleMatchesComesFirst(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            for query in ["LAPOR", "SP4N-LAPOR", "lapor", "pengaduan pelayanan", "aduan"] {
                let hits = try await SearchIndex.search(query, on: app.db).hits
                #expect(hits.first?.url == "/plans/ran-ogi-2020-2022/commitments/2", "\(query): \(hits.prefix(3).map(\.url))")
            }
            let first = try await SearchIndex.search("keterbukaan kontrak", on: app.db).hits.first
            #expect(first?.url == "/plans/ran-ogi-2020-2022/commitments/1")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func kindAndPlanFiltersWithCounts(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            let all = try await SearchIndex.search("pengaduan", on: app.db, limit: 10_000)
            #expect(all.hits.count == all.total(of: SearchIndex.Filter()))
            #expect(Set(all.counts.keys).isSuperset(of: [.commitment, .measure]))
            for kind in SearchIndex.Kind.allCases {
                let only = try await SearchIndex.search("pengaduan", filter: SearchIndex.Filter(kind: kind), on: app.db, limit: 10_000)
                #expect(only.hits.allSatisfy { $0.kind == kind.rawValue })
                #expect(only.hits.count == (all.counts[kind] ?? 0), "\(kind)")
                // The counts of every kind stay, so a page can offer them.
                #expect(only.counts == all.counts)
            }
            let opi = try await SearchIndex.search("pengaduan", filter: SearchIndex.Filter(planCode: "ran-opi-2020-2022"), on: app.db, limit: 10_000)
            #expect(!opi.hits.isEmpty)
            #expect(opi.hits.allSatisfy { $0.planCode == "ran-opi-2020-2022" })
            #expect(opi.hits.count == opi.total(of: SearchIndex.Filter(planCode: "ran-opi-2020-2022")))
            #expect(opi.hits.count < all.hits.count)
            let both = SearchIndex.Filter(kind: .measure, planCode: "ran-ogi-2020-2022")
            #expect(try await SearchIndex.search("pengaduan", filter: both, on: app.db, limit: 10_000).hits
                .allSatisfy { $0.kind == "measure" && $0.planCode == "ran-ogi-2020-2022" })

            // The page: the count, a link per kind with its count, keeping the query and the plan; the plan chosen.
            let page = try await app.http().get("/search?q=pengaduan&plan=ran-ogi-2020-2022&kind=measure")
            #expect(page.status == .ok)
            let ogi = try await SearchIndex.search("pengaduan", filter: SearchIndex.Filter(planCode: "ran-ogi-2020-2022"), on: app.db, limit: 10_000)
            #expect(page.text.contains("Hasil: \(ogi.counts[.measure]!)"))
            #expect(page.text.contains("Semua (\(ogi.total(of: SearchIndex.Filter())))"))
            #expect(page.text.contains("href=\"/search?q=pengaduan&amp;kind=commitment&amp;plan=ran-ogi-2020-2022\""))
            #expect(page.text.contains("Komitmen (\(ogi.counts[.commitment]!))"))
            #expect(page.text.contains("<option value=\"ran-ogi-2020-2022\" selected>"))
            #expect(try await app.http().get("/search?q=pengaduan&plan=ran-ogi-2020-2022&kind=measure&lang=en").text.contains("Results: "))
            // Unknown kinds and plans are no error: nothing is filtered, or nothing found.
            #expect(try await app.http().get("/search?q=pengaduan&kind=nonsense").status == .ok)
            #expect(try await app.http().get("/search?q=pengaduan&plan=%27%22").text.contains("Tidak ada hasil untuk"))

            // The API: the same filters, and the total in a header.
            let api = try await app.http().get("/api/v1/search?q=pengaduan&kind=measure&plan=ran-ogi-2020-2022")
            let hits = try api.json([SearchIndex.Hit].self)
            #expect(!hits.isEmpty && hits.allSatisfy { $0.kind == "measure" && $0.planCode == "ran-ogi-2020-2022" })
            #expect(api.headers.first(name: "X-Total-Count") == "\(ogi.counts[.measure]!)")
        }
    }

    /// A hit on a measure (or one of its targets) leads to the measure on the commitment page, which has that id; a
    /// report's hit leads to its target (`unpublishedReportsAreNotFound`).
    @Test(arguments: TestDatabase.allCases)
    func hitsLandOnTheirMeasure(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            var pages: [String: String] = [:]
            var checked = 0
            for query in ["pengaduan", "keterbukaan"] {
                let kind = SearchIndex.Kind.measure
                let hits = try await SearchIndex.search(query, filter: SearchIndex.Filter(kind: kind), on: app.db, limit: 10_000).hits
                for hit in hits {
                    let parts = hit.url.split(separator: "#", maxSplits: 1).map(String.init)
                    try #require(parts.count == 2, "\(hit.url)")
                    #expect(parts[1].hasPrefix(kind.rawValue + "-"))
                    if pages[parts[0]] == nil { pages[parts[0]] = try await app.http().get(parts[0]).text }
                    #expect(pages[parts[0]]!.contains("id=\"\(parts[1])\""), "\(hit.url)")
                    checked += 1
                }
            }
            #expect(checked > 10)
            #expect(try await SearchIndex.search("LAPOR", filter: SearchIndex.Filter(kind: .measure), on: app.db).hits
                .contains { $0.url.hasPrefix("/plans/ran-ogi-2020-2022/commitments/2#measure-") })
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
            #expect(try await SearchIndex.search("xylofon", on: app.db).hits.isEmpty)
            // Published but never verified: still not public.
            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas)
            #expect(try await SearchIndex.search("xylofon", on: app.db).hits.isEmpty)
            // Scored as a correction after publication: public from then on.
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            let corrected = try await seknas.postAndFollow("/verify/reports/\(report.id!.uuidString)/score",
                                                  form: ["score": "75", "correctionReason": "Dinilai setelah publikasi."])
            #expect(corrected.status == .ok, "\(corrected.text)")
            try await SearchIndex.rebuild(on: app.db)
            let reportHits = try await SearchIndex.search("xylofon", on: app.db).hits
            #expect(reportHits.map(\.kind) == ["report"])
            // It links to its target's result on the commitment page.
            let hit = try #require(reportHits.first)
            let parts = hit.url.split(separator: "#").map(String.init)
            #expect(parts.count == 2 && parts[1].hasPrefix("target-"))
            #expect(try await TestBrowser(app: app).get(parts[0]).text.contains("id=\"\(parts.last!)\""))
        }
    }

    /// Letters whose lower case is longer ("İ" becomes "i" and a combining dot) or shorter ("ẞ" becomes "ß") in
    /// UTF-8: the snippet around the word found must still come from the text itself.
    @Test func snippetsOfTextsThatChangeLengthWhenLowerCased() {
        for letter in ["İ", "ẞ", "Ⱥ"] {
            let text = String(repeating: letter, count: 100) + " pelabuhan " + String(repeating: letter, count: 300)
            let snippet = SearchIndex.snippet(text, matching: SearchQuery("pelabuhan"))
            #expect(snippet.contains(" pelabuhan "), "\(letter)")
            #expect(snippet.hasPrefix("…") && snippet.hasSuffix("…"), "\(letter)")
        }
        #expect(SearchIndex.snippet("İstanbul", matching: SearchQuery("İSTANBUL")) == "İstanbul")
        // A word far into the text is found whatever its case, and the snippet is cut around it.
        let long = String(repeating: "kata ", count: 60) + "Pelabuhan İstanbul " + String(repeating: "lain ", count: 60)
        #expect(SearchIndex.snippet(long, matching: SearchQuery("PELABUHAN")).contains("Pelabuhan İstanbul"))
        #expect(SearchIndex.snippet(long, matching: SearchQuery("PELABUHAN")).hasPrefix("…"))
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

/// PostgreSQL's text-search vectors are written by Pantau when it can (`SearchTerms.postgresVector`): each must be
/// exactly what PostgreSQL's own `to_tsvector('simple', …)` makes of the same terms, or search would find and rank
/// differently from the terms stored.
@Suite("Search vectors written by Pantau")
struct SearchVectorTests {
    @Test func pantausVectorsAreThoseOfPostgreSQL() async throws {
        try await withTestApp(.postgres) { app in
            _ = try await FirstStart.run(app, demo: false)
            let sql = app.db as! any SQLDatabase
            let entries = try await SearchEntryModel.query(on: app.db).all().map { $0.titleTerms + " " + $0.bodyTerms }
            let long = (1...17_000).map { "w\($0 % 500)" }.joined(separator: " ")
            let repeated = Array(repeating: "lapor", count: 254).joined(separator: " ") + " akhir"
            let longest = (1...255).map { "k\($0 % 7)" }.joined(separator: " ")
            let tooMany = Array(repeating: "lapor", count: 256).joined(separator: " ")
            let tricky = ["", " ", "06 2031 b06 1e5 0x1f 1st 12345678901234567890 a 0", repeated, longest, tooMany, "laporan laporan  kerja "]
            var written = 0
            for terms in entries + tricky {
                guard let vector = SearchTerms.postgresVector(of: terms) else { continue }
                written += 1
                struct Same: Decodable { let same: Bool }
                let same = try await sql.raw("SELECT \(bind: vector)::tsvector = to_tsvector('simple', \(bind: terms)) AS same")
                    .first(decoding: Same.self)?.same
                #expect(same == true, "\(terms.prefix(80))")
            }
            // Most entries of the real plan get theirs from Pantau (the rest have long texts or hyphenated words).
            #expect(written >= entries.count * 3 / 4)
            // Terms PostgreSQL's parser reads otherwise (a hyphen, letters beyond a-z), and more words than a word may
            // have positions, are left to it.
            #expect(SearchTerms.postgresVector(of: "kerja-sama") == nil)
            #expect(SearchTerms.postgresVector(of: "café") == nil)
            #expect(SearchTerms.postgresVector(of: long) == nil)
            // Every stored entry has its vector, and it is PostgreSQL's.
            struct Count: Decodable { let count: Int }
            let wrong = try await sql.raw("""
                SELECT COUNT(*) AS count FROM search_entries
                WHERE terms IS DISTINCT FROM to_tsvector('simple', title_terms || ' ' || body_terms)
                """).first(decoding: Count.self)?.count
            #expect(wrong == 0)
        }
    }
}
