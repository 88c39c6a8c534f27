import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Issue 15: a plan's independent monitor reads everything of its plan and publishes its own assessment of each
/// commitment per semester, beside the secretariat's score and never changing it; its drafts are its own.
@Suite("Independent monitoring")
struct MonitoringTests {
    static let monitorOfP = TestAccounts.Account(email: "pemantau.p@contoh.test", password: TestAccounts.password, role: .monitor,
                                                 organisation: nil)
    static let plan = "contoh-2030-2032"
    static let page = "/monitor/plans/contoh-2030-2032/B06"

    /// An account given only `planID`, and an API token for it.
    static func accountOfOnePlan(_ account: TestAccounts.Account, planID: UUID, on app: Application) async throws -> String {
        let user = try await AccountCreation.create(name: "Badan Pemantau P", email: account.email, role: account.role, organisation: nil,
                                                    password: account.password, on: app.db)
        user.allPlans = false
        try await user.save(on: app.db)
        try await PlanGrantModel(userID: user.requireID(), planID: planID).create(on: app.db)
        let token = APITokens.generate()
        try await APITokenModel(userID: user.requireID(), name: "uji", tokenHash: APITokens.hash(token)).create(on: app.db)
        return token
    }

    static func api(_ method: HTTPMethod, _ path: String, token: String?, json: String? = nil, app: Application) async throws -> BrowserResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        return try await TestBrowser(app: app).send(method, path, body: json.map { ByteBuffer(string: $0) },
                                                    contentType: json == nil ? nil : .json, headers: headers)
    }

    @Test(arguments: TestDatabase.allCases)
    func aMonitorPublishesItsOwnAssessmentBesideTheSecretariatsScore(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let p = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == Self.plan).first()?.id)
            _ = try await importPlan(SamplePlan.document(code: "wilayah-q-2030-2032"), on: app.db)
            let monitorToken = try await Self.accountOfOnePlan(Self.monitorOfP, planID: p, on: app)
            let secretariat = try await YearResultsTests.user(TestAccounts.secretariat, on: app)
            let agency = try await YearResultsTests.user(TestAccounts.implementerA, on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let monitor = try await TestBrowser.signedIn(Self.monitorOfP, app: app)
            let visitor = TestBrowser(app: app)

            // Before B06 begins there is nothing to assess: refused with the reason, nothing written.
            app.clock.set(today: YearResultsTests.day("2030-12-01"))
            let early = try await monitor.post("\(Self.page)/1", form: ["rating": "limited", "text": "Terlalu dini.", "action": "draft"])
            #expect(early.status == .conflict)
            #expect(early.text.contains("Semester B06 baru dimulai pada 2031-01-01"), "\(early.text)")

            // The secretariat scores commitment 1's B06 target 100 and publishes B06.
            let b06 = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$plan.$id == p).filter(\.$code == "B06").first())
            let window = try ReportingWindow(reportOpens: YearResultsTests.day("2031-07-01"), reportCloses: YearResultsTests.day("2031-07-10"),
                                             verifyOpens: YearResultsTests.day("2031-07-11"), verifyCloses: YearResultsTests.day("2031-07-20"))
            try await SemesterService.setWindow(semesterID: b06.requireID(), window: window, by: secretariat, on: app.db)
            try await YearResultsTests.reportAndScore("Rancangan portal selesai", points: 100, by: agency, secretariat: secretariat,
                                                      window: window, app: app)
            app.clock.set(today: window.verifyCloses.adding(days: 1))
            try await ReportingCycleTests.publish("B06", seknas: seknas, reason: "Komitmen 2 tidak melapor.")
            let secretariatBefore = try await PeriodResults.load(planCode: Self.plan, period: .semester("B06"), on: app.db)
                .commitments.map { "\($0.number):\($0.result.finalScore ?? -1):\($0.assessment.rating?.rawValue ?? "")" }

            // The monitor's page shows the secretariat's score beside an empty form.
            let form = try await monitor.get(Self.page)
            #expect(form.status == .ok)
            #expect(form.text.contains("Skor sekretariat"))
            #expect(form.text.contains("<strong>100</strong>"))

            // A form left half done: no rating. Refused beside the field, the text kept, nothing saved.
            let halfDone = try await monitor.post("\(Self.page)/1", form: ["rating": "", "text": "Portal uji coba berjalan.", "action": "draft"])
            #expect(halfDone.status == .unprocessableEntity)
            #expect(halfDone.text.contains("Pilih tingkat penyelesaian."))
            #expect(halfDone.text.contains("Portal uji coba berjalan.</textarea>"))
            #expect(try await MonitorAssessmentModel.query(on: app.db).count() == 0)

            // A draft: the monitor reads it; the public, the API for everyone else and the secretariat do not.
            let draftText = "Draf: portal baru di satu kementerian."
            let drafted = try await monitor.postAndFollow("\(Self.page)/1", form: ["rating": "limited", "text": draftText, "action": "draft"])
            #expect(drafted.status == .ok)
            #expect(drafted.text.contains("Draf penilaian disimpan."))
            #expect(drafted.text.contains("<option value=\"limited\" selected>"))
            let commitmentPage = "/plans/\(Self.plan)/commitments/1"
            #expect(try await !visitor.get(commitmentPage).text.contains(draftText))
            #expect(try await !seknas.get(commitmentPage).text.contains(draftText))
            let secretariatToken = try await Self.token(for: TestAccounts.secretariat, app: app)
            #expect(try await !Self.api(.GET, "/api/v1/plans/\(Self.plan)/monitoring", token: nil, app: app).text.contains(draftText))
            #expect(try await !Self.api(.GET, "/api/v1/plans/\(Self.plan)/monitoring", token: secretariatToken, app: app).text.contains(draftText))
            #expect(try await Self.api(.GET, "/api/v1/plans/\(Self.plan)/monitoring", token: monitorToken, app: app).text.contains(draftText))
            #expect(try await monitor.get(commitmentPage).text.contains("Draf penilaian independen"))
            #expect(try await !seknas.get(commitmentPage).text.contains("Draf penilaian independen"))

            // Published: on the commitment's page beside the secretariat's 100, in the API and in open data.
            let publishedText = "Portal uji coba berjalan di tiga provinsi; dua target lain belum dimulai."
            let published = try await monitor.postAndFollow("\(Self.page)/1", form: ["rating": "substantial", "text": publishedText, "action": "publish"])
            #expect(published.text.contains("Penilaian independen diterbitkan."))
            let shown = try await visitor.get(commitmentPage)
            #expect(shown.text.contains("Penilaian pemantau independen"))
            #expect(shown.text.contains(publishedText))
            #expect(shown.text.contains("<strong>Substansial</strong>"))
            #expect(shown.text.contains("Skor sekretariat</span>: 100"))
            #expect(!shown.text.contains(draftText), "a draft is never told in the public history")
            let listed = try await Self.api(.GET, "/api/v1/plans/\(Self.plan)/monitoring", token: nil, app: app)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let dto = try decoder.decode(API.MonitorAssessmentsDTO.self, from: Data(listed.text.utf8))
            #expect(dto.assessments.map(\.rating) == [.substantial])
            #expect(dto.assessments.first?.state == .published && dto.assessments.first?.semester == "B06")
            let data = try await visitor.get("/data/monitor_assessments.json?plan=\(Self.plan)").json(OpenDataTests.OpenDataFile.self).rows
            #expect(data.map { [$0["semester"], $0["commitment_number"], $0["completion_rating"]] } == [[.text("B06"), .integer(1), .text("substantial")]])
            // Search finds it, linking to its place on the commitment's page; never the draft.
            let found = try await visitor.get("/api/v1/search?q=provinsi&kind=assessment")
            #expect(found.text.replacingOccurrences(of: "\\/", with: "/").contains("/plans/\(Self.plan)/commitments/1#monitoring-B06"), "\(found.text)")
            #expect(try await visitor.get(commitmentPage).text.contains("id=\"monitoring-B06\""))
            #expect(try await !visitor.get("/api/v1/search?q=kementerian&kind=assessment").text.contains("monitoring-B06"))

            // The secretariat's results are as they were.
            let secretariatAfter = try await PeriodResults.load(planCode: Self.plan, period: .semester("B06"), on: app.db)
                .commitments.map { "\($0.number):\($0.result.finalScore ?? -1):\($0.assessment.rating?.rawValue ?? "")" }
            #expect(secretariatAfter == secretariatBefore)

            // Once published it does not go back to a draft; a change is published, through the API too.
            let backToDraft = try await monitor.post("\(Self.page)/1", form: ["rating": "limited", "text": "Kembali ke draf.", "action": "draft"])
            #expect(backToDraft.status == .conflict)
            let changed = try await Self.api(.PUT, "/api/v1/plans/\(Self.plan)/semesters/B06/monitoring/1", token: monitorToken,
                                             json: #"{"rating": "complete", "text": "Semua target B06 tercapai.", "publish": true}"#, app: app)
            #expect(changed.status == .ok, "\(changed.text)")
            let unknown = try await Self.api(.PUT, "/api/v1/plans/\(Self.plan)/semesters/B06/monitoring/1", token: monitorToken,
                                             json: #"{"rating": "selesai", "text": "x", "publish": true}"#, app: app)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.text.contains("selesai"))
            let stored = try #require(try await MonitorAssessmentModel.query(on: app.db).first())
            #expect(stored.rating == .complete && stored.state == .published)

            // Every change is in the history; the first publication does not carry the draft it replaced.
            let entries = try await AuditEntryModel.query(on: app.db).filter(\.$action ~~ ["monitor.draft", "monitor.published"]).sort(\.$id).all()
            #expect(entries.map(\.action) == ["monitor.draft", "monitor.published", "monitor.published"])
            #expect(entries[1].before == nil)
            #expect(entries[2].before?.contains("substantial") == true)

            // Nobody else writes it: not the secretariat, not a reviewer, not an implementer, not a visitor; and the
            // monitor of P nothing of Q.
            for account in [TestAccounts.secretariat, TestAccounts.reviewer, TestAccounts.implementerA] {
                let browser = try await TestBrowser.signedIn(account, app: app)
                #expect(try await browser.get(Self.page).status == .forbidden, "\(account.email)")
                #expect(try await browser.post("\(Self.page)/1", form: ["rating": "limited", "text": "x", "action": "publish"]).status == .forbidden)
            }
            #expect(try await visitor.get(Self.page).status == .seeOther)
            #expect(try await monitor.get("/monitor/plans/wilayah-q-2030-2032/B06").status == .forbidden)
            let other = try await Self.api(.PUT, "/api/v1/plans/wilayah-q-2030-2032/semesters/B06/monitoring/1", token: monitorToken,
                                           json: #"{"rating": "limited", "text": "x", "publish": true}"#, app: app)
            #expect(other.status == .forbidden)
            #expect(try await MonitorAssessmentModel.query(on: app.db).count() == 1)

            // The monitor reads P's unpublished work (its verification queue) and comments, like a reviewer.
            #expect(try await monitor.get("/verify").status == .ok)
            let work = try await monitor.get("/work")
            #expect(work.text.contains(Self.page))
            #expect(!work.text.contains("wilayah-q-2030-2032"))

            // An archived plan stays as it is.
            try await PlanArchive.archive(code: Self.plan, reason: "Siklus selesai.", actor: .system, caller: nil, on: app.db, now: app.clock.now())
            let archived = try await monitor.post("\(Self.page)/1", form: ["rating": "limited", "text": "Sesudah arsip.", "action": "publish"])
            #expect(archived.status == .conflict)
            #expect(try await MonitorAssessmentModel.query(on: app.db).first()?.rating == .complete)
        }
    }

    static func token(for account: TestAccounts.Account, app: Application) async throws -> String {
        let user = try #require(try await UserModel.query(on: app.db).filter(\.$email == account.email).first())
        let token = APITokens.generate()
        try await APITokenModel(userID: user.requireID(), name: "uji", tokenHash: APITokens.hash(token)).create(on: app.db)
        return token
    }
}
