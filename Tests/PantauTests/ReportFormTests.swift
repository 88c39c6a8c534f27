import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// The implementer's one report form and the secretariat's side of it, as a person uses them: nothing typed is lost,
/// a reload never repeats a write, a clarification is answered and handed in again in one step, staff notes stay
/// with staff, and evidence is internal unless chosen and removable only until it is handed in.
@Suite("The report form")
struct ReportFormTests {
    static func evidenceCount(_ app: Application) async throws -> Int {
        try await EvidenceModel.query(on: app.db).count()
    }

    @Test(arguments: TestDatabase.allCases)
    func textEvidenceAndSubmissionGoInOneForm(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, implementerA, _, path) = try await ReportingCycleTests.openReport(app)

            // Handing in at once, before any save: text, progress and a file in one press of "Serahkan".
            let answer = try await implementerA.postMultipart(path, fields: [
                "achievement": "Rancangan portal disusun.", "progress": "60", "description": "Notulen", "action": "submit",
            ], file: ("file", "notulen.pdf", ReportingCycleTests.pdf))
            #expect(answer.status == .seeOther, "\(answer.status): \(answer.text)")
            #expect(answer.headers.first(name: .location) == path)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            #expect(report.status == .submitted)
            #expect(report.achievement == "Rancangan portal disusun.")
            #expect(report.progress == 60)
            // No choice made: the evidence is internal.
            let evidence = try #require(try await EvidenceModel.query(on: app.db).first())
            #expect(evidence.isPublic == false)

