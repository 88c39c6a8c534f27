import Foundation
@testable import Pantau
import Testing
import Vapor

@Suite("The public page cache")
struct PageCacheTests {
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
