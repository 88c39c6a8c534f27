import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

@Suite("Minutes of co-creation meetings")
struct MeetingTests {
    @Test(arguments: TestDatabase.allCases)
    func theRealMinutesAreLoadedAndLinked(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let report = try await FirstStart.run(app, demo: false)
            #expect(report.loadedMeetings == 1)
            let visitor = TestBrowser(app: app)
            let list = try await visitor.get("/meetings")
            #expect(list.text.contains("Penyampaian Usulan Perludem untuk RAN OGI 2020- 2022"))
            let commitment = try await visitor.get("/plans/ran-ogi-2020-2022/commitments/2")
            #expect(commitment.text.contains("Rapat ko-kreasi"))
            let meeting = try #require(try await MeetingModel.query(on: app.db).first())
            let page = try await visitor.get("/meetings/\(meeting.id!.uuidString)")
            #expect(page.text.contains("Bejo"))
            #expect(page.text.contains("Zoom Meeting"))
            #expect(page.text.contains("Pusat Telaah dan Informasi Regional"))
            #expect(page.text.contains("Notula dicatat"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func implementersRecordAndTheSecretariatPublishes(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let implementerB = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let visitor = TestBrowser(app: app)

            let bad = try await implementerA.postMultipart("/meetings", fields: ["plan": "contoh-2030-2032", "title": "Rapat", "date": "2031-02-03",
                                                                               "participants": "Ani; KCK", "commitments": "9"], file: ("attachment", "", Data()))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Komitmen 9 tidak ada dalam rencana ini."))

            let created = try await implementerA.postMultipart("/meetings", fields: [
                "plan": "contoh-2030-2032", "title": "Rapat koordinasi portal", "date": "2031-02-03", "startTime": "09:00", "endTime": "11:00",
                "place": "Jakarta", "agenda": "Rancangan portal", "moderator": "Budi; Kementerian Contoh Keterbukaan",
                "participants": "Ani; Kementerian Contoh Keterbukaan\nCitra; Perkumpulan Warga Contoh",
                "points": "Citra; Perkumpulan Warga Contoh; Portal perlu fitur aduan.", "followUps": "Uji coba di 3 provinsi",
                "commitments": "1"], file: ("attachment", "daftar hadir.pdf", ReportingCycleTests.pdf))
            #expect(created.status == .seeOther)
            let path = try #require(created.headers.first(name: .location))
            let own = try await implementerA.get(path)
            #expect(own.text.contains("Portal perlu fitur aduan."))
            #expect(own.text.contains("belum dipublikasikan"))
            // Unpublished minutes belong to their organisation and the secretariat.
            #expect(try await visitor.get(path).status == .notFound)
            #expect(try await implementerB.get(path).status == .notFound)
            #expect(!(try await visitor.get("/meetings").text.contains("Rapat koordinasi portal")))

            let published = try await seknas.postAndFollow("\(path)/publish")
            #expect(published.text.contains("Notula dipublikasikan."))
            #expect(try await visitor.get(path).text.contains("Rapat koordinasi portal"))
            #expect(try await visitor.get("/plans/contoh-2030-2032/commitments/1").text.contains("Rapat koordinasi portal"))
            let attachment = try #require(try await MeetingAttachmentModel.query(on: app.db).first())
            #expect(try await visitor.get("/meetings/attachments/\(attachment.id!.uuidString)").body.readableBytes == ReportingCycleTests.pdf.count)
            #expect(try await implementerA.post("\(path)/publish").status == .forbidden)
        }
    }

    /// Minutes with only what is required read as written: no dangling separators, and "not recorded" where nothing was.
    @Test(arguments: TestDatabase.allCases)
    func sparseMinutesReadWell(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let created = try await seknas.postMultipart("/meetings", fields: [
                "plan": "contoh-2030-2032", "title": "Rapat singkat", "date": "2031-02-03", "participants": "Ani\nBudi; KCK",
                "points": "Portal perlu fitur aduan."], file: ("attachment", "", Data()))
            #expect(created.status == .seeOther)
            let page = try await seknas.get(try #require(created.headers.first(name: .location))).text
            #expect(page.contains("<dd>2031-02-03</dd>"), "no dangling dash and time zone without hours")
            #expect(page.contains("<li>Ani</li>"))
            #expect(page.contains("<li>Budi · KCK</li>"))
            #expect(!page.contains("Moderator"))
            #expect(page.components(separatedBy: "Tidak dicatat.").count - 1 == 3, "agenda, follow-ups and attachments")
        }
    }
}
