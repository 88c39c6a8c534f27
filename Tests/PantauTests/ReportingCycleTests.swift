import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// The semester cycle end to end through the pages: window, report with evidence, clarification,
/// resubmission, score, assessment, publication, and what each role sees along the way.
@Suite("The reporting cycle")
struct ReportingCycleTests {
    static let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)

    /// The day the tests' clock shows while the sample plan's B06 reporting is open: five days after the semester ended.
    static let reportingDay = CalendarDay(iso: "2031-07-05")!

    /// The B06 semester of the sample plan with a window open today, on the application's own clock.
    static func openWindow(_ app: Application, seknas: TestBrowser, opensIn: Int = -3, closesIn: Int = 3) async throws -> PlanSemesterModel {
        let semester = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$code == "B06").first())
        app.clock.set(today: reportingDay)
        func day(_ offset: Int) -> String { reportingDay.adding(days: offset).iso }
        let saved = try await seknas.postAndFollow("/admin/semesters/\(semester.id!.uuidString)/window", form: [
            "reportOpens": day(opensIn), "reportCloses": day(closesIn), "verifyOpens": day(closesIn + 1), "verifyCloses": day(closesIn + 7),
        ])
        #expect(saved.status == .ok, "\(saved.text)")
        return semester
    }

    /// Moves the application's clock to the first day of the B06 verification window.
    static func startVerification(_ app: Application) async throws {
        let window = try #require(try await ReportingWindowModel.query(on: app.db).first()?.domain)
        app.clock.set(today: window.verifyOpens)
    }

    /// Moves the application's clock past the B06 verification window, when every window is closed.
    static func closeWindows(_ app: Application) async throws {
        let window = try #require(try await ReportingWindowModel.query(on: app.db).first()?.domain)
        app.clock.set(today: window.verifyCloses.adding(days: 1))
    }

    /// Publishes a period of the sample plan through the publication page, with the confirmation and a reason.
    static func publish(_ period: String, seknas: TestBrowser, reason: String = "Dipublikasikan untuk pengujian.") async throws {
        let published = try await seknas.postAndFollow("/admin/plans/contoh-2030-2032/publish/\(period)", form: ["confirm": "on", "reason": reason])
        #expect(published.status == .ok, "\(published.text)")
    }

    /// Implementer A's B06 target with its window open: the sample plan (unless a plan is there already), every test
    /// account, the secretariat and implementer A signed in, and the address of the target's report.
    static func openReport(_ app: Application) async throws -> (seknas: TestBrowser, implementerA: TestBrowser, semester: PlanSemesterModel, path: String) {
        try await TestAccounts.create(on: app)
        let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
        let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
        let semester = try await openWindow(app, seknas: seknas)
        return (seknas, implementerA, semester, "/report/targets/\(try await targetA(app).id!.uuidString)")
    }

    /// The B06 target of commitment 1's first measure, owned by implementer A's agency.
    static func targetA(_ app: Application) async throws -> TargetModel {
        try #require(try await TargetModel.query(on: app.db).filter(\.$text == "Rancangan portal selesai").first())
    }

    @Test(arguments: TestDatabase.allCases)
    func theWholeCycle(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let implementerB = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            let reviewer = try await TestBrowser.signedIn(TestAccounts.reviewer, app: app)
            let visitor = TestBrowser(app: app)
            _ = try await Self.openWindow(app, seknas: seknas)
            let target = try await Self.targetA(app)
            let reportPath = "/report/targets/\(target.id!.uuidString)"

            // The implementer sees what their organisation owes, and only that.
            let owed = try await implementerA.get("/report")
            #expect(owed.text.contains("Rancangan portal selesai"))
            #expect(!owed.text.contains("Laporan pemantauan pertama"))
            // The CSO owes no B06 target in the sample plan.
            #expect(try await implementerB.get("/report").text.contains("Tidak ada periode pelaporan"))

            #expect(try await implementerA.postAndFollow(reportPath, form: ["achievement": "Rancangan portal disusun bersama OMS.", "progress": "60"]).status == .ok)
            let uploaded = try await implementerA.postMultipartAndFollow("\(reportPath)", fields: ["description": "Notulen", "visibility": "public"],
                                                               file: ("file", "../../etc/notulen rapat.pdf", Self.pdf))
            #expect(uploaded.status == .ok, "\(uploaded.text)")
            #expect(uploaded.text.contains("notulen rapat.pdf"))
            #expect(!uploaded.text.contains("../"))
            _ = try await implementerA.postMultipartAndFollow("\(reportPath)", fields: ["link": "https://contoh.test/portal", "description": "Portal"],
                                                     file: ("file", "", Data()))

            // A draft is the organisation's own: another implementer, and the public, cannot see it.
            #expect(try await implementerB.get(reportPath).status == .forbidden)
            #expect(try await implementerB.postAndFollow(reportPath, form: ["achievement": "x", "progress": "1"]).status == .forbidden)
            let evidence = try #require(try await EvidenceModel.query(on: app.db).filter(\.$sha256 != nil).first())
            #expect(try await visitor.get("/evidence/\(evidence.id!.uuidString)").status == .notFound)
            #expect(try await implementerB.get("/evidence/\(evidence.id!.uuidString)").status == .notFound)
            #expect(try await implementerA.get("/evidence/\(evidence.id!.uuidString)").body.readableBytes == Self.pdf.count)
            // Stored under the data folder by its SHA-256, never under the uploaded name.
            let stored = app.evidenceStore.path(for: try #require(evidence.sha256))
            #expect(FileManager.default.contents(atPath: stored.path) == Self.pdf)

            #expect(try await implementerA.postAndFollow("\(reportPath)", form: ["action": "submit"]).status == .ok)
            let frozen = try await implementerA.postAndFollow(reportPath, form: ["achievement": "diubah", "progress": "10"])
            #expect(frozen.status == .conflict)

            // The secretariat's queue shows it; the reviewer reads it but cannot score or ask for clarification.
            let queue = try await seknas.get("/verify?plan=contoh-2030-2032&semester=B06")
            #expect(queue.text.contains("Rancangan portal selesai"))
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            let verifyPath = "/verify/reports/\(report.id!.uuidString)"
            #expect(try await reviewer.get(verifyPath).status == .ok)
            #expect(try await reviewer.postAndFollow("\(verifyPath)/score", form: ["score": "90"]).status == .forbidden)
            // The secretariat verifies inside the verification window only.
            let early = try await seknas.postAndFollow("\(verifyPath)/score", form: ["score": "90"])
            #expect(early.status == .conflict)
            #expect(early.text.contains("Verifikasi semester B06 hanya dibuka"))
            try await Self.startVerification(app)
            #expect(try await reviewer.postAndFollow("\(verifyPath)/comment", form: ["body": "Catatan Sekber."]).status == .ok)

            let clarify = try await seknas.postAndFollow("\(verifyPath)/clarify", form: ["body": "Mohon lampirkan daftar hadir."])
            #expect(clarify.text.contains("Permintaan klarifikasi dikirim"))
            #expect(try await implementerA.get(reportPath).text.contains("Mohon lampirkan daftar hadir."))
            #expect(try await implementerA.postAndFollow("\(reportPath)", form: ["answer": "Daftar hadir terlampir.", "action": "save"]).status == .ok)
            #expect(try await implementerA.postAndFollow(reportPath, form: ["achievement": "Rancangan portal disusun bersama OMS; daftar hadir terlampir.", "progress": "70"]).status == .ok)
            #expect(try await implementerA.postAndFollow("\(reportPath)", form: ["action": "submit"]).status == .ok)

            // Scores: out of range and N/A without a reason are refused; 85 is Baik under the plan's scheme.
            #expect(try await seknas.postAndFollow("\(verifyPath)/score", form: ["score": "101"]).status == .unprocessableEntity)
            #expect(try await seknas.postAndFollow("\(verifyPath)/score", form: ["notApplicable": "on"]).status == .unprocessableEntity)
            let scored = try await seknas.postAndFollow("\(verifyPath)/score", form: ["score": "85"])
            #expect(scored.text.contains("Nilai disimpan."))
            #expect(scored.text.contains("Baik"))

            let commitment = try #require(try await CommitmentModel.query(on: app.db).filter(\.$number == 1).first())
            let assessed = try await seknas.postAndFollow("/verify/plans/contoh-2030-2032/B06/\(commitment.id!.uuidString)",
                                                 form: ["rating": "aktif", "justification": "Rapat bersama K/L dan OMS tercatat."])
            #expect(assessed.text.contains("Penilaian disimpan."))
            #expect(assessed.text.contains("Nilai rata-rata target: 85 (1 dari 1 target dinilai)"))

            // Not public before publication; public after, with the public evidence.
            let before = try await visitor.get("/plans/contoh-2030-2032/commitments/1")
            #expect(!before.text.contains("Nilai 85"))
            // Publishing is a checked step: a confirmation, and a reason while anything is incomplete.
            let publishPath = "/admin/plans/contoh-2030-2032/publish/B06"
            let check = try await seknas.get(publishPath)
            #expect(check.text.contains("1 komitmen dinilai dari sebagian targetnya saja."), "\(check.text)")
            #expect(check.text.contains("Jendela semester B06 belum ditutup"))
            #expect(try await seknas.post(publishPath, form: ["reason": "x"]).status == .unprocessableEntity)
            let noReason = try await seknas.post(publishPath, form: ["confirm": "on"])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.text.contains("publikasi memerlukan alasan"))
            #expect(try await SemesterPublicationModel.query(on: app.db).count() == 0)
            let published = try await seknas.postAndFollow(publishPath, form: ["confirm": "on", "reason": "Forum OMS belum melapor; hasil K/L dirilis lebih dulu."])
            #expect(published.text.contains("Hasil B06 dipublikasikan dan dibekukan."))
            #expect(try await SemesterPublicationModel.query(on: app.db).first()?.reason == "Forum OMS belum melapor; hasil K/L dirilis lebih dulu.")
            let after = try await visitor.get("/plans/contoh-2030-2032/commitments/1")
            #expect(after.text.contains("Nilai 85 Baik"))
            #expect(after.text.contains("daftar hadir terlampir"))
            #expect(after.text.contains("Capaian komitmen B06"))
            #expect(after.text.contains("1 dari 1 target dinilai"))
            #expect(after.text.contains("Forum OMS belum melapor"))
            #expect(after.text.contains("Aktif"))
            #expect(try await visitor.get("/evidence/\(evidence.id!.uuidString)").status == .ok)

            // The dashboard's grid and the organisation's scorecard show the published result.
            let dashboard = try await visitor.get("/plans/contoh-2030-2032/dashboard")
            #expect(dashboard.text.contains("<td class=\"cell cat-baik\">85 · Baik<small class=\"coverage\">1 dari 1 target dinilai</small></td>"))
            #expect(dashboard.text.contains("1 dari 2 target dinilai"))
            let agency = try #require(try await OrganisationModel.query(on: app.db).filter(\.$name == SamplePlan.agency.name).first())
            let scorecard = try await visitor.get("/organisations/\(agency.id!.uuidString)")
            #expect(scorecard.text.contains("85 Baik"))
            #expect(scorecard.text.contains(">1 (100%)<"))
            #expect(scorecard.text.contains("<p class=\"meta\">KCK · K/L</p>"))
            // An organisation without an acronym has no dangling separator before its kind.
            let other = try #require(try await OrganisationModel.query(on: app.db).filter(\.$name == SamplePlan.otherAgency.name).first())
            #expect(try await visitor.get("/organisations/\(other.id!.uuidString)").text.contains("<p class=\"meta\">K/L</p>"))

            // Every step is in the tamper-evident history.
            let actions = try await AuditEntryModel.query(on: app.db).sort(\.$id).all().map(\.action)
            for action in ["window.set", "report.create", "evidence.add", "report.submit", "report.message", "report.request_clarification",
                           "report.update", "report.score", "assessment.set", "semester.publish"] {
                #expect(actions.contains(action), "missing \(action) in \(actions)")
            }
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func windowsAndReopening(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let target = try await Self.targetA(app)
            let path = "/report/targets/\(target.id!.uuidString)"

            let noWindow = try await implementerA.postAndFollow(path, form: ["achievement": "x", "progress": "5"])
            #expect(noWindow.status == .conflict)
            #expect(noWindow.text.contains("belum ditetapkan"))

            // A window that closed yesterday.
            let semester = try await Self.openWindow(app, seknas: seknas, opensIn: -10, closesIn: -1)
            let closed = try await implementerA.postAndFollow(path, form: ["achievement": "x", "progress": "5"])
            #expect(closed.status == .conflict)
            #expect(closed.text.contains("hanya dibuka"))

            let agency = try #require(try await OrganisationModel.query(on: app.db).filter(\.$name == SamplePlan.agency.name).first())
            let until = Self.reportingDay.adding(days: 2).iso
            let reopened = try await seknas.postAndFollow("/admin/semesters/\(semester.id!.uuidString)/reopen",
                                                 form: ["organisation": agency.id!.uuidString, "until": until, "reason": "Banjir di kantor."])
            #expect(reopened.text.contains("Pelaporan dibuka kembali."))
            #expect(try await implementerA.postAndFollow(path, form: ["achievement": "Selesai.", "progress": "100"]).status == .ok)
            #expect(try await implementerA.postAndFollow("\(path)", form: ["action": "submit"]).status == .ok)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            #expect(report.isLate)
            #expect(try await seknas.get("/verify").text.contains("terlambat"))

            // Reversed windows are refused with a clear message.
            let reversed = try await seknas.postAndFollow("/admin/semesters/\(semester.id!.uuidString)/window", form: [
                "reportOpens": "2031-06-10", "reportCloses": "2031-06-01", "verifyOpens": "2031-06-11", "verifyCloses": "2031-06-20"])
            #expect(reversed.status == .unprocessableEntity)
            #expect(reversed.text.contains("Pelaporan ditutup sebelum dibuka."))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func badEvidenceIsRefusedAndLeavesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            _ = try await Self.openWindow(app, seknas: seknas)
            let path = "/report/targets/\(try await Self.targetA(app).id!.uuidString)"

            let disguised = try await implementerA.postMultipart(path, fields: [:], file: ("file", "laporan.pdf", Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00])))
            #expect(disguised.status == .unprocessableEntity)
            #expect(disguised.text.contains("Jenis berkas tidak diterima"))
            let empty = try await implementerA.postMultipart(path, fields: [:], file: ("file", "kosong.pdf", Data()))
            #expect(empty.status == .unprocessableEntity)
            let badLink = try await implementerA.postMultipart(path, fields: ["link": "javascript:alert(1)"], file: ("file", "", Data()))
            #expect(badLink.status == .unprocessableEntity)
            // The limit is checked the same way at any size; a small one keeps 20 MB off the event loops all tests share.
            app.evidenceStore = EvidenceStore(dataDirectory: app.evidenceStore.root.deletingLastPathComponent().path, maximumSize: 64 * 1024)
            let large = Data("%PDF-".utf8) + Data(count: app.evidenceStore.maximumSize)
            let tooLarge = try await implementerA.postMultipart(path, fields: [:], file: ("file", "besar.pdf", large))
            #expect(tooLarge.status == .unprocessableEntity || tooLarge.status == .payloadTooLarge)
            #expect(try await EvidenceModel.query(on: app.db).count() == 0)
            let files = (try? FileManager.default.subpathsOfDirectory(atPath: app.evidenceStore.root.path)) ?? []
            #expect(files.filter { !$0.hasSuffix("/") && $0.count > 10 }.isEmpty, "nothing stored: \(files)")
        }
    }
}
