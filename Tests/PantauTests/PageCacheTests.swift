import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import SQLKit
import Testing
import Vapor

/// Visitors' pages come from memory while nothing has changed, and never stale after a change.
@Suite("The public page cache")
struct PageCacheTests {
    @Test(arguments: TestDatabase.allCases)
    func aChangeMadeHereShowsAtOnce(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let visitor = app.http()
            let path = "/plans/contoh-2030-2032/commitments/1"
            let first = try await visitor.get(path)
            #expect(try await visitor.get(path).text == first.text)
            #expect(!first.text.contains("Rapat warga tentang portal"))
            try await MeetingService.record(
                MeetingRecord(plan: "contoh-2030-2032", title: "Rapat warga tentang portal", date: CalendarDay(iso: "2031-03-01")!,
                              participants: [MeetingPerson(name: "Ani", organisation: "Perkumpulan Warga Contoh")], commitments: [1]),
                attachments: [], published: true, store: nil, actor: .system, organisationID: nil, recorderID: nil, on: app.db)
            #expect(try await visitor.get(path).text.contains("Rapat warga tentang portal"))
        }
    }

    /// This process's own changes are merged into the versions it read last, so a visitor never waits for the
    /// versions to be read again after a write here (on PostgreSQL that reading waited for a connection busy with
    /// writes, and every visitor with it). With an hour between readings, only that merge can show the change.
    @Test(arguments: TestDatabase.allCases)
    func aChangeMadeHereShowsWithoutReadingTheVersionsAgain(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let cache = PublicPageCache(committedChanges: try #require(CommittedChanges.of(app.db)), recheckInterval: .hours(1))
            let renders = RenderCount()
            let route = Route(method: .GET, path: ["rencana"], responder: AsyncBasicResponder { _ in Response() },
                              requestType: Request.self, responseType: Response.self)
            route.userInfo["cacheable"] = true
            let page = AsyncBasicResponder { request in
                await renders.add()
                let title = try await ActionPlanModel.query(on: request.db).first()?.title ?? ""
                return Response(status: .ok, body: .init(string: title))
            }
            func ask() async throws -> String {
                let request = Request(application: app, method: .GET, url: URI(string: "/rencana"), on: app.eventLoopGroup.next())
                request.route = route
                return try await cache.respond(to: request, chainingTo: page).get().body.string ?? ""
            }
            #expect(try await ask() == "Rencana Aksi Contoh 2030-2032")
            #expect(try await ask() == "Rencana Aksi Contoh 2030-2032")
            #expect(await renders.count == 1)

            // Another process's change (its rows and its plan versions, no audited transaction here): unseen for the hour.
            let sql = app.db as! any SQLDatabase
            try await sql.update(ActionPlanModel.schema).set("title", to: "Rencana Aksi Contoh yang Diubah").run()
            let next = try await AuditLog.latestSequence(on: app.db) + 1
            try await PlanChanges.record([AuditChange(action: "plan.import", objectType: "plan", objectID: "x", before: Optional<String>.none,
                                                      after: Optional<String>.none)], sequence: next, on: app.db)
            #expect(try await ask() == "Rencana Aksi Contoh 2030-2032", "the versions were read again")
            #expect(await renders.count == 1)

            // A change committed here: seen at once, and the page made afresh is kept again.
            try await MeetingService.record(
                MeetingRecord(plan: "contoh-2030-2032", title: "Rapat warga tentang portal", date: CalendarDay(iso: "2031-03-01")!,
                              participants: [MeetingPerson(name: "Ani", organisation: "Perkumpulan Warga Contoh")], commitments: [1]),
                attachments: [], published: true, store: nil, actor: .system, organisationID: nil, recorderID: nil, on: app.db)
            #expect(try await ask() == "Rencana Aksi Contoh yang Diubah", "a change made here was not seen")
            #expect(try await ask() == "Rencana Aksi Contoh yang Diubah")
            #expect(await renders.count == 2)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aChangeMadeByAnotherProcessShowsWithinASecond(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let visitor = app.http()
            #expect(try await visitor.get("/plans").text.contains("Rencana Aksi Contoh 2030-2032"))
            // Another server process on the same database: its rows appear, this process committed nothing.
            let sql = app.db as! any SQLDatabase
            try await sql.update(ActionPlanModel.schema).set("title", to: "Rencana Aksi Contoh yang Diubah").run()
            let next = try await AuditLog.latestSequence(on: app.db) + 1
            try await sql.insert(into: AuditEntryModel.schema)
                .columns("sequence", "recorded_at", "actor_name", "action", "object_type", "object_id", "reason", "previous_hash", "entry_hash")
                .values(SQLBind(next), SQLBind("2031-01-01T00:00:00Z"), SQLBind("proses lain"), SQLBind("plan.import"), SQLBind("plan"),
                        SQLBind("x"), SQLBind(""), SQLBind(""), SQLBind(""))
                .run()
            // ...and, as its audited transaction does, which plans the change touched (an unknown object: every plan).
            try await PlanChanges.record([AuditChange(action: "plan.import", objectType: "plan", objectID: "x", before: Optional<String>.none,
                                                      after: Optional<String>.none)], sequence: next, on: app.db)
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(try await visitor.get("/plans").text.contains("Rencana Aksi Contoh yang Diubah"))
        }
    }

    /// Implementers reporting, and the secretariat asking and scoring, before the semester is published change nothing
    /// visitors can see: every kept page stays kept (no page is rendered again), and a page made afresh is byte for byte
    /// the kept one. Publishing the semester then shows at once.
    @Test(arguments: TestDatabase.allCases)
    func reportingBeforePublicationKeepsVisitorsPages(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (seknas, implementerA, _, reportPath) = try await ReportingCycleTests.openReport(app)
            let plan = "/plans/contoh-2030-2032"
            let pages = ["/", "/plans", plan, "\(plan)/dashboard", "\(plan)/commitments/1", "\(plan)/commitments/2", "/overview", "/organisations",
                         "/api/v1/plans/contoh-2030-2032", "/api/v1/plans/contoh-2030-2032/dashboard",
                         "/search?q=portal", "/feed.atom"]
            func visit() async throws -> [String] {
                var bodies: [String] = []
                for page in pages {
                    let response = try await app.http().get(page)
                    #expect(response.status == .ok, "\(page): \(response.status)")
                    bodies.append(response.text)
                }
                return bodies
            }
            let before = try await visit()
            let renders = app.publicPageCache.renders

            #expect(try await implementerA.postAndFollow(reportPath, form: ["achievement": "Rancangan portal disusun bersama OMS.", "progress": "60"]).status == .ok)
            let uploaded = try await implementerA.postMultipartAndFollow(reportPath, fields: ["description": "Notulen", "visibility": "public"],
                                                                        file: ("file", "notulen.pdf", ReportingCycleTests.pdf))
            #expect(uploaded.status == .ok, "\(uploaded.text)")
            #expect(try await implementerA.postAndFollow(reportPath, form: ["action": "submit"]).status == .ok)
            #expect(try await visit() == before)
            #expect(app.publicPageCache.renders == renders, "an implementer's report emptied visitors' pages")

            // The verification window opens on another day: today's pages are made once, then kept while the work goes on.
            try await ReportingCycleTests.startVerification(app)
            let today = try await visit()
            let rendersToday = app.publicPageCache.renders
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            let verifyPath = "/verify/reports/\(report.id!.uuidString)"
            #expect(try await seknas.postAndFollow("\(verifyPath)/comment", form: ["body": "Catatan Sekber."]).status == .ok)
            let scored = try await seknas.postAndFollow("\(verifyPath)/score", form: ["score": "85"])
            #expect(scored.status == .ok, "\(scored.text)")
            #expect(try await visit() == today)
            #expect(app.publicPageCache.renders == rendersToday, "scoring before publication emptied visitors' pages")

            // Nothing of it is visible: the same pages made afresh are the kept ones.
            app.publicPageCache.empty()
            let afresh = try await visit()
            for (index, page) in pages.enumerated() where afresh[index] != today[index] {
                Issue.record("\(page) shows a change made before publication, or is not the same bytes each time")
            }

            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas)
            let rendersBefore = app.publicPageCache.renders
            let dashboard = try await app.http().get("\(plan)/dashboard").text
            #expect(app.publicPageCache.renders == rendersBefore + 1, "the publication did not empty the plan's pages")
            #expect(dashboard.contains("85 · Baik"), "the published score is not on the dashboard")
        }
    }

    /// A change to one plan leaves another plan's kept pages kept; that plan's pages, and the pages about every plan,
    /// are made again at once.
    @Test(arguments: TestDatabase.allCases)
    func aChangeEmptiesOnlyItsOwnPlansPages(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            var other = SamplePlan.document()
            other.code = "lain-2030-2032"
            other.title = "Rencana Aksi Lain 2030-2032"
            try await importPlan(other, on: app.db)
            let visitor = app.http()
            let pages = ["/plans/lain-2030-2032", "/plans/lain-2030-2032/commitments/1", "/api/v1/plans/lain-2030-2032"]
            for page in pages + ["/plans", "/plans/contoh-2030-2032/commitments/1"] { #expect(try await visitor.get(page).status == .ok) }
            let renders = app.publicPageCache.renders

            try await MeetingService.record(
                MeetingRecord(plan: "contoh-2030-2032", title: "Rapat warga tentang portal", date: CalendarDay(iso: "2031-03-01")!,
                              participants: [MeetingPerson(name: "Ani", organisation: "Perkumpulan Warga Contoh")], commitments: [1]),
                attachments: [], published: true, store: nil, actor: .system, organisationID: nil, recorderID: nil, on: app.db)
            for page in pages { #expect(!(try await visitor.get(page).text.contains("Rapat warga tentang portal"))) }
            #expect(app.publicPageCache.renders == renders, "another plan's pages were made again")
            #expect(try await visitor.get("/plans/contoh-2030-2032/commitments/1").text.contains("Rapat warga tentang portal"))
            _ = try await visitor.get("/plans")
            #expect(app.publicPageCache.renders == renders + 2, "the plan's own page or the list of every plan was kept")
        }
    }

    /// Many visitors asking for the same page right after a change get the same, current page: one renders it,
    /// the others wait for that one instead of each rendering it again.
    @Test(arguments: TestDatabase.allCases)
    func concurrentVisitorsShareOneRendering(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            for round in 0..<3 {
                // A change: the history grows, every kept page is stale.
                _ = try await seknas.post("/admin/organisations", form: ["name": "Organisasi Uji \(round)", "kind": "civil_society"])
                let bodies = try await withThrowingTaskGroup(of: (HTTPResponseStatus, String).self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            let page = try await TestBrowser(app: app).get("/plans/contoh-2030-2032/dashboard")
                            return (page.status, page.text)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(bodies.allSatisfy { $0.0 == .ok })
                #expect(Set(bodies.map(\.1)).count == 1, "round \(round): visitors got different pages")
            }
        }
    }

    /// A page is kept under its path, language and the query parameters its route reads, nothing else: made-up
    /// parameters and a made-up session cookie get the one kept page (which shows no trace of them) and make no
    /// entry of their own. A change no audit entry announces shows which answers came from the cache.
    @Test(arguments: TestDatabase.allCases)
    func madeUpParametersAndCookiesMakeNoEntries(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let first = try await app.http().get("/plans")
            #expect(first.text.contains("Rencana Aksi Contoh 2030-2032"))
            try await (app.db as! any SQLDatabase).update(ActionPlanModel.schema).set("title", to: "Judul yang belum diumumkan").run()
            for target in ["/plans?x=1", "/plans?utm_source=\(UUID().uuidString)", "/plans?lang=id&x=2&x=3", "/plans?lang=id"] {
                let page = try await app.http().get(target)
                #expect(page.text == first.text, "\(target) was rendered again")
            }
            let cookied = app.http()
            cookied.cookies[SessionSettings.cookieName] = SessionMiddleware.newCookieValue()
            let page = try await cookied.get("/plans")
            #expect(page.text == first.text, "a made-up session cookie skipped the cache")
            #expect(cookied.cookies[SessionSettings.cookieName] == nil, "the browser was not told to forget the cookie")
            // Another language, or a parameter the page reads, is a page of its own.
            #expect(try await app.http().get("/plans?lang=en").text.contains("Judul yang belum diumumkan"))
        }
    }

    /// The request is reduced to the parameters its route reads, each once, in a fixed order, exactly as read.
    @Test(arguments: TestDatabase.allCases)
    func onlyTheParametersARouteReadsAreKept(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cases: [(String, [String], String?)] = [
                ("/plans/x/report?year=2031&junk=1&period=B12&lang=en", ["period", "year"], "/plans/x/report?period=B12&year=2031"),
                ("/plans/x/report?period=B12&period=B06", ["period", "year"], nil),
                ("/api/v1/search?q=a%2Bb%26c%3Dd%20e&utm=1", ["q"], "/api/v1/search?q=a%2Bb%26c%3Dd%20e"),
                ("/plans?x=1#bagian", [], "/plans"),
            ]
            for (target, names, expected) in cases {
                let request = Request(application: app, method: .GET, url: URI(string: target), on: app.eventLoopGroup.next())
                let canonical = PublicPageCache.canonicalURL(of: request, reading: names)
                if let expected { #expect(canonical.string == expected, "\(target)") }
                let reread = Request(application: app, method: .GET, url: canonical, on: app.eventLoopGroup.next())
                for name in names {
                    #expect((try? reread.query.get(String.self, at: name)) == (try? request.query.get(String.self, at: name)), "\(target): \(name)")
                }
            }
        }
    }

    /// However many distinct pages are asked for, the entries hold at most the cache's bytes; the oldest go first.
    @Test(arguments: TestDatabase.allCases)
    func theCacheHoldsAtMostItsBytes(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cache = PublicPageCache(committedChanges: try #require(CommittedChanges.of(app.db)), maximumBytes: 1_000_000)
            let renders = RenderCount()
            let route = Route(method: .GET, path: ["halaman"], responder: AsyncBasicResponder { _ in Response() },
                              requestType: Request.self, responseType: Response.self)
            route.userInfo["query"] = ["q"]
            route.userInfo["cacheable"] = true
            let page = AsyncBasicResponder { request in
                await renders.add()
                let q = (try? request.query.get(String.self, at: "q")) ?? ""
                return Response(status: .ok, body: .init(string: q + String(repeating: "x", count: 100_000)))
            }
            func ask(_ q: Int) async throws -> String {
                let request = Request(application: app, method: .GET, url: URI(string: "/halaman?q=\(q)"), on: app.eventLoopGroup.next())
                request.route = route
                return try await cache.respond(to: request, chainingTo: page).get().body.string ?? ""
            }
            for q in 0..<40 {
                #expect(try await ask(q).hasPrefix("\(q)x"))
                #expect(cache.storedBytes <= 1_000_000)
            }
            #expect(cache.storedBytes > 800_000)
            #expect(await renders.count == 40)
            _ = try await ask(39)
            #expect(await renders.count == 40, "the newest page was rendered again")
            _ = try await ask(0)
            #expect(await renders.count == 41, "the oldest page was still kept")
        }
    }
}

private actor RenderCount {
    private(set) var count = 0
    func add() { count += 1 }
}
