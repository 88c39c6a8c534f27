import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// An archived plan stays public and can no longer be changed, by pages, the API or anyone's role.
@Suite("Archived plans")
struct PlanArchiveTests {
    @Test(arguments: TestDatabase.allCases)
    func anArchivedPlanIsReadOnlyAndStillPublic(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (seknas, implementerA, semester, reportPath) = try await ReportingCycleTests.openReport(app)
            let code = "contoh-2030-2032"
            #expect(try await seknas.get("/admin/plans").text.contains("href=\"/admin/plans/\(code)/archive\""))

            // No reason: refused beside the field, nothing archived.
            let noReason = try await seknas.post("/admin/plans/\(code)/archive", form: ["reason": "  "])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.text.contains("id=\"reason-error\""))
            #expect(try await ActionPlanModel.query(on: app.db).filter(\.$code == code).first()?.archivedAt == nil)

            let archived = try await seknas.post("/admin/plans/\(code)/archive", form: ["reason": "Siklus rencana aksi telah berakhir."])
            #expect(archived.status == .seeOther)
            let plan = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == code).first())
            #expect(plan.archivedAt != nil)
            let entry = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "plan.archive").first())
            #expect(entry.reason == "Siklus rencana aksi telah berakhir.")

            // Still public, in open data and files.
            let visitor = TestBrowser(app: app)
            let page = try await visitor.get("/plans/\(code)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Rencana aksi ini diarsipkan pada"))
            #expect(try await visitor.get("/plans/\(code)/export/csv").status == .ok)
            #expect(try await visitor.get("/api/v1/plans/\(code)").status == .ok)

            // Nothing changes any more: a report, a window, the editor, publication, archiving again.
            let report = try await implementerA.post(reportPath, form: ["achievement": "Masih bekerja", "progress": "10", "action": "save"])
            #expect(report.status == .conflict)
            #expect(report.text.contains("telah diarsipkan"))
            #expect(try await TargetReportModel.query(on: app.db).count() == 0)
            let window = try await seknas.post("/admin/semesters/\(semester.id!.uuidString)/window", form: [
                "reportOpens": "2031-06-01", "reportCloses": "2031-06-10", "verifyOpens": "2031-06-11", "verifyCloses": "2031-06-20",
            ])
            #expect(window.status == .conflict)
            #expect(try await ReportingWindowModel.query(on: app.db).first()?.reportOpens != "2031-06-01")
            #expect(try await seknas.get("/plans/\(code)/commitments/1/edit").status == .conflict)
            #expect(try await seknas.get("/admin/plans/\(code)/publish/B06").status == .conflict)
            #expect(try await seknas.post("/admin/plans/\(code)/archive", form: ["reason": "lagi"]).status == .conflict)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "plan.archive").count() == 1)
            // The archive link is gone from the secretariat's list.
            #expect(!(try await seknas.get("/admin/plans").text.contains("/admin/plans/\(code)/archive")))
        }
    }

    /// The operator archives from the command line: refused without a reason or for an unknown plan (one localised
    /// line, exit 1), then done, in the history, and refused a second time.
    @Test(arguments: TestDatabase.allCases)
    func theCommandLineArchivesAPlan(_ database: TestDatabase) async throws {
        try await CommandLineTests.withEnvironment(database) { environment in
            let plan = PantauApplication.resourceRoot() + "Resources/Plans/ran-opi-2020-2022.json"
            #expect(try CommandLineTests.run(["import", plan], environment: environment).status == 0)
            let noReason = try CommandLineTests.run(["plan", "archive", "ran-opi-2020-2022", "--reason", " "], environment: environment)
            #expect(noReason.status != 0)
            #expect(noReason.errors.contains("Tuliskan alasan pengarsipan."))
            let unknown = try CommandLineTests.run(["plan", "archive", "tidak-ada", "--reason", "Selesai."], environment: environment)
            #expect(unknown.status != 0)
            let archived = try CommandLineTests.run(["plan", "archive", "ran-opi-2020-2022", "--reason", "Siklus selesai."], environment: environment)
            #expect(archived.status == 0, "\(archived.errors)")
            #expect(archived.output.contains("Rencana aksi ran-opi-2020-2022 diarsipkan."))
            let again = try CommandLineTests.run(["plan", "archive", "ran-opi-2020-2022", "--reason", "Lagi."], environment: environment)
            #expect(again.status != 0)
            #expect(again.errors.contains("telah diarsipkan"))
        }
    }
}
