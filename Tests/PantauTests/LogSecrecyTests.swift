import AsyncHTTPClient
import Foundation
@testable import Pantau
import Testing
import Vapor

/// Logs never hold a password, an API token or a session cookie, even at LOG_LEVEL=trace: the built server is
/// started as an operator would start it, used through its pages and API, and its log (standard error) is read.
@Suite("Secrets stay out of the log")
struct LogSecrecyTests {
    @Test(arguments: TestDatabase.allCases)
    func noSecretInATraceLog(_ database: TestDatabase) async throws {
        try await SpawnedServer.run(database, logLevel: "trace") { server, base, environment in
            var secrets: [String: String] = [:]

            // A sign-in with a password through the form; the session cookie that follows.
            let seknas = ExternalBrowser(base: base)
            let seknasPassword = try #require(server.passwords["sekretariat@pantau.local"])
            secrets["secretariat password"] = seknasPassword
            try await seknas.signIn("sekretariat@pantau.local", seknasPassword)
            for (name, value) in seknas.cookies { secrets["cookie \(name)"] = value }

            // A failed sign-in: the wrong password is a secret too.
            let stranger = ExternalBrowser(base: base)
            _ = try await stranger.get("/login")
            secrets["wrong password"] = "salah-\(UUID().uuidString)"
            _ = try await stranger.post("/login", form: ["email": "sekretariat@pantau.local", "password": secrets["wrong password"]!])

            // An account created with a generated password, then that password reset.
            let created = try await seknas.post("/admin/users", form: ["name": "Reviu Log", "email": "reviu.log@contoh.test", "role": "reviewer", "plans[]": "*"])
            let createdAt = try #require(created.location)
            let generated: String = try #require(try await seknas.get(createdAt).once)
            secrets["generated password"] = generated
            let users = try await seknas.get("/admin/users")
            let userID = try #require(users.text.firstMatch(of: /reviu\.log@contoh\.test<\/td>[\s\S]*?admin\/users\/([0-9A-Fa-f-]{36})\/reset-password/)
                .map { String($0.1) })
            let reset = try await seknas.post("/admin/users/\(userID)/reset-password", form: [:])
            let resetAt = try #require(reset.location)
            let resetPassword: String = try #require(try await seknas.get(resetAt).once)
            secrets["reset password"] = resetPassword

            // An API token, and calls with it.
            let implementer = ExternalBrowser(base: base)
            let implementerEmail = "demo.kl@pantau.local"
            secrets["implementer password"] = server.passwords[implementerEmail]
            try await implementer.signIn(implementerEmail, server.passwords[implementerEmail]!)
            for (name, value) in implementer.cookies { secrets["implementer cookie \(name)"] = value }
            let tokenMade = try await implementer.post("/account/tokens", form: ["name": "pelacak"])
            let tokenAt = try #require(tokenMade.location)
            let token = try #require(try await implementer.get(tokenAt).once)
            secrets["api token"] = token
            for path in ["/api/v1/reporting/targets", "/api/v1/verification/reports", "/api/v1/plans"] {
                _ = try await implementer.get(path, headers: ["Authorization": "Bearer \(token)"])
            }
            _ = try await implementer.get("/api/v1/reporting/targets", headers: ["Authorization": "Bearer not-a-real-\(token.prefix(8))"])
            _ = try await implementer.post("/logout", form: [:])

            // The command line: a generated password is printed once on standard output, never logged.
            let cli = try CommandLineTests.run(["user", "create", "--name", "CLI", "--email", "cli.log@contoh.test", "--role", "reviewer",
                                                "--generate-password"], environment: environment)
            #expect(cli.status == 0, "\(cli.errors)")
            let cliPassword = try #require(cli.output.split(separator: "\n").first { $0.contains("Kata sandi") }?.split(separator: " ").last)
            secrets["cli password"] = String(cliPassword)
            #expect(!cli.errors.contains(String(cliPassword)))

            server.stop()
            let log = server.log()
            // The log is really at trace level: it would show the secrets if it showed request details.
            #expect(log.contains("trace") || log.contains("debug"), "the server logged nothing below info")
            #expect(log.contains("/admin/users"))
            // Vapor writes request bodies to the trace log in hexadecimal: look for that form too.
            let leaked = secrets.filter { !$0.value.isEmpty && (log.contains($0.value) || log.contains(Data($0.value.utf8).hexString)) }
                .map(\.key).sorted()
            #expect(leaked.isEmpty, "the log contains: \(leaked.joined(separator: ", "))")
        }
    }
}