            // The page after the redirect says what happened, once; a reload shows the page without it and writes nothing.
            let shown = try await implementerA.get(path)
            #expect(shown.text.contains("Laporan diserahkan."))
            let reloaded = try await implementerA.get(path)
            #expect(!reloaded.text.contains("Laporan diserahkan."))
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "report.submit").count() == 1)
        }
    }

    /// Nobody types a report the save would refuse: outside the window the page says why and offers no form.
    @Test(arguments: TestDatabase.allCases)
    func noFormWhenTheWindowIsNotOpen(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let path = "/report/targets/\(try await ReportingCycleTests.targetA(app).id!.uuidString)"
            let closed = try await implementerA.get(path)
            #expect(closed.status == .ok)
            #expect(closed.text.contains("Periode pelaporan semester B06 belum ditetapkan."))
            #expect(!closed.text.contains("id=\"achievement\""))

            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            _ = try await ReportingCycleTests.openWindow(app, seknas: seknas)
            let open = try await implementerA.get(path)
            #expect(open.text.contains("id=\"achievement\""))
            #expect(!open.text.contains("belum ditetapkan"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aFailedUploadKeepsWhatWasTyped(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            let executable = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]) + Data(count: 64)
            let typed = "Capaian yang panjang & ditulis dengan hati-hati <b>tebal</b>."
            let answer = try await implementerA.postMultipart(path, fields: [
                "achievement": typed, "progress": "45", "description": "Daftar hadir", "action": "save",
            ], file: ("file", "daftar-hadir.pdf", executable))
            #expect(answer.status == .unprocessableEntity)
            // The same form, with the text, the progress and the description as typed, and the message beside the file.
            #expect(answer.text.contains("Capaian yang panjang &amp; ditulis dengan hati-hati &lt;b&gt;tebal&lt;/b&gt;."))
            #expect(answer.text.contains("value=\"45\""))
            #expect(answer.text.contains("value=\"Daftar hadir\""))
            #expect(answer.text.contains("id=\"evidence-error\""))
            #expect(answer.text.contains("Jenis berkas tidak diterima"))
            #expect(answer.text.contains("Pilih berkasnya lagi."))
            // Nothing was written: the whole form is one change.
            #expect(try await TargetReportModel.query(on: app.db).count() == 0)
            #expect(try await Self.evidenceCount(app) == 0)

            // A progress that is not a number: the message beside the field, in English for an English reader.
            let english = try await implementerA.post(path + "?lang=en", form: ["achievement": typed, "progress": "enam puluh", "action": "save"])
            #expect(english.status == .unprocessableEntity)
            #expect(english.text.contains("Progress must be a number from 0 to 100, not &#39;enam puluh&#39;.")
                    || english.text.contains("Progress must be a number from 0 to 100, not 'enam puluh'."))
            #expect(english.text.contains("id=\"progress-error\""))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func clarificationIsAnsweredAndHandedInAgainInOneStep(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (seknas, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            let reviewer = try await TestBrowser.signedIn(TestAccounts.reviewer, app: app)
            #expect(try await implementerA.post(path, form: ["achievement": "Rancangan disusun.", "progress": "50", "action": "submit"]).status
                    == .seeOther)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            let verifyPath = "/verify/reports/\(report.id!.uuidString)"
            try await ReportingCycleTests.startVerification(app)
            _ = try await seknas.get(verifyPath)
            _ = try await reviewer.get(verifyPath)
            #expect(try await reviewer.post("\(verifyPath)/comment", form: ["body": "Catatan internal Sekber: cek ulang angka."]).status == .seeOther)
            #expect(try await seknas.post("\(verifyPath)/comment", form: ["body": "Catatan sekretariat: jangan dikutip."]).status == .seeOther)
            #expect(try await seknas.post("\(verifyPath)/clarify", form: ["body": "Mohon lampirkan daftar hadir."]).status == .seeOther)

            // The implementer sees the question at the top, never the staff notes.
            let page = try await implementerA.get(path)
            let question = try #require(page.text.range(of: "Mohon lampirkan daftar hadir."))
            let form = try #require(page.text.range(of: "name=\"achievement\""))
            #expect(question.lowerBound < form.lowerBound)
            #expect(page.text.contains("Jawab dan serahkan ulang"))
            #expect(!page.text.contains("cek ulang angka"))
            #expect(!page.text.contains("jangan dikutip"))
            // Nor through the API.
            let (_, headers) = try await BadInputTests.bearer(TestAccounts.implementerA, app: app)
            let api = try await TestBrowser(app: app).send(.GET, "/api/v1/reports/\(report.id!.uuidString)", body: nil, contentType: nil, headers: headers)
            #expect(api.status == .ok)
            #expect(api.text.contains("Mohon lampirkan daftar hadir."))
            #expect(!api.text.contains("cek ulang angka") && !api.text.contains("jangan dikutip"))
            // Staff read them, labelled as internal.
            for staff in [seknas, reviewer] {
                let staffPage = try await staff.get(verifyPath)
                #expect(staffPage.text.contains("cek ulang angka") && staffPage.text.contains("jangan dikutip"))
                #expect(staffPage.text.contains("Catatan internal staf"))
            }

            // Handing in again without an answer: refused beside the answer field, with the text kept.
            let unanswered = try await implementerA.post(path, form: ["achievement": "Rancangan disusun; daftar hadir terlampir.", "progress": "70",
                                                                     "answer": "", "action": "submit"])
            #expect(unanswered.status == .unprocessableEntity)
            #expect(unanswered.text.contains("id=\"answer-error\""))
            #expect(unanswered.text.contains("Rancangan disusun; daftar hadir terlampir."))
            #expect(try await TargetReportModel.query(on: app.db).first()?.status == .clarificationRequested)

            let answered = try await implementerA.post(path, form: ["achievement": "Rancangan disusun; daftar hadir terlampir.", "progress": "70",
                                                                   "answer": "Daftar hadir sudah kami lampirkan.", "action": "submit"])
            #expect(answered.status == .seeOther)
            let after = try #require(try await TargetReportModel.query(on: app.db).first())
            #expect(after.status == .submitted)
            #expect(after.achievement == "Rancangan disusun; daftar hadir terlampir.")
            let kinds = try await ReportMessageModel.query(on: app.db).sort(\.$createdAt).all().map(\.kind)
            #expect(kinds == [.staffNote, .staffNote, .clarificationRequest, .answer])
            #expect(try await seknas.get(verifyPath).text.contains("Daftar hadir sudah kami lampirkan."))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func evidenceIsRemovableAndItsVisibilityChangeableUntilHandedIn(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            let implementerB = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            #expect(try await implementerA.postMultipart(path, fields: ["achievement": "Draf.", "progress": "10", "description": "Salah berkas",
                                                                         "action": "save"],
                                                          file: ("file", "salah.pdf", ReportingCycleTests.pdf)).status == .seeOther)
            let wrong = try #require(try await EvidenceModel.query(on: app.db).first())
            // Made public, then internal again, by the buttons beside it; each change is in the history.
            _ = try await implementerA.get(path)
            #expect(try await implementerA.post(path, form: ["achievement": "Draf.", "progress": "10", "makePublic": wrong.id!.uuidString]).status
                    == .seeOther)
            #expect(try await EvidenceModel.find(wrong.id, on: app.db)?.isPublic == true)
            #expect(try await implementerA.post(path, form: ["achievement": "Draf.", "progress": "10", "makeInternal": wrong.id!.uuidString]).status
                    == .seeOther)
            #expect(try await EvidenceModel.find(wrong.id, on: app.db)?.isPublic == false)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "evidence.visibility").count() == 2)
            // Another organisation cannot touch it.
            _ = try await implementerB.get("/report")
            #expect(try await implementerB.post(path, form: ["remove": wrong.id!.uuidString]).status == .forbidden)
            // Removed before submission: gone, and recorded.
            let removed = try await implementerA.postAndFollow(path, form: ["achievement": "Draf, diperbaiki.", "progress": "20",
                                                                           "remove": wrong.id!.uuidString])
            #expect(removed.text.contains("Data dukung dihapus dari laporan."))
            #expect(removed.text.contains("Draf, diperbaiki."))
            #expect(try await Self.evidenceCount(app) == 0)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "evidence.remove").count() == 1)

            // What is handed in stays: after submission and a clarification request, the old file cannot be removed.
            #expect(try await implementerA.postMultipart(path, fields: ["description": "Notulen", "action": "submit"],
                                                          file: ("file", "notulen.pdf", ReportingCycleTests.pdf)).status == .seeOther)
            let handedIn = try #require(try await EvidenceModel.query(on: app.db).first())
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            try await ReportingCycleTests.startVerification(app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            _ = try await seknas.get("/verify/reports/\(report.id!.uuidString)")
            #expect(try await seknas.post("/verify/reports/\(report.id!.uuidString)/clarify", form: ["body": "Lengkapi."]).status == .seeOther)
            let page = try await implementerA.get(path)
            #expect(!page.text.contains("name=\"remove\" value=\"\(handedIn.id!.uuidString)\""))
            let refused = try await implementerA.post(path, form: ["remove": handedIn.id!.uuidString])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("sudah diserahkan bersama laporan"))
            #expect(try await Self.evidenceCount(app) == 1)
            #expect(FileManager.default.fileExists(atPath: app.evidenceStore.path(for: try #require(handedIn.sha256)).path))
        }
    }
}
