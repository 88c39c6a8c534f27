import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

@Suite("Plan model on SQLite and PostgreSQL")
struct ModelTests {
    @Test(arguments: TestDatabase.allCases)
    func migrationsSeedTheOGIScheme(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let model = try #require(try await SchemeStore.find(code: "ogi", on: app.db))
            let scheme = try SchemeStore.domainScheme(model, categories: model.categories)
            #expect(scheme == ScoringScheme.ogi)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func migrationsRevertAndReapply(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            try await app.autoRevert()
            try await app.autoMigrate()
            let count1 = try await ActionPlanModel.query(on: app.db).count()
            #expect(count1 == 0)
            let count2 = try await ScoringSchemeModel.query(on: app.db).count()
            #expect(count2 == 1)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aWholePlanRoundTrips(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let document = SamplePlan.document()
            try await importPlan(document, on: app.db)

            let plans = try await PlanQueries.summaries(on: app.db)
            #expect(plans.map(\.code) == [document.code])
            #expect(plans[0].semesters.map(\.code) == ["B06", "B12", "B18", "B24"])
            #expect(plans[0].semesters[1].endDate == "2031-12-31")
            #expect(plans[0].commitmentCount == 2)

            let record = document.commitments[0]
            let loaded = try await PlanQueries.commitment(planCode: document.code, number: 1, on: app.db)
            #expect(loaded.title == record.title)
            #expect(loaded.theme == record.theme)
            #expect(loaded.description == record.description)
            #expect(loaded.proposers.map(\.name) == record.proposers)
            #expect(loaded.responsible.map(\.name) == record.responsible)
            #expect(loaded.related.map(\.name) == record.related)
            #expect(loaded.partners.map(\.name) == record.partners)
            #expect(loaded.partners.first?.kind == .civilSociety)
            #expect(loaded.planningDirectorate == record.planningDirectorate)
            #expect(loaded.contacts == record.contacts)
            #expect(loaded.start == "2031-01" && loaded.end == "2032-12")
            #expect(loaded.indicators.map(\.text) == record.indicators.map(\.text))
            #expect(loaded.note == record.note)
            #expect(loaded.goals.count == 1)
            let measures = loaded.goals[0].measures
            #expect(measures.map(\.text) == record.goals[0].measures.map(\.text))
            #expect(measures.map(\.responsible.name) == [SamplePlan.agency.name, SamplePlan.cso.name])
            #expect(measures[0].expectedEvidence == "Tautan portal; laporan kegiatan")
            #expect(measures[0].targets.map(\.text) == ["Rancangan portal selesai", "Uji coba portal di 3 provinsi",
                                                        "Portal digunakan 10 K/L", "Portal digunakan 34 provinsi"])
            // A semester without a target stays visible as a gap, in its place.
            #expect(measures[1].targets.map(\.semester) == ["B06", "B12", "B18", "B24"])
            #expect(measures[1].targets.map(\.text) == [nil, "Laporan pemantauan pertama", nil, "Laporan pemantauan kedua"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func organisationsAreSharedBetweenPlans(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(code: "contoh-satu"), on: app.db)
            try await importPlan(SamplePlan.document(code: "contoh-dua"), on: app.db)
            let count3 = try await OrganisationModel.query(on: app.db).count()
            #expect(count3 == 3)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func anInvalidPlanWritesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var document = SamplePlan.document()
            document.commitments[1].goals[0].measures[0].targets.append(TargetRecord(semester: "B99", text: "x"))
            await #expect(throws: InvalidPlanError.self) { try await importPlan(document, on: app.db) }
            let count4 = try await ActionPlanModel.query(on: app.db).count()
            #expect(count4 == 0)
            let count5 = try await OrganisationModel.query(on: app.db).count()
            #expect(count5 == 0)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aFailureHalfwayRollsEverythingBack(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // The document is valid, but its scheme does not exist: the failure comes after organisations
            // would have been written, inside the transaction.
            var document = SamplePlan.document()
            document.scoringScheme = "tidak-ada"
            await #expect(throws: PlanWriteError.unknownScheme("tidak-ada")) { try await importPlan(document, on: app.db) }
            let count6 = try await OrganisationModel.query(on: app.db).count()
            #expect(count6 == 0)
            try await importPlan(SamplePlan.document(), on: app.db)
            await #expect(throws: PlanWriteError.planExists("contoh-2030-2032")) {
                try await importPlan(SamplePlan.document(), on: app.db)
            }
            let count7 = try await ActionPlanModel.query(on: app.db).count()
            #expect(count7 == 1)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func foreignKeysAreEnforced(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let goal = try #require(try await GoalModel.query(on: app.db).first())
            let semester = try #require(try await PlanSemesterModel.query(on: app.db).first())
            let measure = try #require(try await SuccessMeasureModel.query(on: app.db).first())

            // A measure must name an existing responsible organisation.
            await #expect(throws: (any Error).self) {
                try await SuccessMeasureModel(goalID: try goal.requireID(), position: 9, text: "x", responsibleID: UUID(),
                                              expectedEvidence: "").create(on: app.db)
            }
            // A target must belong to an existing semester and measure.
            await #expect(throws: (any Error).self) {
                try await TargetModel(measureID: try measure.requireID(), semesterID: UUID(), text: "x").create(on: app.db)
            }
            await #expect(throws: (any Error).self) {
                try await TargetModel(measureID: UUID(), semesterID: try semester.requireID(), text: "x").create(on: app.db)
            }
            // One target per measure per semester.
            let existing = try #require(try await TargetModel.query(on: app.db).filter(\.$measure.$id == measure.requireID()).first())
            await #expect(throws: (any Error).self) {
                try await TargetModel(measureID: try measure.requireID(), semesterID: existing.$semester.id, text: "again").create(on: app.db)
            }
            // An organisation that is responsible for a measure cannot be deleted.
            let responsible = try await measure.$responsible.get(on: app.db)
            await #expect(throws: (any Error).self) { try await responsible.delete(on: app.db) }
            // Deleting a plan removes its whole matrix.
            try await ActionPlanModel.query(on: app.db).delete()
            let count8 = try await TargetModel.query(on: app.db).count()
            #expect(count8 == 0)
            let count9 = try await GoalModel.query(on: app.db).count()
            #expect(count9 == 0)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func commitmentNumbersAreUniqueWithinAPlan(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let planID = try await importPlan(SamplePlan.document(), on: app.db)
            await #expect(throws: (any Error).self) {
                try await CommitmentModel(planID: planID, record: CommitmentRecord(number: 1, title: "Duplikat")).create(on: app.db)
            }
        }
    }
}
