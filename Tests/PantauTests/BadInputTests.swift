import Fluent
import Foundation
@testable import Pantau
import Testing
import Vapor

/// Uploads and forms that are wrong on purpose, over real HTTP: each gets a clear error in the user's language
/// and leaves nothing behind (no row, no file, no partial file), and markup typed into any field is shown as text.
@Suite("Bad input")
struct BadInputTests {
    static let markup = "<script>alert('x')</script><img src=x onerror=alert(1)>"

    /// Every file under the evidence folder, partial ones included.
    static func storedFiles(_ app: Application) -> [String] {
        let root = app.evidenceStore.root.path
        return ((try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? []).filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }

    /// A new API token of the account, and the headers that carry it.
    static func bearer(_ account: TestAccounts.Account, app: Application) async throws -> (String, HTTPHeaders) {
        let user = try #require(try await UserModel.query(on: app.db).filter(\.$email == account.email).first())
        let token = APITokens.generate()
        try await APITokenModel(userID: user.id!, name: "uji", tokenHash: APITokens.hash(token)).create(on: app.db)
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        return (token, headers)
    }

    static func expectNothingStored(_ app: Application, _ context: String) async throws {
        #expect(try await EvidenceModel.query(on: app.db).count() == 0, "\(context): an evidence row")
        #expect(try await MeetingAttachmentModel.query(on: app.db).count() == 0, "\(context): an attachment row")
        #expect(storedFiles(app).isEmpty, "\(context): files \(storedFiles(app))")
    }

    @Test(arguments: TestDatabase.allCases)
    func badUploadsLeaveNothingBehind(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let implementerB = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            _ = try await ReportingCycleTests.openWindow(app, seknas: seknas)
            let target = try await ReportingCycleTests.targetA(app).id!.uuidString
            let path = "/report/targets/\(target)"
            // A small limit, so that "too large" is tested without parsing 20 MB on the event loops every test shares.
            app.evidenceStore = EvidenceStore(dataDirectory: app.evidenceStore.root.deletingLastPathComponent().path, maximumSize: 64 * 1024)

            let executable = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]) + Data(count: 64)
            let cases: [(String, TestBrowser, String, Data, String)] = [
                ("an executable named .pdf", implementerA, "laporan.pdf", executable, "Jenis berkas tidak diterima"),
                ("a Windows program named .docx", implementerA, "surat.docx", Data("MZ".utf8) + Data(count: 200), "Jenis berkas tidak diterima"),
                ("an empty file", implementerA, "kosong.pdf", Data(), ""),
                ("a file too large", implementerA, "besar.pdf", Data("%PDF-".utf8) + Data(count: app.evidenceStore.maximumSize), ""),
                // A good file, but for another organisation's target: refused, and not kept on disk either.
                ("another organisation's target", implementerB, "notulen.pdf", ReportingCycleTests.pdf, ""),
            ]
            for (what, browser, name, data, message) in cases {
                let answer = try await browser.postMultipart(path, fields: ["description": what], file: ("file", name, data))
                #expect([.unprocessableEntity, .payloadTooLarge, .forbidden].contains(answer.status), "\(what): \(answer.status)")
                if !message.isEmpty { #expect(answer.text.contains(message), "\(what)") }
                try await Self.expectNothingStored(app, what)
            }

            // The same through the API, with a token.
            let (token, headers) = try await Self.bearer(TestAccounts.implementerA, app: app)
            let api = TestBrowser(app: app)
            let boundary = "batas-\(UUID().uuidString)"
            func multipart(_ name: String, _ data: Data) -> ByteBuffer {
                ByteBuffer(data: Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n\r\n".utf8)
                           + data + Data("\r\n--\(boundary)--\r\n".utf8))
            }
            let contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
            let apiPath = "/api/v1/reporting/targets/\(target)/report/evidence"
            for (name, data) in [("laporan.pdf", executable), ("kosong.pdf", Data())] {
                let answer = try await api.send(.POST, apiPath, body: multipart(name, data), contentType: contentType, headers: headers)
                #expect(answer.status == .unprocessableEntity, "API \(name): \(answer.status)")
                #expect(answer.text.contains("\"code\":\"invalid\""), "API \(name): \(answer.text)")
            }
            // A multipart body that ends before its closing boundary.
            let truncated = ByteBuffer(data: Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n".utf8)
                                       + ReportingCycleTests.pdf.prefix(20))
            let cut = try await api.send(.POST, apiPath, body: truncated, contentType: contentType, headers: headers)
            #expect((400..<500).contains(cut.status.code), "truncated multipart: \(cut.status)")
            // Only a closing boundary (found by schemathesis): a malformed body, not a server error.
            let closing = try await api.send(.POST, apiPath, body: ByteBuffer(string: "--\(boundary)--\r\n"), contentType: contentType, headers: headers)
            #expect(closing.status == .badRequest, "closing boundary only: \(closing.status) \(closing.text)")
            try await Self.expectNothingStored(app, "API")

            // A client that says 200 kB are coming, sends 10 and hangs up.
            let port = try await app.runningPort()
            let head = "POST \(apiPath) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: 200000\r\n\r\n"
            try RawConnection(port: port).send(Data(head.utf8) + Data(multipart("cut.pdf", ReportingCycleTests.pdf).readableBytesView).prefix(10_000))
            try await Task.sleep(for: .milliseconds(500))
            try await Self.expectNothingStored(app, "connection closed mid-upload")

            // A name with folders in it is stored by its hash, shown without the folders, and never becomes a path.
            let named = try await implementerA.postMultipartAndFollow(path, fields: ["description": "jalur"], file: ("file", "../../../../tmp/evil.pdf", ReportingCycleTests.pdf))
            #expect(named.status == .ok, "\(named.text)")
            #expect(named.text.contains("evil.pdf"))
            #expect(!named.text.contains("../"))
            #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.pdf"))
            #expect(Self.storedFiles(app).count == 1)
            #expect(Self.storedFiles(app).allSatisfy { EvidenceFiles.isDigest(URL(fileURLWithPath: $0).lastPathComponent) })

            // The server is still well after all of it.
            #expect(try await implementerA.get("/report/targets/\(target)").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func badMeetingAttachmentsLeaveNothingBehind(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let fields = ["plan": "contoh-2030-2032", "title": "Rapat", "date": "2031-02-03", "participants": "Ani; KCK"]
            let wrongType = try await implementerA.postMultipart("/meetings", fields: fields, file: ("attachment", "daftar.pdf", Data("MZ\u{90}\u{0}".utf8)))
            #expect(wrongType.status == .unprocessableEntity)
            // A good attachment on minutes that are refused (an unknown commitment) is not kept either.
            let refused = try await implementerA.postMultipart("/meetings", fields: fields.merging(["commitments": "9"]) { $1 },
                                                               file: ("attachment", "daftar.pdf", ReportingCycleTests.pdf))
            #expect(refused.status == .unprocessableEntity)
            #expect(try await MeetingModel.query(on: app.db).count() == 0)
            try await Self.expectNothingStored(app, "meeting")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func overlongAndMalformedFieldsAreRefused(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            _ = try await ReportingCycleTests.openWindow(app, seknas: seknas)
            let target = try await ReportingCycleTests.targetA(app).id!.uuidString
            let path = "/report/targets/\(target)"

            let long = try await implementerA.postAndFollow(path, form: ["achievement": String(repeating: "a", count: 20_001), "progress": "10"])
            #expect(long.status == .unprocessableEntity)
            #expect(long.text.contains("Isian terlalu panjang (maksimal 20000 karakter)."))
            let longDescription = try await implementerA.postMultipartAndFollow("\(path)", fields: ["link": "https://contoh.test/a",
                                                                                                  "description": String(repeating: "d", count: 1001)],
                                                                      file: ("file", "", Data()))
            #expect(longDescription.status == .unprocessableEntity)
            #expect(longDescription.text.contains("Isian terlalu panjang (maksimal 1000 karakter)."))
            let longTitle = try await implementerA.postMultipart("/meetings", fields: ["plan": "contoh-2030-2032", "title": String(repeating: "r", count: 501),
                                                                                      "date": "2031-02-03"], file: ("attachment", "", Data()))
            #expect(longTitle.status == .unprocessableEntity)
            #expect(longTitle.text.contains("Isian terlalu panjang (maksimal 500 karakter)."))
            let longPoints = try await implementerA.postMultipart("/meetings", fields: ["plan": "contoh-2030-2032", "title": "Rapat", "date": "2031-02-03",
                                                                                       "points": String(repeating: "p", count: 50_001)], file: ("attachment", "", Data()))
            #expect(longPoints.status == .unprocessableEntity)
            #expect(try await TargetReportModel.query(on: app.db).count() == 0)
            #expect(try await MeetingModel.query(on: app.db).count() == 0)

            // Bytes that are not UTF-8, in a form and in JSON: a clear refusal, never a server error or garbage saved.
            let invalidForm = try await implementerA.send(.POST, path, body: ByteBuffer(string: "_csrf=\(implementerA.csrf)&achievement=%FF%FEabc&progress=10"),
                                                          contentType: .urlEncodedForm)
            #expect((400..<500).contains(invalidForm.status.code), "form: \(invalidForm.status)")
            #expect(invalidForm.text.contains("<html"), "a page, not a bare error")
            var invalidMultipart = Data("--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(implementerA.csrf)\r\n".utf8)
            invalidMultipart += Data("--b\r\nContent-Disposition: form-data; name=\"link\"\r\n\r\nhttps://contoh.test/".utf8) + Data([0xFF, 0xFE, 0xC3])
            invalidMultipart += Data("\r\n--b--\r\n".utf8)
            let invalidUpload = try await implementerA.send(.POST, path, body: ByteBuffer(data: invalidMultipart),
                                                            contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": "b"]))
            #expect(invalidUpload.status.code < 500, "multipart: \(invalidUpload.status)")
            let (_, headers) = try await Self.bearer(TestAccounts.implementerA, app: app)
            let invalidJSON = try await TestBrowser(app: app).send(.PUT, "/api/v1/reporting/targets/\(target)/report",
                body: ByteBuffer(data: Data("{\"achievement\": \"".utf8) + Data([0xFF, 0xFE]) + Data("\", \"progress\": 5}".utf8)),
                contentType: .json, headers: headers)
            #expect(invalidJSON.status == .badRequest || invalidJSON.status == .unprocessableEntity, "JSON: \(invalidJSON.status) \(invalidJSON.text)")
            #expect(invalidJSON.text.contains("\"error\""))
            for report in try await TargetReportModel.query(on: app.db).all() {
                #expect(!report.achievement.contains("\u{FFFD}"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func markupInEveryFieldIsShownAsText(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let reviewer = try await TestBrowser.signedIn(TestAccounts.reviewer, app: app)
            _ = try await ReportingCycleTests.openWindow(app, seknas: seknas)
            let path = "/report/targets/\(try await ReportingCycleTests.targetA(app).id!.uuidString)"
            let markup = Self.markup

            func expectEscaped(_ page: BrowserResponse, _ context: String, shown: Bool = true) {
                #expect(!page.text.contains("<script>alert"), "\(context): a script tag reached the page")
                #expect(!page.text.contains("<img src=x"), "\(context): an img tag reached the page")
                if shown { #expect(page.text.contains("&lt;script&gt;"), "\(context): the text is not shown") }
            }

            expectEscaped(try await implementerA.postAndFollow(path, form: ["achievement": markup, "progress": "40"]), "achievement")
            expectEscaped(try await implementerA.postMultipartAndFollow("\(path)", fields: ["description": markup, "visibility": "public"],
                                                               file: ("file", "\(markup).pdf", ReportingCycleTests.pdf)), "evidence")
            _ = try await implementerA.postMultipartAndFollow("\(path)", fields: ["link": "https://contoh.test/?q=\(markup)", "description": "tautan"],
                                                     file: ("file", "", Data()))
            expectEscaped(try await implementerA.get(path), "report page")
            _ = try await implementerA.postAndFollow("\(path)", form: ["action": "submit"])
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            let verifyPath = "/verify/reports/\(report.id!.uuidString)"
            try await ReportingCycleTests.startVerification(app)
            expectEscaped(try await reviewer.postAndFollow("\(verifyPath)/comment", form: ["body": markup]), "reviewer comment")
            expectEscaped(try await seknas.postAndFollow("\(verifyPath)/clarify", form: ["body": markup]), "clarification")
            expectEscaped(try await implementerA.postAndFollow("\(path)", form: ["answer": markup, "action": "save"]), "answer")
            expectEscaped(try await seknas.get(verifyPath), "verification page")
            expectEscaped(try await seknas.get("/verify"), "verification queue", shown: false)

            let meeting = try await implementerA.postMultipart("/meetings", fields: [
                "plan": "contoh-2030-2032", "title": markup, "date": "2031-02-03", "startTime": "09:00", "endTime": "10:00",
                "place": markup, "agenda": markup, "moderator": "\(markup); \(markup)", "participants": "\(markup); \(markup)",
                "points": "\(markup); \(markup); \(markup)", "followUps": markup, "commitments": "1",
            ], file: ("attachment", "\(markup).pdf", ReportingCycleTests.pdf))
            #expect(meeting.status == .seeOther, "\(meeting.text)")
            let meetingPath = try #require(meeting.headers.first(name: .location))
            expectEscaped(try await implementerA.get(meetingPath), "meeting page")
            _ = try await seknas.postAndFollow("\(meetingPath)/publish")
            let visitor = TestBrowser(app: app)
            expectEscaped(try await visitor.get(meetingPath), "published meeting")
            expectEscaped(try await visitor.get("/meetings"), "meeting list")
            expectEscaped(try await visitor.get("/plans/contoh-2030-2032/commitments/1"), "commitment page")
            let feed = try await visitor.get("/feed.atom")
            #expect(!feed.text.contains("<script>alert"), "feed")
        }
    }
}
