import Foundation
@testable import Pantau
import Testing
import Vapor
import VaporTesting

@Suite("Read API")
struct APITests {
    @Test(arguments: TestDatabase.allCases)
    func listsPlansWithSemesters(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let empty = try await app.http().get("/api/v1/plans")
            #expect(empty.status == .ok)
            #expect(try empty.json([API.PlanSummaryDTO].self).isEmpty)

            try await importPlan(SamplePlan.document(), on: app.db)
            let response = try await app.http().get("/api/v1/plans")
            #expect(response.headers.contentType == .json)
            let plans = try response.json([API.PlanSummaryDTO].self)
            #expect(plans.count == 1)
            #expect(plans[0].code == "contoh-2030-2032")
            #expect(plans[0].title == "Rencana Aksi Contoh 2030-2032")
            #expect(plans[0].semesters.map(\.code) == ["B06", "B12", "B18", "B24"])
            #expect(plans[0].semesters.map(\.endDate) == ["2031-06-30", "2031-12-31", "2032-06-30", "2032-12-31"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func showsAPlanWithItsCommitments(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let plan = try await app.http().get("/api/v1/plans/contoh-2030-2032").json(API.PlanDetailDTO.self)
            #expect(plan.commitments.map(\.number) == [1, 2])
            #expect(plan.commitments.map(\.title) == ["Keterbukaan data contoh", "Partisipasi warga contoh"])
            #expect(plan.commitments[0].responsible.map(\.acronym) == ["KCK"])
            #expect(plan.scoringScheme.code == "ogi")
            #expect(plan.scoringScheme.categories.map(\.code) == ["baik", "cukup", "kurang"])
            #expect(plan.scoringScheme.categories.map(\.minScore) == [70, 51, 0])
            #expect(plan.scoringScheme.notApplicable.code == "na")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func showsACommitmentsWholeMatrix(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let document = SamplePlan.document()
            try await importPlan(document, on: app.db)
            let commitment = try await app.http().get("/api/v1/plans/contoh-2030-2032/commitments/1").json(API.CommitmentDetailDTO.self)
            #expect(commitment.plan.code == "contoh-2030-2032")
            #expect(commitment.number == 1)
            #expect(commitment.description == document.commitments[0].description)
            #expect(commitment.goals.count == 1)
            #expect(commitment.goals[0].measures.count == 2)
            let measure = commitment.goals[0].measures[1]
            #expect(measure.responsible.kind == .civilSociety)
            #expect(measure.targets.map(\.semester) == ["B06", "B12", "B18", "B24"])
            #expect(measure.targets.compactMap(\.text) == ["Laporan pemantauan pertama", "Laporan pemantauan kedua"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func unknownThingsAreJSON404s(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let cases: [(String, String)] = [
                ("/api/v1/plans/tidak-ada", "plan_not_found"),
                ("/api/v1/plans/tidak-ada/commitments/1", "plan_not_found"),
                ("/api/v1/plans/contoh-2030-2032/commitments/3", "commitment_not_found"),
                ("/api/v1/plans/contoh-2030-2032/commitments/satu", "commitment_not_found"),
                ("/api/v1/tidak-ada", "not_found"),
            ]
            for (path, code) in cases {
                let response = try await app.http().get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers.contentType == .json, "\(path)")
                let body = try response.json(ErrorBody.self)
                #expect(body.error.code == code, "\(path)")
                #expect(body.error.status == 404)
                #expect(!body.error.message.isEmpty)
            }
            let english = try await app.http().get("/api/v1/plans/tidak-ada?lang=en").json(ErrorBody.self)
            #expect(english.error.message == "Action plan 'tidak-ada' was not found.")
            let indonesian = try await app.http().get("/api/v1/plans/tidak-ada").json(ErrorBody.self)
            #expect(indonesian.error.message == "Rencana aksi 'tidak-ada' tidak ditemukan.")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func wrongMethodsAreRefusedCleanly(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.http().sendRequest(.POST, "/api/v1/plans")
            #expect(response.status == .notFound || response.status == .methodNotAllowed)
            #expect(try response.json(ErrorBody.self).error.status < 500)
        }
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            let status: Int
            let code: String
            let message: String
        }
        let error: Detail
    }
}
