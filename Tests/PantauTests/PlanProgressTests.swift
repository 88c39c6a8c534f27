import Fluent
import Foundation
@testable import Pantau
import Testing
import Vapor

/// How a plan is going, on the home page, the plan page and the dashboard: the latest published period's categories
/// and co-creation ratings counted over the commitments, each commitment's own result in words, and nothing unpublished.
@Suite("Plan progress on the portal")
struct PlanProgressTests {
    @Test(arguments: TestDatabase.allCases)
    func theLatestPublishedResultsHeadEveryPlanPage(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (seknas, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            let visitor = TestBrowser(app: app)
            let plan = SiteURL.plan.path("contoh-2030-2032")
            #expect(try await visitor.get(SiteURL.home.path()).text.contains("Belum ada hasil yang dipublikasikan untuk rencana aksi ini."))

            _ = try await implementerA.postAndFollow(path, form: ["achievement": "Rancangan selesai.", "progress": "100"])
            _ = try await implementerA.postAndFollow(path, form: ["action": "submit"])
            try await ReportingCycleTests.startVerification(app)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            #expect(try await seknas.postAndFollow(SiteURL.verifyScore.path(try report.requireID()), form: ["score": "80"]).status == .ok)
            let commitment = try #require(try await CommitmentModel.query(on: app.db).filter(\.$number == 1).first())
            _ = try await seknas.get(SiteURL.verifyAssessments.path("contoh-2030-2032", "B06"))
            #expect(try await seknas.postAndFollow(SiteURL.verifyAssess.path("contoh-2030-2032", "B06", try commitment.requireID()),
                                                   form: ["rating": "aktif", "justification": "Rapat K/L dan OMS tercatat."]).status == .ok)
            // Scored and rated, not yet published: the public sees nothing of it.
            #expect(!(try await visitor.get(plan).text.contains("komitmen Baik")))

            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas)
            for page in [SiteURL.home.path(), plan, SiteURL.dashboard.path("contoh-2030-2032")] {
                let text = try await visitor.get(page).text
                #expect(text.contains("Capaian terakhir yang dipublikasikan: B06"), "\(page)")
                #expect(text.contains("1 dari 2 komitmen Baik"), "\(page)")
                #expect(text.contains("1 dari 2 komitmen belum dinilai"), "\(page)")
                #expect(text.contains("1 dari 2 komitmen Aktif"), "\(page)")
                #expect(text.contains(#"href="/terms""#), "\(page): the terms are explained")
            }
            // Each commitment's own result, told in words beside its colour.
            let planPage = try await visitor.get(plan).text
            #expect(planPage.contains(#"<span class="chip cat-baik">Baik</span> 80 · Aktif"#))
            #expect(try await visitor.get(SiteURL.dashboard.path("contoh-2030-2032")).text.contains("80 · Baik"))
            // Progress over time: the chart with its description, its numbers as a table, and the dated public updates.
            #expect(planPage.contains("Kemajuan dari waktu ke waktu"))
            #expect(planPage.contains(#"<desc id="history-contoh-2030-2032-desc">B06: 1 dari 2 komitmen Baik; 1 dari 2 komitmen belum dinilai</desc>"#))
            #expect(planPage.contains(#"<tr><th scope="row">B06</th><td class="num">1</td><td class="num">1</td><td class="num">1</td>"#))
            #expect(planPage.contains("Hasil B06 dipublikasikan"))
            let commitmentPage = try await visitor.get(SiteURL.commitment.path("contoh-2030-2032", 1)).text
            #expect(commitmentPage.contains(#"<title id="results-1-title">Nilai komitmen 1 per periode yang dipublikasikan</title>"#))
            #expect(commitmentPage.contains(">80 · Baik</text>"))
            #expect(try await visitor.get(plan + "?lang=en").text.contains("Latest published results: B06"))

            // Filters: by the latest category, by a responsible organisation, by its kind; a value nobody has shows none.
            let commitment1 = SiteURL.commitment.path("contoh-2030-2032", 1), commitment2 = SiteURL.commitment.path("contoh-2030-2032", 2)
            let good = try await visitor.get(plan + "?lang=id&category=baik").text
            #expect(good.contains(commitment1) && !good.contains(#"href="\#(commitment2)""#))
            #expect(good.contains("1 dari 2 komitmen ditampilkan"))
            let other = try #require(try await OrganisationModel.query(on: app.db).filter(\.$name == SamplePlan.otherAgency.name).first())
            let byOrganisation = try await visitor.get(plan + "?organisation=\(try other.requireID().uuidString)").text
            #expect(byOrganisation.contains(#"href="\#(commitment2)""#) && !byOrganisation.contains(#"href="\#(commitment1)""#))
            let nobody = try await visitor.get(plan + "?kind=civil_society")
            #expect(nobody.status == .ok && nobody.text.contains("0 dari 2 komitmen ditampilkan"))
            let dashboard = try await visitor.get(SiteURL.dashboard.path("contoh-2030-2032") + "?category=baik").text
            #expect(dashboard.contains(#"href="\#(commitment1)""#) && !dashboard.contains(#"href="\#(commitment2)""#))
            let terms = try await visitor.get(SiteURL.terms.path() + "?lang=id")
            #expect(terms.status == .ok)
            #expect(terms.text.contains(#"<dt id="cocreation">"#) && terms.text.contains("Capaian administratif"))
        }
    }
}
