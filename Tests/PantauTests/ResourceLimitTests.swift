import Fluent
import Foundation
@testable import Pantau
import Testing
import Vapor

/// What a caller can make the server hold: bodies it has no right to send.
@Suite("Resources a caller can hold")
struct ResourceLimitTests {
    /// A 5 MB upload from someone without the right to upload is refused after its first 64 kB: the answer comes
    /// while the rest is still unsent, so the server neither waited for the body nor held it. (Before, every upload
    /// route read the whole body, up to 50 MB, before asking who was sending it.)
    @Test(arguments: TestDatabase.allCases)
    func uploadsAreRefusedBeforeTheirBodyIsRead(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let reviewer = try await TestBrowser.signedIn(TestAccounts.reviewer, app: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            _ = try await ReportingCycleTests.openWindow(app, seknas: seknas)
            let target = try await ReportingCycleTests.targetA(app).id!.uuidString
            let (reviewerToken, _) = try await BadInputTests.bearer(TestAccounts.reviewer, app: app)
            let reviewerCookie = try #require(reviewer.cookies[SessionSettings.cookieName])
            let port = try await app.runningPort()

            for path in ["/admin/plans", "/report/targets/\(target)/evidence", "/meetings", "/api/v1/reporting/targets/\(target)/report/evidence"] {
                let isAPI = path.hasPrefix("/api/")
                let callers: [(String, String, [Int])] = [
                    ("a visitor", "", isAPI ? [401] : [303]),
                    ("a reviewer", isAPI ? "Authorization: Bearer \(reviewerToken)\r\n" : "Cookie: \(SessionSettings.cookieName)=\(reviewerCookie)\r\n", [403]),
                ]
                for (who, credentials, expected) in callers {
                    let head = try await RawConnection.offThePool {
                        let connection = try RawConnection(port: port)
                        connection.send("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=batas\r\n"
                                        + "Content-Length: \(5 * 1024 * 1024)\r\n\(credentials)\r\n")
                        connection.send(Data("--batas\r\nContent-Disposition: form-data; name=\"file\"; filename=\"besar.pdf\"\r\n\r\n%PDF-".utf8)
                                        + Data(count: 64 * 1024))
                        return connection.receiveHead()
                    }
                    let status = head.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
                    #expect(status.map { expected.contains($0) } == true, "\(who), \(path): \(head ?? "no answer before the body was sent")")
                    if status == 303 { #expect(head?.lowercased().contains("\r\nlocation: /login") == true, "\(who), \(path)") }
                }
            }

            // Those with the right still upload.
            let upload = try await implementerA.postMultipart("/report/targets/\(target)/evidence", fields: ["description": "notulen"],
                                                             file: ("file", "notulen.pdf", ReportingCycleTests.pdf))
            #expect(upload.status == .ok, "\(upload.text)")
            #expect(try await EvidenceModel.query(on: app.db).count() == 1)
        }
    }
}
