import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Everyone lands on a page of their own work after signing in, and every item on it leads to where it is done.
@Suite("Work pages")
struct WorkPageTests {
    @Test(arguments: TestDatabase.allCases)
    func eachRoleSeesWhatWaitsForThem(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (seknas, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            let reviewer = try await TestBrowser.signedIn(TestAccounts.reviewer, app: app)
            let implementerB = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)

            // Signing in without a destination lands on the work page.
            let fresh = TestBrowser(app: app)
            _ = try await fresh.get("/login")
            let signedIn = try await fresh.post("/login", form: ["email": TestAccounts.implementerA.email, "password": TestAccounts.password])
            #expect(signedIn.headers.first(name: .location) == "/work")
            #expect(try await TestBrowser(app: app).get("/work").status == .seeOther)

            // The implementer owes the B06 target, due in three days, linked to its report.
            var work = try await implementerA.get("/work")
            #expect(work.status == .ok)
            #expect(work.text.contains("href=\"\(path)\""))
            #expect(work.text.contains("3 hari lagi"))
            // The CSO owes nothing in B06.
            #expect(try await implementerB.get("/work").text.contains("Tidak ada target yang sedang dibuka pelaporannya"))

            // Handed in: the secretariat and reviewers see one report waiting for a score.
            #expect(try await implementerA.post(path, form: ["achievement": "Selesai.", "progress": "100", "action": "submit"]).status == .seeOther)
            #expect(!(try await implementerA.get("/work").text.contains("href=\"\(path)\"")))
            try await ReportingCycleTests.startVerification(app)
            for staff in [seknas, reviewer] {
                let page = try await staff.get("/work")
                #expect(page.text.contains("href=\"/verify?plan=contoh-2030-2032&amp;semester=B06&amp;status=submitted\">1</a>"))
                #expect(page.text.contains("Verifikasi"))
            }
            // Sent back with a question: it waits for the implementer, and the staff see one answer outstanding.
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            _ = try await seknas.get("/verify/reports/\(report.id!.uuidString)")
            #expect(try await seknas.post("/verify/reports/\(report.id!.uuidString)/clarify", form: ["body": "Lengkapi."]).status == .seeOther)
            work = try await implementerA.get("/work")
            #expect(work.text.contains("Menunggu jawaban Anda"))
            #expect(work.text.contains("href=\"\(path)\""))
            #expect(try await seknas.get("/work").text.contains("status=clarification_requested\">1</a>"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aTargetNotReportedWhenReportingClosedIsLate(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            #expect(try await implementerA.post(path, form: ["achievement": "Draf.", "progress": "10", "action": "save"]).status == .seeOther)
            try await ReportingCycleTests.startVerification(app)
            let work = try await implementerA.get("/work")
            #expect(work.text.contains("Terlambat"))
            #expect(work.text.contains("href=\"\(path)\""))
        }
    }
}
