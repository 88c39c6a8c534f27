import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Issue 15: an index of organisations, found by name or acronym, each with the plans it works in, a page at a time.
@Suite("Organisations index")
struct OrganisationIndexTests {
    static func list(_ query: String, app: Application) async throws -> OrganisationIndexController.ListDTO {
        let response = try await MonitoringTests.api(.GET, "/api/v1/organisations?\(query)", token: nil, app: app)
        #expect(response.status == .ok, "\(response.text)")
        return try JSONDecoder().decode(OrganisationIndexController.ListDTO.self, from: Data(response.text.utf8))
    }

    @Test(arguments: TestDatabase.allCases)
    func organisationsWithTheirPlans(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            _ = try await importPlan(SamplePlan.document(code: "kota-contoh-2030-2032"), on: app.db)
            // Sixty more organisations, in no plan: the list has two pages.
            for number in 1...60 {
                try await OrganisationModel(name: String(format: "Dinas Contoh %02d", number), acronym: nil, kind: .governmentAgency).create(on: app.db)
            }
            // By acronym, any case: the agency, with both plans it works in (the newest code first).
            let byAcronym = try await Self.list("q=kck", app: app)
            #expect(byAcronym.organisations.map(\.name) == [SamplePlan.agency.name])
            #expect(byAcronym.organisations.first?.plans.map(\.code) == ["kota-contoh-2030-2032", "contoh-2030-2032"])
            // The CSO works in the plans through a measure and as proposer and partner: each plan once.
            let cso = try await Self.list("q=warga&kind=civil_society", app: app)
            #expect(cso.organisations.first?.plans.count == 2)
            // Pages.
            let first = try await Self.list("", app: app)
            #expect(first.total == 63 && first.pageCount == 2 && first.organisations.count == 50)
            let second = try await Self.list("page=2", app: app)
            #expect(second.organisations.count == 13)
            #expect(Set(first.organisations.map(\.id)).isDisjoint(with: second.organisations.map(\.id)))
            #expect(try await Self.list("q=dinas%20contoh%206", app: app).total == 1)
            // A page that is not one, an unknown kind: refused, naming it.
            let bad = try await MonitoringTests.api(.GET, "/api/v1/organisations?page=0", token: nil, app: app)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Halaman '0' tidak ada"))
            #expect(try await MonitoringTests.api(.GET, "/api/v1/organisations?kind=ngo", token: nil, app: app).status == .unprocessableEntity)
            // The page: the search form, a link to each scorecard, the next page.
            let page = try await TestBrowser(app: app).get("/organisations?q=contoh")
            #expect(page.status == .ok)
            #expect(page.text.contains("rel=\"next\""))
            #expect(page.text.contains("href=\"/plans/kota-contoh-2030-2032\""))
        }
    }
}
