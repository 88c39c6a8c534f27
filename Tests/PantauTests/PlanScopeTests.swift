import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Accounts that act on the plans given to them: a secretariat or reviewer of plan P reaches nothing of plan Q through
/// any address of Q (pages and API), and still reaches P's.
@Suite("Plans given to accounts")
struct PlanScopeTests {
    static let secretariatOfP = TestAccounts.Account(email: "sekretariat.p@contoh.test", password: TestAccounts.password,
                                                     role: .secretariat, organisation: nil)
    static let reviewerOfP = TestAccounts.Account(email: "reviu.p@contoh.test", password: TestAccounts.password,
                                                  role: .reviewer, organisation: nil)
    static let monitorOfP = TestAccounts.Account(email: "pemantau.p@contoh.test", password: TestAccounts.password,
                                                 role: .monitor, organisation: nil)

    @Test(arguments: TestDatabase.allCases)
    func anAccountOfOnePlanIsRefusedEverythingOfAnother(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let p = try await importPlan(SamplePlan.document(code: "wilayah-p-2030-2032"), on: app.db)
            _ = try await importPlan(SamplePlan.document(code: "wilayah-q-2030-2032"), on: app.db)
            for account in [Self.secretariatOfP, Self.reviewerOfP, Self.monitorOfP] {
                let user = try await AccountCreation.create(name: account.email, email: account.email, role: account.role,
                                                            organisation: nil, password: account.password, on: app.db)
                user.allPlans = false
                try await user.save(on: app.db)
                try await PlanGrantModel(userID: user.requireID(), planID: p).create(on: app.db)
            }
            var checked = 0
            for account in [Self.secretariatOfP, Self.reviewerOfP, Self.monitorOfP] {
                let browser = try await TestBrowser.signedIn(account, app: app)
                let model = try #require(try await UserModel.query(on: app.db).filter(\.$email == account.email).first())
                let token = APITokens.generate()
                try await APITokenModel(userID: model.id!, name: "uji", tokenHash: APITokens.hash(token)).create(on: app.db)
                let caller = try await CurrentUser.load(model, on: app.db).caller
                #expect(caller.plans == .only([p]))
                for route in app.routes.all {
                    guard case .may(let action)? = route.policy, Permissions.requirement(account.role, action) == .ownPlan,
                          route.path.contains(where: { if case .parameter("code") = $0 { true } else { false } }) else { continue }
                    for (code, isOwn) in [("wilayah-p-2030-2032", true), ("wilayah-q-2030-2032", false)] {
                        let path = "/" + route.path.map { component -> String in
                            guard case .parameter(let name) = component else { return component.description }
                            return ["code": code, "period": "B06", "semester": "B06", "number": "1", "year": "2031"][name] ?? UUID().uuidString
                        }.joined(separator: "/")
                        let response: BrowserResponse
                        if path.hasPrefix("/api/") {
                            var headers = HTTPHeaders()
                            headers.bearerAuthorization = BearerAuthorization(token: token)
                            response = try await TestBrowser(app: app).send(route.method, path, body: nil, contentType: nil, headers: headers)
                        } else if route.method == .GET {
                            response = try await browser.get(path)
                        } else {
                            response = try await browser.post(path)
                        }
                        if isOwn {
                            #expect(response.status != .forbidden, "\(account.email) → \(route.method) \(path)")
                        } else {
                            #expect(response.status == .forbidden, "\(account.email) → \(route.method) \(path): \(response.status)")
                        }
                        checked += 1
                    }
                }
            }
            // Every account, every address of a plan that needs the plan: the walk must have found them.
            #expect(checked >= 30, "\(checked)")
        }
    }

    /// What is addressed by its own id (a report, a semester, lists) is checked against its plan too.
    @Test(arguments: TestDatabase.allCases)
    func thingsOfAnotherPlanByIdAreRefusedAndUnlisted(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let p = try await importPlan(SamplePlan.document(code: "wilayah-p-2030-2032"), on: app.db)
            let q = try await importPlan(SamplePlan.document(code: "wilayah-q-2030-2032"), on: app.db)
            let account = Self.secretariatOfP
            let user = try await AccountCreation.create(name: account.email, email: account.email, role: account.role,
                                                        organisation: nil, password: account.password, on: app.db)
            user.allPlans = false
            try await user.save(on: app.db)
            try await PlanGrantModel(userID: user.requireID(), planID: p).create(on: app.db)
            // A handed-in report in each plan.
            var reports: [UUID: UUID] = [:]
            for plan in [p, q] {
                let semester = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$plan.$id == plan).filter(\.$code == "B06").first())
                let target = try #require(try await TargetModel.query(on: app.db).filter(\.$semester.$id == semester.requireID()).with(\.$measure).first())
                let report = TargetReportModel(targetID: try target.requireID(), organisationID: target.measure.$responsible.id)
                report.status = .submitted
                report.achievement = "Selesai \(plan == p ? "P" : "Q")"
                report.submittedAt = Date()
                try await report.create(on: app.db)
                reports[plan] = try report.requireID()
            }
            let browser = try await TestBrowser.signedIn(account, app: app)
            let queue = try await browser.get("/verify")
            #expect(queue.status == .ok)
            #expect(queue.text.contains("/verify/reports/\(reports[p]!)"))
            #expect(!queue.text.contains("/verify/reports/\(reports[q]!)"))
            #expect(!queue.text.contains("wilayah-q-2030-2032"))
            let semestersPage = try await browser.get("/admin/semesters")
            #expect(semestersPage.text.contains("wilayah-p-2030-2032 · B06") && !semestersPage.text.contains("wilayah-q-2030-2032 · B06"),
                    "the semesters to manage are those of the account's plans")
            #expect(try await browser.get("/verify/reports/\(reports[p]!)").status == .ok)
            #expect(try await browser.get("/verify/reports/\(reports[q]!)").status == .forbidden)
            #expect(try await browser.post("/verify/reports/\(reports[q]!)/score", form: ["score": "80"]).status == .forbidden)
            #expect(try await browser.post("/verify/reports/\(reports[q]!)/comment", form: ["body": "catatan"]).status == .forbidden)
            #expect(try await browser.post("/verify/reports/\(reports[p]!)/comment", form: ["body": "catatan"]).status == .seeOther)
            let qReport = try #require(try await TargetReportModel.find(reports[q]!, on: app.db))
            #expect(qReport.score == nil)
            let qSemester = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$plan.$id == q).first())
            let window = try await browser.post("/admin/semesters/\(try qSemester.requireID())/window",
                                                form: ["reportOpens": "2031-06-01", "reportCloses": "2031-06-10",
                                                       "verifyOpens": "2031-06-11", "verifyCloses": "2031-06-20"])
            #expect(window.status == .forbidden)
            #expect(try await ReportingWindowModel.query(on: app.db).filter(\.$semester.$id == qSemester.requireID()).count() == 0)
            // Accounts and organisations serve every plan: only an account given every plan manages them.
            #expect(try await browser.get("/admin/users").status == .forbidden)
            #expect(try await browser.get("/admin").status == .forbidden)
        }
    }

    /// The national secretariat gives an account its plans on the account form: every plan, or those ticked; a staff
    /// account without any, an implementer with some, an unknown plan are refused beside the field, and nothing is saved.
    @Test(arguments: TestDatabase.allCases)
    func theAccountFormGivesPlans(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let p = try await importPlan(SamplePlan.document(code: "wilayah-p-2030-2032"), on: app.db)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let form = try await seknas.get("/admin/users")
            #expect(form.text.contains("name=\"plans[]\" value=\"*\""))
            #expect(form.text.contains("name=\"plans[]\" value=\"wilayah-p-2030-2032\""))

            let none = try await seknas.post("/admin/users", form: ["name": "Tanpa Rencana", "email": "tanpa@contoh.test", "role": "reviewer"])
            #expect(none.status == .unprocessableEntity)
            #expect(none.text.contains("id=\"plans-error\""))
            #expect(none.text.contains("Pilih rencana aksi yang dipegang akun ini"))
            let implementer = try await seknas.post("/admin/users", form: ["name": "Pelaksana", "email": "pl@contoh.test", "role": "implementer",
                                                                            "organisation": "KCK", "plans[]": "wilayah-p-2030-2032"])
            #expect(implementer.status == .unprocessableEntity)
            let unknown = try await seknas.post("/admin/users", form: ["name": "Asing", "email": "asing@contoh.test", "role": "reviewer",
                                                                        "plans[]": "tidak-ada-2030-2032"])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.text.contains("tidak-ada-2030-2032"))
            #expect(try await UserModel.query(on: app.db).filter(\.$email ~~ ["tanpa@contoh.test", "pl@contoh.test", "asing@contoh.test"]).count() == 0)

            let created = try await seknas.post("/admin/users", form: ["name": "Sekretariat P", "email": "sek.p@contoh.test", "role": "secretariat",
                                                                        "plans[]": "wilayah-p-2030-2032"])
            #expect(created.status == .seeOther)
            let account = try #require(try await UserModel.query(on: app.db).filter(\.$email == "sek.p@contoh.test").first())
            #expect(!account.allPlans)
            #expect(try await CurrentUser.load(account, on: app.db).plans == .only([p]))
            let page = try await seknas.get("/admin/users/\(account.id!.uuidString)")
            #expect(page.text.contains("value=\"wilayah-p-2030-2032\" checked"))

            // Every plan instead: the grant goes, and the history says so.
            let widened = try await seknas.post("/admin/users/\(account.id!.uuidString)", form: ["name": "Sekretariat P", "role": "secretariat",
                                                                                               "plans[]": "*"])
            #expect(widened.status == .seeOther)
            let after = try #require(try await UserModel.find(account.id, on: app.db))
            #expect(after.allPlans)
            #expect(try await PlanGrantModel.query(on: app.db).filter(\.$user.$id == account.id!).count() == 0)
            let entry = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "user.update").first())
            #expect(entry.before?.contains("wilayah-p-2030-2032") == true)
            #expect(entry.after?.contains("\"allPlans\":true") == true)

            // The national secretariat cannot take every plan from itself.
            let me = try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.secretariat.email).first())
            let own = try await seknas.post("/admin/users/\(me.id!.uuidString)", form: ["name": "Seknas", "role": "secretariat",
                                                                                      "plans[]": "wilayah-p-2030-2032"])
            #expect(own.status == .unprocessableEntity)
            #expect(try await UserModel.find(me.id, on: app.db)?.allPlans == true)
        }
    }
}
