import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Plans belong to jurisdictions: the built-in ones to Indonesia; the list shows the national plans first, each
/// plan with its jurisdiction, and the API says where a plan belongs and whether it is archived.
@Suite("Jurisdictions")
struct JurisdictionTests {
    @Test(arguments: TestDatabase.allCases)
    func plansSayWhereTheyBelong(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            let city = JurisdictionModel(name: "Kota Contoh", kind: .city)
            try await city.create(on: app.db)
            // A regional plan, newer than the national ones: still listed after them.
            _ = try await PlanImport.run(SamplePlan.document(code: "kota-contoh-2030-2032"), status: .adopted, replacingDraft: false,
                                         sourceFile: "test", actor: .system, jurisdictionID: city.requireID(), on: app.db)

            let plans = try await app.http().get("/api/v1/plans").json([API.PlanSummaryDTO].self)
            let national = try #require(plans.first { $0.code == "ran-ogi-2020-2022" })
            #expect(national.jurisdiction == API.JurisdictionDTO(name: "Indonesia", kind: .national))
            #expect(national.archivedAt == nil)
            #expect(plans.first { $0.code == "kota-contoh-2030-2032" }?.jurisdiction == API.JurisdictionDTO(name: "Kota Contoh", kind: .city))

            let page = try await app.http().get("/plans").text
            let ogi = try #require(page.range(of: "/plans/ran-ogi-2020-2022\""))
            let regional = try #require(page.range(of: "/plans/kota-contoh-2030-2032\""))
            #expect(ogi.lowerBound < regional.lowerBound, "national plans first")
            #expect(page.contains("<span>Kota Contoh</span> (kota)"))
            #expect(try await app.http().get("/plans?lang=en").text.contains("(national)"))

            // Archived: the API and the list say so.
            let seknas = try await TestAccounts.secretariatAlone(on: app)
            #expect(try await seknas.post("/admin/plans/ran-ogi-2020-2022/archive", form: ["reason": "Siklus selesai."]).status == .seeOther)
            let after = try await app.http().get("/api/v1/plans").json([API.PlanSummaryDTO].self)
            #expect(after.first { $0.code == "ran-ogi-2020-2022" }?.archivedAt != nil)
            #expect(try await app.http().get("/plans").text.contains("Diarsipkan"))
        }
    }
}
