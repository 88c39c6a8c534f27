import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// A year is assessed as a whole (SPEC.md §5): its result rests on every target of its semesters, it has its own
/// override and co-creation rating, and it is published on its own. Walked on the application's clock.
@Suite("The year assessed as a whole")
struct YearResultsTests {
    static func day(_ iso: String) -> CalendarDay { CalendarDay(iso: iso)! }

    static func user(_ account: TestAccounts.Account, on app: Application) async throws -> CurrentUser {
        CurrentUser(try #require(try await UserModel.query(on: app.db).filter(\.$email == account.email).first()))
    }

    static func target(_ text: String, on app: Application) async throws -> UUID {
        try #require(try await TargetModel.query(on: app.db).filter(\.$text == text).first()?.id)
    }

    /// Reports on a target in its window and has the secretariat score it in the verification window.
    static func reportAndScore(_ text: String, points: Int, by implementer: CurrentUser, secretariat: CurrentUser,
                               window: ReportingWindow, app: Application) async throws {
        let targetID = try await target(text, on: app)
        app.clock.set(today: window.reportOpens)
        try await ReportService.saveDraft(targetID: targetID, achievement: "Capaian \(text).", progress: 100, by: implementer, on: app.db,
                                          store: app.evidenceStore, now: app.clock.now(), today: app.clock.today)
        try await ReportService.submit(targetID: targetID, by: implementer, on: app.db, store: app.evidenceStore, now: app.clock.now(),
                                       today: app.clock.today)
        let report = try #require(try await TargetReportModel.query(on: app.db).filter(\.$target.$id == targetID).first())
        app.clock.set(today: window.verifyOpens)
        try await ReportService.score(reportID: report.requireID(), points: points, notApplicableReason: nil, by: secretariat, on: app.db,
                                      now: app.clock.now(), today: app.clock.today)
    }

    @Test(arguments: TestDatabase.allCases)
    func aYearHasItsOwnResultRatingAndPublication(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let secretariat = try await Self.user(TestAccounts.secretariat, on: app)
            let agency = try await Self.user(TestAccounts.implementerA, on: app)
            let cso = try await Self.user(TestAccounts.implementerB, on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let visitor = TestBrowser(app: app)
            let semesters = try await PlanSemesterModel.query(on: app.db).all()
            let b06 = try #require(semesters.first { $0.code == "B06" })
            let b12 = try #require(semesters.first { $0.code == "B12" })
            let window06 = try ReportingWindow(reportOpens: Self.day("2031-07-01"), reportCloses: Self.day("2031-07-10"),
                                               verifyOpens: Self.day("2031-07-11"), verifyCloses: Self.day("2031-07-20"))
            let window12 = try ReportingWindow(reportOpens: Self.day("2032-01-01"), reportCloses: Self.day("2032-01-10"),
                                               verifyOpens: Self.day("2032-01-11"), verifyCloses: Self.day("2032-01-20"))
            try await SemesterService.setWindow(semesterID: b06.requireID(), window: window06, by: secretariat, on: app.db)
            try await SemesterService.setWindow(semesterID: b12.requireID(), window: window12, by: secretariat, on: app.db)
            let commitment = try #require(try await CommitmentModel.query(on: app.db).filter(\.$number == 1).first())
            let base = "/verify/plans/contoh-2030-2032"

            // B06: 100. Assessed Aktif; the form shows what was saved, and saving it again changes nothing.
            try await Self.reportAndScore("Rancangan portal selesai", points: 100, by: agency, secretariat: secretariat, window: window06, app: app)
            let assessed06 = try await seknas.postAndFollow("\(base)/B06/\(commitment.id!.uuidString)",
                                                   form: ["rating": "aktif", "justification": "Rapat K/L dan OMS tercatat."])
            #expect(assessed06.status == .ok, "\(assessed06.text)")
            let form06 = try await seknas.get("\(base)/B06")
            #expect(form06.text.contains("<option value=\"aktif\" selected>"))
            #expect(form06.text.contains("Rapat K/L dan OMS tercatat.</textarea>"))
            let saved = try #require(try await CommitmentAssessmentModel.query(on: app.db).first())
            _ = try await seknas.postAndFollow("\(base)/B06/\(commitment.id!.uuidString)",
                                      form: ["scoreOverride": "", "overrideReason": "", "rating": "aktif", "justification": "Rapat K/L dan OMS tercatat."])
            let resaved = try #require(try await CommitmentAssessmentModel.query(on: app.db).first())
            #expect(resaved.coCreationRating == saved.coCreationRating && resaved.coCreationJustification == saved.coCreationJustification)
            #expect(resaved.scoreOverride == saved.scoreOverride && resaved.overrideReason == saved.overrideReason)
            app.clock.set(today: window06.verifyCloses.adding(days: 1))
            try await ReportingCycleTests.publish("B06", seknas: seknas, reason: "Komitmen 2 tidak melapor.")

            // B12: 90 and 50, so the semester is 70. Rated Pasif.
            try await Self.reportAndScore("Uji coba portal di 3 provinsi", points: 90, by: agency, secretariat: secretariat, window: window12, app: app)
            try await Self.reportAndScore("Laporan pemantauan pertama", points: 50, by: cso, secretariat: secretariat, window: window12, app: app)
            _ = try await seknas.postAndFollow("\(base)/B12/\(commitment.id!.uuidString)", form: ["rating": "pasif", "justification": "Tidak ada rapat."])
            app.clock.set(today: window12.verifyCloses.adding(days: 1))
            let check12 = try await seknas.get("/admin/plans/contoh-2030-2032/publish/B12")
            #expect(check12.text.contains("Lengkap: setiap target dinilai"))
            let published12 = try await seknas.postAndFollow("/admin/plans/contoh-2030-2032/publish/B12", form: ["confirm": "on"])
            #expect(published12.status == .ok, "\(published12.text)")

            // The year 2031 rests on all three targets: (100 + 90 + 50) / 3 = 80, Baik. Not B12's 70, nor the mean of the
            // semesters' results (85).
            let yearPage = try await seknas.get("\(base)/2031")
            #expect(yearPage.text.contains("Nilai rata-rata target: 80 (3 dari 3 target dinilai)"), "\(yearPage.text)")
            #expect(try await visitor.get("/api/v1/plans/contoh-2030-2032/report?year=2031").status == .notFound, "not before the year is published")
            _ = try await seknas.postAndFollow("\(base)/2031/\(commitment.id!.uuidString)",
                                      form: ["rating": "semi_aktif", "justification": "Satu semester aktif, satu pasif."])
            #expect(try await seknas.get("\(base)/2031").text.contains("<option value=\"semi_aktif\" selected>"))
            let year = try #require(try await YearAssessmentModel.query(on: app.db).first())
            #expect(year.year == 2031 && year.coCreationRating == .semiAktif)
            #expect(try await CommitmentAssessmentModel.query(on: app.db).all().compactMap(\.coCreationRating).sorted { $0.rawValue < $1.rawValue } == [.aktif, .pasif])

            // Published on its own, after its check (commitment 2's B06 target was never reported: a reason is needed).
            let noReason = try await seknas.postAndFollow("/admin/plans/contoh-2030-2032/publish/2031", form: ["confirm": "on"])
            #expect(noReason.status == .unprocessableEntity)
            try await ReportingCycleTests.publish("2031", seknas: seknas, reason: "Komitmen 2 tidak melapor pada B06.")
            let report = try await visitor.get("/api/v1/plans/contoh-2030-2032/report?year=2031")
            #expect(report.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: report.body)) as? [String: Any])
            let annex = try #require(json["commitmentAnnex"] as? [[String: Any]])
            let baik = try #require(annex.first { $0["category"] as? String == "baik" }?["items"] as? [[String: Any]])
            #expect(baik.first?["number"] as? Int == 1 && baik.first?["score"] as? Int == 80)
            let byRating = try #require((json["breakdowns"] as? [[String: Any]])?.first { $0["key"] as? String == "commitments_by_rating" }?["rows"] as? [[String: Any]])
            #expect(byRating.first { $0["category"] as? String == "semi_aktif" }?["count"] as? Int == 1)
            let results = try await visitor.get("/api/v1/plans/contoh-2030-2032/years/2031/results")
            #expect(results.status == .ok)
            #expect(results.text.contains("\"score\":80"))
            #expect(try await visitor.get("/api/v1/plans/contoh-2030-2032/semesters/B12/results").text.contains("\"score\":70"))

            // The year shows on the commitment page, the dashboard and in open data.
            let page = try await visitor.get("/plans/contoh-2030-2032/commitments/1")
            #expect(page.text.contains("Capaian komitmen 2031"))
            #expect(page.text.contains("3 dari 3 target dinilai"))
            let dashboard = try await visitor.get("/plans/contoh-2030-2032/dashboard")
            #expect(dashboard.text.contains("<td class=\"cell cat-baik\">80 · Baik<small class=\"coverage\">3 dari 3 target dinilai</small></td>"))
            let data = try await visitor.get("/data/commitment_results.json?plan=contoh-2030-2032").json(OpenDataTests.OpenDataFile.self).rows
            #expect(data.contains { $0["period"] == .text("2031") && $0["commitment_number"] == .integer(1) })

            // A published year is frozen: a change is a correction, with a reason.
            let (_, headers) = try await BadInputTests.bearer(TestAccounts.secretariat, app: app)
            let bare = try await TestBrowser(app: app).send(.PUT, "/api/v1/plans/contoh-2030-2032/years/2031/assessments/1",
                                                            body: ByteBuffer(string: "{\"rating\": \"aktif\", \"justification\": \"x\"}"),
                                                            contentType: .json, headers: headers)
            #expect(bare.status == .conflict)
            let corrected = try await TestBrowser(app: app).send(.PUT, "/api/v1/plans/contoh-2030-2032/years/2031/assessments/1",
                body: ByteBuffer(string: "{\"rating\": \"aktif\", \"justification\": \"Notula B12 ditemukan.\", \"correctionReason\": \"Notula rapat Desember ditemukan.\"}"),
                contentType: .json, headers: headers)
            #expect(corrected.status == .ok, "\(corrected.text)")
            let afterCorrection = try await visitor.get("/api/v1/plans/contoh-2030-2032/years/2031/results")
            #expect(afterCorrection.text.contains("Notula rapat Desember ditemukan."))
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }
}