/// `pantau serve --demo --port 0` as a child process; standard output and the log go to files.
final class SpawnedServer: @unchecked Sendable {
    /// A server on a fresh database of the given kind at `LOG_LEVEL=logLevel`, for `body` with its address and the
    /// environment it runs in; stopped afterwards.
    static func run(_ database: TestDatabase, logLevel: String,
                    _ body: (SpawnedServer, String, [String: String]) async throws -> Void) async throws {
        try await CommandLineTests.withEnvironment(database) { environment in
            var environment = environment
            environment["LOG_LEVEL"] = logLevel
            let server = try SpawnedServer(environment: environment)
            defer { server.stop() }
            try await body(server, try await server.waitForAddress(), environment)
        }
    }

    let process = Process()
    let folder: URL
    private(set) var passwords: [String: String] = [:]

    init(environment: [String: String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pantau-spawned-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder.appendingPathComponent("out").path, contents: nil)
        FileManager.default.createFile(atPath: folder.appendingPathComponent("err").path, contents: nil)
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        process.arguments = ["serve", "--demo", "--port", "0"]
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "DATABASE_URL")
        merged.merge(environment) { _, new in new }
        process.environment = merged
        process.standardOutput = try FileHandle(forWritingTo: folder.appendingPathComponent("out"))
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    func output() -> String { (try? String(contentsOf: folder.appendingPathComponent("out"), encoding: .utf8)) ?? "" }
    func log() -> String { (try? String(contentsOf: folder.appendingPathComponent("err"), encoding: .utf8)) ?? "" }

    /// Waits for "serving at http://..." and reads the one-time passwords printed before it.
    func waitForAddress() async throws -> String {
        for _ in 0..<600 {
            let text = output()
            if let match = text.firstMatch(of: /(http:\/\/127\.0\.0\.1:\d+)/) {
                for line in text.split(separator: "\n") {
                    if let account = line.firstMatch(of: /(\S+@\S+) .*: (\S+)$/) { passwords[String(account.1)] = String(account.2) }
                }
                return String(match.1)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("the server did not start:\n\(output())\n\(log().suffix(3000))")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

/// A browser for a server at an address: cookies, the CSRF token of the last page, and what a page shows once.
final class ExternalBrowser: @unchecked Sendable {
    let base: String
    var cookies: [String: String] = [:]
    var csrf = ""

    init(base: String) { self.base = base }

    struct Page {
        let status: HTTPResponseStatus
        let text: String
        /// Where a redirect leads.
        var location: String? = nil
        /// A password or token shown this once (`<span class="once">`).
        var once: String? { text.firstMatch(of: /class="once">([^<]+)</).map { String($0.1) } }
    }

    func signIn(_ email: String, _ password: String) async throws {
        _ = try await get("/login")
        let answer = try await post("/login", form: ["email": email, "password": password, "next": "/account"])
        guard answer.status == .seeOther else { throw TestSetupError("sign-in of \(email) failed: \(answer.status) \(answer.text.prefix(500))") }
        _ = try await get("/account")
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Page {
        try await send(.GET, path, body: nil, headers: headers)
    }

    func post(_ path: String, form: [String: String]) async throws -> Page {
        var fields = form
        fields["_csrf"] = csrf
        var components = URLComponents()
        components.queryItems = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try await send(.POST, path, body: encoded, headers: ["Content-Type": "application/x-www-form-urlencoded"])
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?, headers: [String: String]) async throws -> Page {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let answer = try await testHTTPClient.execute(request, timeout: .seconds(60))
        let text = String(buffer: try await answer.body.collect(upTo: 16 * 1024 * 1024))
        for header in answer.headers["Set-Cookie"] {
            guard let pair = header.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
            if value.isEmpty || header.lowercased().contains("max-age=0") { cookies.removeValue(forKey: name) } else { cookies[name] = value }
        }
        if let match = text.firstMatch(of: /name="_csrf" value="([^"]+)"/) { csrf = String(match.1) }
        return Page(status: answer.status, text: text, location: answer.headers.first(name: "Location"))
    }
}

extension Data {
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
