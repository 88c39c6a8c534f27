import Foundation
@testable import Pantau
import SnapshotTesting
import Testing
import Vapor

/// The HTML people get, kept in `__Snapshots__/PageSnapshotTests/`: a change to a key page, in either language, shows
/// up as a diff to read before it lands. Both databases must give the same page, byte for byte.
/// After a deliberate change: `SNAPSHOT_TESTING_RECORD=failed swift test --filter PageSnapshotTests`, then read the diff.
@Suite("Page snapshots")
struct PageSnapshotTests {
    @Test(arguments: TestDatabase.allCases)
    func keyPagesInBothLanguages(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (seknas, implementerA, _, reportPath) = try await ReportingCycleTests.openReport(app)
            let visitor = TestBrowser(app: app)
            // A report in the secretariat's queue, with a clarification question waiting for the implementer.
            _ = try await implementerA.postAndFollow(reportPath, form: ["achievement": "Rancangan portal selesai dan diuji.", "progress": "100"])
            _ = try await implementerA.postAndFollow(reportPath, form: ["action": "submit"])
            try await ReportingCycleTests.startVerification(app)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            let verifyPath = SiteURL.verifyReport.path(try report.requireID())
            _ = try await seknas.postAndFollow(SiteURL.verifyClarify.path(try report.requireID()), form: ["body": "Mohon lampirkan tautan portal."])

            let pages: [(name: String, browser: TestBrowser, path: String)] = [
                ("plans", visitor, SiteURL.plans.path()),
                ("plan", visitor, SiteURL.plan.path("contoh-2030-2032")),
                ("commitment", visitor, SiteURL.commitment.path("contoh-2030-2032", 1)),
                ("dashboard", visitor, SiteURL.dashboard.path("contoh-2030-2032")),
                ("login", visitor, SiteURL.login.path()),
                ("work-implementer", implementerA, SiteURL.work.path()),
                ("report-form", implementerA, reportPath),
                ("work-secretariat", seknas, SiteURL.work.path()),
                ("verify-report", seknas, verifyPath),
            ]
            for language in ["id", "en"] {
                for page in pages {
                    let separator = page.path.contains("?") ? "&" : "?"
                    let response = try await page.browser.get(page.path + separator + "lang=" + language)
                    #expect(response.status == .ok, "\(page.name) \(language): \(response.status)")
                    assertSnapshot(of: Self.stable(response.text), as: .lines, named: "\(page.name)-\(language)")
                }
            }
        }
    }

    /// The page without what differs from run to run: ids, form tokens, the moments of this run's changes.
    static func stable(_ html: String) -> String {
        html.replacing(/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/, with: "ID")
            .replacing(/name="_csrf" value="[^"]*"/, with: #"name="_csrf" value="TOKEN""#)
            // Messages and history carry the moment they were written (the database's clock, not the application's).
            .replacing(/\b(\d{4}-\d{2}-\d{2}|\d{1,2} \p{L}+ \d{4}),? \d{1,2}[:.]\d{2}\b/, with: "DATE HH:MM")
    }
}
