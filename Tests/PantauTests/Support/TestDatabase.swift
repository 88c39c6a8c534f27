import Fluent
import FluentSQLiteDriver
import Foundation
@testable import Pantau
import Testing
import Vapor
import VaporTesting

/// The databases every database test runs on. Both, always: a missing PostgreSQL is a failure, not a skip.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// `scripts/test` starts a PostgreSQL server and sets this.
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PANTAU_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func missingPostgres() -> any Error {
        TestSetupError("PANTAU_TEST_POSTGRES_URL is not set: run the suite with scripts/test, which starts PostgreSQL")
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with an application on a fresh, migrated database of the given kind, and removes it afterwards:
/// a temporary SQLite file, or a PostgreSQL schema of its own.
func withTestApp(_ database: TestDatabase, _ body: (Application) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pantau-test-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)

    var configuration: AppConfiguration
    switch database {
    case .sqlite:
        configuration = AppConfiguration(storage: .sqlite(path: folder.appendingPathComponent("pantau.sqlite").path),
                                         dataDirectory: folder.path)
    case .postgres:
        guard let url = TestDatabase.postgresURL else { throw TestDatabase.missingPostgres() }
        configuration = AppConfiguration(storage: .postgres(url: url, searchPath: [String(schema)]), dataDirectory: folder.path)
    }
    // The idle timeout counts while an answer is being made too, and in the whole suite (two cores, every write
    // waiting for the audit lock) an answer can take minutes: as long as the test client waits (300 s), not 60.
    configuration.idleTimeoutSeconds = 300

    TestLogging.bootstrap()
    let app = try await PantauApplication.make(configuration, environment: .testing)
    do {
        if database == .postgres {
            try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA \(ident: String(schema))").run()
        }
        try await app.autoMigrate()
        try await body(app)
    } catch {
        await cleanUp(app, database: database, schema: String(schema))
        // PostgreSQL errors hide their details from `description`; a failing test needs them.
        throw TestSetupError(String(reflecting: error))
    }
    await cleanUp(app, database: database, schema: String(schema))
}

private func cleanUp(_ app: Application, database: TestDatabase, schema: String) async {
    if app.storage[RunningServerKey.self] != nil { await app.server.shutdown() }
    if database == .postgres {
        try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
}

extension Application {
    /// Requests go over real HTTP to this application's server on a free loopback port.
    func http() -> TestBrowser { TestBrowser(app: self) }

    /// The port of this application's server, started on first use and stopped with the test.
    func runningPort() async throws -> Int {
        if let port = storage[RunningServerKey.self] { return port }
        try await server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = http.server.shared.localAddress?.port else { throw TestSetupError("the test server has no port") }
        storage[RunningServerKey.self] = port
        return port
    }
}

struct RunningServerKey: StorageKey { typealias Value = Int }

/// One HTTP client for all tests; it never follows redirects, so tests see them as a browser's first answer.
let testHTTPClient = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                                configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

extension TestBrowser {
    /// GET with a full target such as `/plans?lang=en`, with extra headers.
    func get(_ target: String, headers: HTTPHeaders) async throws -> BrowserResponse {
        try await send(.GET, target, body: nil, contentType: nil, headers: headers)
    }

    func sendRequest(_ method: HTTPMethod, _ target: String) async throws -> BrowserResponse {
        try await send(method, target, body: nil, contentType: nil)
    }
}

extension BrowserResponse {
    func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }
}

/// Tests log only problems unless LOG_LEVEL asks for more, so that failures stand out.
enum TestLogging {
    private static let once: Void = {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return EscapingLogHandler(handler)
        }
    }()

    static func bootstrap() { _ = once }
}
