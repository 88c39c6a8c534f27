import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Issue 15: with hundreds of plans, the admin lists (accounts, organisations) and the verification queue are shown
/// fifty to a page, filtered in the database; the links keep the filters.
@Suite("Long lists a page at a time")
struct PaginationTests {
    @Test(arguments: TestDatabase.allCases)
    func adminListsAndTheQueueArePaged(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            for number in 1...11 { _ = try await importPlan(SamplePlan.document(code: "kota-\(number)-2030-2032"), on: app.db) }
            for number in 1...55 {
                try await OrganisationModel(name: String(format: "Dinas Uji %02d", number), acronym: nil, kind: .governmentAgency).create(on: app.db)
                _ = try await AccountCreation.create(name: String(format: "Peninjau %02d", number), email: "peninjau\(number)@contoh.test",
                                                     role: .reviewer, organisation: nil, password: TestAccounts.password, on: app.db)
            }
            // Every target of every plan handed in: more than a page.
            let targets = try await TargetModel.query(on: app.db).with(\.$measure).all()
            for target in targets {
                let report = TargetReportModel(targetID: try target.requireID(), organisationID: target.measure.$responsible.id)
                report.status = .submitted
                report.achievement = "Selesai."
                report.submittedAt = Date()
                try await report.create(on: app.db)
            }
            #expect(targets.count > 50)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)

            let users = try await seknas.get("/admin/users")
            #expect(users.text.contains("rel=\"next\""))
            #expect(users.text.contains("halaman 1 dari 2 (59 seluruhnya)"))
            let secondUsers = try await seknas.get("/admin/users?page=2")
            #expect(secondUsers.text.contains("rel=\"prev\"") && !secondUsers.text.contains("rel=\"next\""))
            #expect(secondUsers.text.contains("seknas@contoh.test"), "sorted by name: the secretariat's account is on the second page")
            #expect(try await seknas.get("/admin/users?page=abc").status == .unprocessableEntity)

            let organisations = try await seknas.get("/admin/organisations")
            #expect(organisations.text.contains("halaman 1 dari 2"))
            #expect(!organisations.text.contains("Perkumpulan Warga Contoh"), "the CSO sorts after fifty Dinas")
            #expect(try await seknas.get("/admin/organisations?page=2").text.contains("Perkumpulan Warga Contoh"))

            // The queue: fifty, then the rest; a filter is kept in the page links and counted in the database.
            let queue = try await seknas.get("/verify")
            #expect(queue.text.components(separatedBy: "href=\"/verify/reports/").count - 1 == 50)
            let rest = try await seknas.get("/verify?page=2")
            #expect(rest.text.components(separatedBy: "href=\"/verify/reports/").count - 1 == targets.count - 50)
            let filtered = try await seknas.get("/verify?plan=kota-3-2030-2032&status=submitted")
            let ofPlan = try await TargetModel.query(on: app.db).join(PlanSemesterModel.self, on: \TargetModel.$semester.$id == \PlanSemesterModel.$id)
                .join(ActionPlanModel.self, on: \PlanSemesterModel.$plan.$id == \ActionPlanModel.$id)
                .filter(ActionPlanModel.self, \.$code == "kota-3-2030-2032").count()
            #expect(filtered.text.components(separatedBy: "href=\"/verify/reports/").count - 1 == ofPlan)
            #expect(!filtered.text.contains("rel=\"next\""))
            let api = try await MonitoringTests.api(.GET, "/api/v1/verification/reports?plan=kota-3-2030-2032",
                                                    token: try await MonitoringTests.token(for: TestAccounts.secretariat, app: app), app: app)
            #expect(api.text.components(separatedBy: "\"planCode\":\"kota-3-2030-2032\"").count - 1 == ofPlan)
            // The queue keeps each plan's rows until the plan changes: a score moves it at once, in every filter.
            let third = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == "kota-3-2030-2032").first())
            let thirdB06 = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$plan.$id == third.requireID())
                .filter(\.$code == "B06").first())
            #expect(try await seknas.post("/admin/semesters/\(thirdB06.requireID())/window", form: [
                "reportOpens": "2031-07-01", "reportCloses": "2031-07-10", "verifyOpens": "2031-07-11", "verifyCloses": "2031-07-20",
            ]).status == .seeOther)
            app.clock.set(today: try #require(CalendarDay(iso: "2031-07-12")))
            let scored = try #require(try await TargetReportModel.query(on: app.db).join(TargetModel.self, on: \TargetReportModel.$target.$id == \TargetModel.$id)
                .filter(TargetModel.self, \.$semester.$id == thirdB06.requireID()).first())
            #expect(try await seknas.postAndFollow("/verify/reports/\(scored.requireID())/score", form: ["score": "80"]).status == .ok)
            let stillSubmitted = try await seknas.get("/verify?plan=kota-3-2030-2032&status=submitted")
            #expect(stillSubmitted.text.components(separatedBy: "href=\"/verify/reports/").count - 1 == ofPlan - 1)
            let nowScored = try await seknas.get("/verify?plan=kota-3-2030-2032&status=scored")
            #expect(nowScored.text.components(separatedBy: "href=\"/verify/reports/").count - 1 == 1)
            #expect(nowScored.text.contains("href=\"/verify/reports/\(try scored.requireID().uuidString)\""))

            // Semesters: ten plans to a page (sorted by code, the last two on page 2); a refused window is shown on its
            // plan's own page, and a saved one goes back to it.
            let semesters = try await seknas.get("/admin/semesters")
            #expect(semesters.text.contains("halaman 1 dari 2 (12 seluruhnya)"))
            #expect(!semesters.text.contains("kota-9-2030-2032 · B06"))
            #expect(try await seknas.get("/admin/semesters?page=2").text.contains("kota-9-2030-2032 · B06"))
            // The overview and the plans' admin page take pages too; a page that is not one is refused.
            #expect(try await seknas.get("/overview?period=2031-1&page=abc").status == .unprocessableEntity)
            #expect(try await seknas.get("/admin/plans").text.contains("kota-9-2030-2032"), "twelve plans: one page")
            #expect(try await seknas.get("/admin/plans?page=0").status == .unprocessableEntity)
            // The public plan list: twelve plans on one page; a later page is empty, each page its own in the page cache.
            let visitor = TestBrowser(app: app)
            #expect(try await visitor.get("/plans").text.contains("kota-9-2030-2032"))
            #expect(try await !visitor.get("/plans?page=2").text.contains("kota-9-2030-2032"))
            #expect(try await visitor.get("/plans?page=x").status == .unprocessableEntity)
            let lastPlan = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == "kota-9-2030-2032").first())
            let semester = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$plan.$id == lastPlan.requireID())
                .filter(\.$code == "B06").first())
            let window = ["reportOpens": "2031-07-10", "reportCloses": "2031-07-01", "verifyOpens": "2031-07-11", "verifyCloses": "2031-07-20"]
            let refused = try await seknas.post("/admin/semesters/\(semester.requireID())/window", form: window)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("kota-9-2030-2032 · B06") && refused.text.contains("role=\"alert\""))
            #expect(refused.text.contains("value=\"2031-07-10\""), "what was typed is kept")
            let saved = try await seknas.post("/admin/semesters/\(semester.requireID())/window",
                                              form: window.merging(["reportCloses": "2031-07-10"]) { $1 })
            #expect(saved.status == .seeOther)
            #expect(saved.headers.first(name: .location) == "/admin/semesters?plan=kota-9-2030-2032")

            // The secretariat's work page: every semester in its verification phase today, fifty to a page, by plan code.
            for number in 12...13 { _ = try await importPlan(SamplePlan.document(code: "kota-\(number)-2030-2032"), on: app.db) }
            let windowed = Set(try await ReportingWindowModel.query(on: app.db).all().map(\.$semester.id))
            for semester in try await PlanSemesterModel.query(on: app.db).all() where !windowed.contains(try semester.requireID()) {
                let window = ReportingWindowModel()
                window.$semester.id = try semester.requireID()
                (window.reportOpens, window.reportCloses, window.verifyOpens, window.verifyCloses) = ("2031-07-01", "2031-07-10", "2031-07-11", "2031-07-20")
                try await window.create(on: app.db)
            }
            let semesterCount = try await PlanSemesterModel.query(on: app.db).count()
            #expect(semesterCount > 50)
            let work = try await seknas.get("/work")
            #expect(work.text.contains("halaman 1 dari 2 (\(semesterCount) seluruhnya)"))
            #expect(work.text.contains("contoh-2030-2032") && !work.text.contains("kota-9-2030-2032"))
            let workRest = try await seknas.get("/work?page=2")
            #expect(workRest.text.contains("kota-9-2030-2032") && workRest.text.contains("rel=\"prev\""))
            #expect(try await seknas.get("/work?page=abc").status == .unprocessableEntity)
        }
    }
}
