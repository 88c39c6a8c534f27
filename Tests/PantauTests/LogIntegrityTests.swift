import Foundation
@testable import Pantau
import Testing
import Vapor

/// Every line of the log is the server's own: text from a request (a path with `%0A`, an escape sequence, a Unicode
/// line separator) is written escaped on the line of the request. And an absurdly long path is an unknown page.
@Suite("The log and absurd paths")
struct LogIntegrityTests {
    @Test func controlCharactersAreEscaped() {
        #expect(LogText.escaped("GET /plans") == "GET /plans")
        #expect(LogText.escaped("GET /\nPALSU\r\n\tx") == #"GET /\nPALSU\r\n\tx"#)
        #expect(LogText.escaped("\u{1B}[2J\u{0}\u{7F}\u{85}\u{2028}\u{202E}") == #"\u{1B}[2J\u{0}\u{7F}\u{85}\u{2028}\u{202E}"#)
        #expect(LogText.escaped("Kementerian PPN/Bappenas · İstanbul 😀") == "Kementerian PPN/Bappenas · İstanbul 😀")
        #expect(RequestLogMiddleware.describe("/%0APALSU") == #"/\nPALSU"#)
        #expect(RequestLogMiddleware.describe("/" + String(repeating: "a", count: 5000)) == "/" + String(repeating: "a", count: 999) + "…")
    }

    /// Whatever logs (Vapor, the database drivers, an error's description): the handler escapes message, metadata and error.
    @Test func theLogHandlerEscapesEverythingItWrites() throws {
        final class Captured: @unchecked Sendable { var events: [LogEvent] = [] }
        struct Capturing: LogHandler {
            let captured: Captured
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) { captured.events.append(event) }
        }
        struct Failure: Error, CustomStringConvertible { var description: String { "gagal\nPALSU" } }
        let captured = Captured()
        var logger = Logger(label: "uji") { _ in EscapingLogHandler(Capturing(captured: captured)) }
        logger[metadataKey: "path"] = "/a\nPALSU"
        logger.error("kueri\nPALSU", error: Failure(), metadata: ["binds": ["x\r\nPALSU", .stringConvertible(Failure())], "k\n": "v"])
        let event = try #require(captured.events.first)
        #expect(event.message.description == #"kueri\nPALSU"#)
        guard case .array(let binds)? = event.metadata?["binds"] else { throw TestSetupError("no binds in \(event)") }
        #expect(binds.map(\.description) == [#"x\r\nPALSU"#, #"gagal\nPALSU"#])
        #expect(event.metadata?[#"k\n"#] == "v")
        #expect(event.metadata?["error.message"] == #"gagal\nPALSU"#)
        #expect(event.error == nil)
        // The logger's own metadata is escaped when a line is written (not when it is set): what the wrapped handler gets.
        #expect(event.metadata?["path"] == #"/a\nPALSU"#)
    }

    /// The built server at LOG_LEVEL=debug (where the database drivers log their queries with the values bound to them):
    /// requests that try to start lines of their own leave them escaped on the request's line.
    @Test(arguments: TestDatabase.allCases)
    func requestsCannotWriteLinesOfTheirOwn(_ database: TestDatabase) async throws {
        try await SpawnedServer.run(database, logLevel: "debug") { server, base, _ in
            let visitor = ExternalBrowser(base: base)
            for path in ["/%0APALSU%20admin%20signed%20in", "/%0D%0APALSU", "/plans/ran-ogi%0APALSU%20query", "/%1B%5B2J%1B%5BHPALSU",
                         "/x%E2%80%A8PALSU", "/search?q=jalan%0APALSU", "/api/v1/plans/x%0APALSU"] {
                let answer = try await visitor.get(path)
                #expect(answer.status == .notFound || answer.status == .ok, "\(path): \(answer.status)")
            }
            server.stop()
            let log = server.log()
            #expect(log.contains(#"GET /\nPALSU admin signed in"#), "\(log.suffix(3000))")
            let lines = log.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\r\n" })
            #expect(!lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("PALSU") }, "\(lines.filter { $0.contains("PALSU") })")
            #expect(!log.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{2028}" })
        }
    }

    /// A path over about 4,080 characters (or a part of it over 255 bytes) made the file system answer "name too long"
    /// and the visitor got 500; NUL in a path names no file either. All are unknown pages, and the server goes on.
    @Test(arguments: TestDatabase.allCases)
    func absurdPathsAreNotFound(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for path in ["/" + String(repeating: "a", count: 5000), String(repeating: "/a", count: 2100), "/" + String(repeating: "b", count: 300),
                         "/css/" + String(repeating: "c", count: 256) + ".css", "/plans/" + String(repeating: "p", count: 4100), "/%00", "/css%00/x",
                         "/" + String(repeating: "%C3%BC", count: 200)] {
                let answer = try await app.http().get(path)
                #expect(answer.status == .notFound, "\(path.prefix(40))… (\(path.count) characters): \(answer.status)")
            }
            #expect(try await app.http().get("/css/pantau.css").status == .ok)
            #expect(try await app.http().get("/plans").status == .ok)
        }
    }
}
