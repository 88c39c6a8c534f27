import Fluent
import Foundation
import NIOConcurrencyHelpers
@testable import Pantau
import Testing
import Vapor

/// What a caller can make the server hold: bodies it has no right to send, connections it leaves half open.
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

            for path in ["/admin/plans", "/report/targets/\(target)", "/meetings", "/api/v1/reporting/targets/\(target)/report/evidence"] {
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
            let upload = try await implementerA.postMultipartAndFollow("/report/targets/\(target)", fields: ["description": "notulen"],
                                                             file: ("file", "notulen.pdf", ReportingCycleTests.pdf))
            #expect(upload.status == .ok, "\(upload.text)")
            #expect(try await EvidenceModel.query(on: app.db).count() == 1)
        }
    }

    /// Half a request line, headers that never end, a body that stops, and a kept-alive connection nobody uses are
    /// each closed once nothing has moved for the idle timeout (`PANTAU_IDLE_TIMEOUT`, 60 s by default; 5 s here).
    /// The timeout counts time without a byte either way, so the page asked for last is rendered beforehand and
    /// answers from the cache: a handler slower than the timeout (two cores shared by the whole suite) would lose
    /// its connection too. 5 s, not less: under the whole suite even the stylesheet once took over 2 s to answer.
    @Test(arguments: TestDatabase.allCases)
    func stalledConnectionsAreClosed(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // The configuration's timeout is the server's (the tests' own, see `withTestApp`).
            #expect(app.http.server.configuration.idleTimeout == .seconds(300))
            #expect(try await app.http().get("/plans").status == .ok)
            // Read by the server for each connection it accepts.
            app.http.server.configuration.idleTimeout = .seconds(5)
            let port = try await app.runningPort()
            let stalls = [
                "GET /pla",
                "GET /plans HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/ht",
                "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=a",
                // A whole request is answered before its connection goes idle; a file, since under the whole suite's load
                // a page can take longer to make than the timeout (which counts while an answer is made).
                "GET /css/pantau.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            ]
            for stall in stalls {
                let started = ContinuousClock.now
                let (answer, closed) = try await RawConnection.offThePool {
                    let connection = try RawConnection(port: port)
                    connection.send(stall)
                    return connection.receiveUntilClosed()
                }
                let waited = ContinuousClock.now - started
                #expect(closed, "\(stall.debugDescription) is still open after \(waited)")
                #expect(waited < .seconds(20), "\(stall.debugDescription) took \(waited)")
                if stall.hasSuffix("\r\n\r\n") {
                    #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"), "no answer before the connection closed")
                }
            }
            #expect(try await app.http().get("/plans").status == .ok)
        }
    }

    /// A body sent a byte at a time never looks idle; it is refused once the body timeout (`PANTAU_BODY_TIMEOUT`, 300 s
    /// by default; 2 s here) has passed since its route accepted it: 408, and the handler lets go of it. (Vapor 4's
    /// server reads what still comes on that connection until the body's declared end or the idle timeout; the reverse
    /// proxy's `client_body_timeout` ends such a connection sooner, see the README.)
    @Test(arguments: TestDatabase.allCases)
    func aBodyTrickledByteByByteIsRefused(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            #expect(app.bodyTimeout == .seconds(300))
            app.bodyTimeout = .seconds(2)
            let port = try await app.runningPort()
            let started = ContinuousClock.now
            let head = try await RawConnection.offThePool {
                // Longer than the trickle lasts: without the body timeout nothing would answer before it.
                let connection = try RawConnection(port: port, receiveTimeout: 20)
                connection.send("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                + "Content-Length: 1000\r\n\r\ne")
                let stop = NIOLockedValueBox(false)
                DispatchQueue.global().async {
                    for _ in 0..<40 where !stop.withLockedValue({ $0 }) {
                        guard connection.send("m") else { return }
                        Thread.sleep(forTimeInterval: 0.25)
                    }
                }
                defer { stop.withLockedValue { $0 = true } }
                return connection.receiveHead()
            }
            let waited = ContinuousClock.now - started
            #expect(head?.hasPrefix("HTTP/1.1 408") == true, "\(head ?? "no answer")")
            #expect(waited < .seconds(20), "answered after \(waited)")
            #expect(try await app.http().get("/plans").status == .ok)
        }
    }

    @Test func settingsAreCheckedAtStartUp() throws {
        let base = ["PANTAU_DATA_DIR": "/tmp/pantau-settings"]
        #expect(try AppConfiguration.fromEnvironment(base).idleTimeoutSeconds == 60)
        #expect(try AppConfiguration.fromEnvironment(base).bodyTimeoutSeconds == 300)
        #expect(try AppConfiguration.fromEnvironment(base.merging(["PANTAU_BODY_TIMEOUT": "30"]) { $1 }).bodyTimeoutSeconds == 30)
        #expect(throws: ConfigurationError.invalidBodyTimeout("0")) {
            try AppConfiguration.fromEnvironment(base.merging(["PANTAU_BODY_TIMEOUT": "0"]) { $1 })
        }
        #expect(try AppConfiguration.fromEnvironment(base.merging(["PANTAU_IDLE_TIMEOUT": "15"]) { $1 }).idleTimeoutSeconds == 15)
        for bad in ["0", "abc", "3601"] {
            #expect(throws: ConfigurationError.invalidIdleTimeout(bad)) {
                try AppConfiguration.fromEnvironment(base.merging(["PANTAU_IDLE_TIMEOUT": bad]) { $1 })
            }
        }
        #expect(try AppConfiguration.fromEnvironment(base.merging(["PANTAU_PUBLIC_URL": "https://pantau.example.go.id"]) { $1 }).publicURL
                == "https://pantau.example.go.id")
        for bad in ["pantau.example.go.id", "ftp://pantau.example.go.id", "https://", "https://pantau.example.go.id/?a=1", "https://u:p@host.example"] {
            #expect(throws: ConfigurationError.invalidPublicURL(bad)) {
                try AppConfiguration.fromEnvironment(base.merging(["PANTAU_PUBLIC_URL": bad]) { $1 })
            }
        }
        #expect(try AppConfiguration.fromEnvironment(base).dataLicence == .ccBy4)
        let odbl = ["PANTAU_DATA_LICENCE": "ODbL-1.0", "PANTAU_DATA_LICENCE_URL": "https://opendatacommons.org/licenses/odbl/1-0/"]
        #expect(try AppConfiguration.fromEnvironment(base.merging(odbl) { $1 }).dataLicence.url == "https://opendatacommons.org/licenses/odbl/1-0/")
        for bad in [["PANTAU_DATA_LICENCE": "ODbL-1.0"], ["PANTAU_DATA_LICENCE_URL": "https://opendatacommons.org/"],
                    ["PANTAU_DATA_LICENCE": "ODbL 1.0", "PANTAU_DATA_LICENCE_URL": "https://opendatacommons.org/"],
                    ["PANTAU_DATA_LICENCE": "ODbL-1.0", "PANTAU_DATA_LICENCE_URL": "opendatacommons.org"]] {
            #expect(throws: ConfigurationError.invalidDataLicence(bad["PANTAU_DATA_LICENCE"] ?? "", bad["PANTAU_DATA_LICENCE_URL"] ?? "")) {
                try AppConfiguration.fromEnvironment(base.merging(bad) { $1 })
            }
        }
    }
}
