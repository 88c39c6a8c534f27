import Fluent
import Foundation
@testable import Pantau
import Testing
import Vapor

/// The portal links only to reports that exist: an unpublished period is plain text for visitors, and the report's
/// address without a period is the latest published one.
@Suite("Links to evaluation reports")
struct EvaluationLinkTests {
    @Test(arguments: TestDatabase.allCases)
    func onlyPublishedPeriodsAreLinkedForVisitors(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let visitor = TestBrowser(app: app)
            let plan = SiteURL.plan.path("contoh-2030-2032")
            let report = SiteURL.evaluation.path("contoh-2030-2032")

            let before = try await visitor.get(plan)
            #expect(!before.text.contains(report + "?"))
            #expect(before.text.contains("B06 <span class=\"meta\">(belum dipublikasikan)</span>"))
            let none = try await visitor.get(report)
            #expect(none.status == .notFound)
            // The secretariat reads reports before publication: linked, and marked.
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            #expect(try await seknas.get(plan).text.contains(#"<a href="\#(report)?period=B06">B06</a> <span class="meta">(belum dipublikasikan)</span>"#))
            // Before publication nothing says it was published, and the check lists no empty set of semesters.
            #expect(!(try await seknas.get(report + "?period=B06").text.contains("Dipublikasikan meski belum lengkap")))
            let check = try await seknas.get(SiteURL.publication.path("contoh-2030-2032", "B06")).text
            #expect(!check.contains("Semester yang belum dipublikasikan"))
            #expect(!check.contains("— </span>") && !check.contains("— <span lang"))

            _ = try await ReportingCycleTests.openWindow(app, seknas: seknas)
            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas)
            let after = try await visitor.get(plan)
            #expect(after.text.contains(#"<a href="\#(report)?period=B06">B06</a>"#))
            #expect(!after.text.contains(report + "?period=B12"))
            // Without a period: the latest published report, here B06.
            let latest = try await visitor.get(report)
            #expect(latest.status == .ok)
            #expect(latest.text.contains("B06"))
            #expect(try await visitor.get(SiteURL.API.evaluation.path("contoh-2030-2032")).text.contains(#""period":"B06""#))
        }
    }
}
