import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import SQLKit
import Testing
import Vapor

/// Issue 15 (scale) and 17 (a change empties only its own plan's cache): results computed for many plans at once are
/// kept per plan, and each audited change moves the number of the plan it touched, found from what it names.
@Suite("Plan changes and the results cache")
struct PlanChangesTests {
    @Test(arguments: TestDatabase.allCases)
    func aChangeRecomputesItsOwnPlanOnly(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let city = JurisdictionModel(name: "Kota Contoh", kind: .city)
            try await city.create(on: app.db)
            _ = try await PlanImport.run(SamplePlan.document(code: OverviewTests.city), status: .adopted, replacingDraft: false, sourceFile: "test",
                                         actor: .system, jurisdictionID: city.requireID(), on: app.db)
            let nationalID = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == OverviewTests.national).first()?.id)
            let cityID = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == OverviewTests.city).first()?.id)
            let token = try await MonitoringTests.token(for: TestAccounts.secretariat, app: app)
            func scored() async throws -> [String: Int?] {
                let overview = try await OverviewTests.overview("period=2031-1", token: token, app: app)
                return Dictionary(uniqueKeysWithValues: overview.plans.map { ($0.code, $0.scoredTargets) })
            }
            #expect(try await scored() == [OverviewTests.national: 0, OverviewTests.city: 0])
            #expect(app.planResultsCache.count == 5, "per plan its figures of the period and its requirements, and the rows of the period")

            // A report scored in the city's plan: the city's number moves, the national plan's stays.
            let before = try await PlanChanges.versions(on: app.db)
            try await OverviewTests.reportAndScore(planCode: OverviewTests.city, points: 50, app: app)
            let after = try await PlanChanges.versions(on: app.db)
            #expect(after.of(cityID) > before.of(cityID))
            #expect(after.of(nationalID) == before.of(nationalID))
            #expect(try await scored() == [OverviewTests.national: 0, OverviewTests.city: 1], "the city's figures are read again at once")

            // The national plan's figures come from the cache while it has not changed: a score written behind the
            // audit's back (as only a test does) is not seen...
            let nationalTarget = try #require(try await TargetModel.query(on: app.db)
                .join(PlanSemesterModel.self, on: \TargetModel.$semester.$id == \PlanSemesterModel.$id)
                .filter(PlanSemesterModel.self, \.$plan.$id == nationalID).filter(PlanSemesterModel.self, \.$code == "B06")
                .filter(\.$text == "Rancangan portal selesai").first())
            let organisation = try #require(try await OrganisationModel.query(on: app.db).filter(\.$name == SamplePlan.agency.name).first())
            let report = TargetReportModel()
            report.$target.id = try nationalTarget.requireID()
            report.$organisation.id = try organisation.requireID()
            report.status = .scored
            report.achievement = "Selesai."
            report.progress = 100
            report.isLate = false
            report.score = 80
            report.notApplicable = false
            report.notApplicableReason = ""
            try await report.create(on: app.db)
            #expect(try await scored()[OverviewTests.national] == 0)
            // ...until an audited change of something of that plan (here one of its semesters) moves its number.
            let semesterID = nationalTarget.$semester.id.uuidString
            try await AuditLog.transaction(on: app.db, actor: .system) { _ in
                ((), [AuditChange(action: "test.touch", objectType: "semester", objectID: semesterID, before: Optional<String>.none, after: "touched")])
            }
            #expect(try await scored()[OverviewTests.national] == 1)

            // An organisation's new name is in every plan that names it: every plan's number moves.
            let beforeRename = try await PlanChanges.versions(on: app.db)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let renamed = try await seknas.post("/admin/organisations/\(organisation.requireID())", form: [
                "name": SamplePlan.agency.name + " Baru", "acronym": "", "kind": organisation.kind.rawValue])
            #expect(renamed.status == .seeOther, "\(renamed.text)")
            let afterRename = try await PlanChanges.versions(on: app.db)
            #expect(afterRename.of(nationalID) > beforeRename.of(nationalID) && afterRename.of(cityID) > beforeRename.of(cityID))
        }
    }

    /// The plan of a change is found from its object; a kind nobody listed counts as every plan's.
    @Test(arguments: TestDatabase.allCases)
    func theScopeOfAChangeComesFromItsObject(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let plan = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == OverviewTests.national).with(\.$semesters).first())
            let planID = try plan.requireID().uuidString
            let commitment = try #require(try await CommitmentModel.query(on: app.db).filter(\.$plan.$id == plan.requireID()).first())
            func scopes(_ type: String, _ id: String) async throws -> Set<String> {
                try await PlanChanges.scopes(of: AuditChange(action: "test", objectType: type, objectID: id, before: Optional<String>.none,
                                                             after: Optional<String>.none), on: app.db)
            }
            #expect(try await scopes("plan", planID) == [planID])
            #expect(try await scopes("semester", try plan.semesters[0].requireID().uuidString) == [planID])
            #expect(try await scopes("commitment", try commitment.requireID().uuidString) == [planID])
            #expect(try await scopes("organisation", UUID().uuidString) == [PlanChanges.everyPlan])
            #expect(try await scopes("user", UUID().uuidString) == [])
            #expect(try await scopes("report", UUID().uuidString) == [PlanChanges.everyPlan], "an object that is gone: every plan")
            #expect(try await scopes("something_new", "x") == [PlanChanges.everyPlan], "a kind nobody listed: every plan")
        }
    }
}
