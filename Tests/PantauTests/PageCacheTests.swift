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
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(try await visitor.get("/plans").text.contains("Rencana Aksi Contoh yang Diubah"))
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
}
