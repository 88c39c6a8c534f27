import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// A report belongs to the organisation that wrote it, whoever holds its measure later; a target nobody has reported on
/// is for the measure's responsible organisation to start (issue 12, item 15).
@Suite("Who a report belongs to")
struct ReportOwnershipTests {
    @Test(arguments: TestDatabase.allCases)
    func aReportStaysWithItsWriterWhenTheMeasureMoves(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (seknas, agency, _, path) = try await ReportingCycleTests.openReport(app)
            let cso = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            #expect(try await agency.postAndFollow(path, form: ["achievement": "Draf KCK yang belum diserahkan.", "progress": "40"]).status == .ok)
            let uploaded = try await agency.postMultipartAndFollow("\(path)", fields: ["description": "Notulen internal"],
                                                          file: ("file", "internal.pdf", ReportingCycleTests.pdf))
            #expect(uploaded.status == .ok, "\(uploaded.text)")
            let evidence = try #require(try await EvidenceModel.query(on: app.db).first())

            // The secretariat gives the measure to the CSO in the commitment editor.
            let document = try await PlanReader.document(code: "contoh-2030-2032", on: app.db)
            var edit = CoCreationTests.editorForm(from: try #require(document.commitments.first))
            edit["rows[0][responsible]"] = SamplePlan.cso.name
            edit["reason"] = "Pengelolaan portal beralih ke OMS."
            _ = try await seknas.get("/plans/contoh-2030-2032/commitments/1/edit")
            let moved = try await seknas.postAndFollow("/plans/contoh-2030-2032/commitments/1/edit", form: edit)
            #expect(moved.status == .ok, "\(moved.text)")
            let measure = try #require(try await SuccessMeasureModel.query(on: app.db).filter(\.$text == "Portal data contoh daring")
                .with(\.$responsible).first())
            #expect(measure.responsible.name == SamplePlan.cso.name)
            let target = try await ReportingCycleTests.targetA(app)

            // The attack: the CSO reads, overwrites and submits the agency's report. Refused on every page and in the API.
            #expect(try await cso.get(path).status == .forbidden)
            #expect(try await cso.postAndFollow(path, form: ["achievement": "Ditimpa OMS.", "progress": "100"]).status == .forbidden)
            #expect(try await cso.postMultipartAndFollow("\(path)", fields: ["description": "x"],
                                                file: ("file", "x.pdf", ReportingCycleTests.pdf)).status == .forbidden)
            #expect(try await cso.postAndFollow("\(path)", form: ["action": "submit"]).status == .forbidden)
            #expect(try await cso.postAndFollow("\(path)", form: ["answer": "Pesan OMS", "action": "save"]).status == .forbidden)
            #expect(try await cso.get("/evidence/\(evidence.id!.uuidString)").status == .notFound)
            #expect(!(try await cso.get("/report").text.contains("Rancangan portal selesai")))
            let (_, headers) = try await BadInputTests.bearer(TestAccounts.implementerB, app: app)
            let api = TestBrowser(app: app)
            let reportPath = "/api/v1/reporting/targets/\(target.id!.uuidString)/report"
            #expect(try await api.send(.GET, reportPath, body: nil, contentType: nil, headers: headers).status == .forbidden)
            #expect(try await api.send(.PUT, reportPath, body: ByteBuffer(string: #"{"achievement": "Ditimpa OMS.", "progress": 100}"#),
                                       contentType: .json, headers: headers).status == .forbidden)
            #expect(try await api.send(.POST, "\(reportPath)/submit", body: nil, contentType: nil, headers: headers).status == .forbidden)
            let owedAPI = try await api.send(.GET, "/api/v1/reporting/targets", body: nil, contentType: nil, headers: headers)
            #expect(!owedAPI.text.contains(target.id!.uuidString))

            // Untouched and still the agency's, which finishes it.
            let report = try #require(try await TargetReportModel.query(on: app.db).with(\.$organisation).first())
            #expect(report.organisation.name == SamplePlan.agency.name)
            #expect(report.achievement == "Draf KCK yang belum diserahkan." && report.status == .draft)
            #expect(try await EvidenceModel.query(on: app.db).count() == 1)
            #expect(try await agency.get("/report").text.contains("Rancangan portal selesai"))
            #expect(try await agency.get(path).status == .ok)
            #expect(try await agency.postAndFollow("\(path)", form: ["action": "submit"]).status == .ok)

            // The measure's targets nobody has reported on are the CSO's now.
            let next = try #require(try await TargetModel.query(on: app.db).filter(\.$text == "Uji coba portal di 3 provinsi").first())
            #expect(try await cso.get("/report/targets/\(next.id!.uuidString)").status == .ok)
            #expect(try await agency.get("/report/targets/\(next.id!.uuidString)").status == .forbidden)

            // Scored and published, the result is on the agency's scorecard, not the CSO's.
            try await ReportingCycleTests.startVerification(app)
            #expect(try await seknas.postAndFollow("/verify/reports/\(report.id!.uuidString)/score", form: ["score": "85"]).text.contains("Nilai disimpan."))
            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas)
            let organisations = try await OrganisationModel.query(on: app.db).all()
            let agencyID = try #require(organisations.first { $0.name == SamplePlan.agency.name }?.id)
            let csoID = try #require(organisations.first { $0.name == SamplePlan.cso.name }?.id)
            let visitor = TestBrowser(app: app)
            #expect(try await visitor.get("/organisations/\(agencyID.uuidString)").text.contains("85 Baik"))
            let csoCard = try await visitor.get("/organisations/\(csoID.uuidString)").text
            #expect(!csoCard.contains("85 Baik") && !csoCard.contains("Rancangan portal selesai"))
            #expect(csoCard.contains("Uji coba portal di 3 provinsi"))
        }
    }
}
