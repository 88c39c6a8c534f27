import AsyncHTTPClient
import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Guessing is limited per account and address, per address, and slowed per account, counted atomically, with the
/// client's address taken from a trusted proxy only: nobody can lock someone else out (issue 12, item 14).
@Suite("Sign-in throttling nobody can turn against an account")
struct SignInThrottleTests {
    static let wrong = "salah-salah-salah"

    /// The reverse proxy of these tests: every test request comes from 127.0.0.1.
    static func behindProxy(_ app: Application) {
        app.trustedProxies = TrustedProxies(list: "127.0.0.1")!
    }

    static func forwarded(_ value: String?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let value { headers.add(name: .xForwardedFor, value: value) }
        return headers
    }

    /// An HTTP client of its own with a connection for each of 16 requests at once, so that concurrent requests reach the
    /// server together (the shared client keeps 8 per host and gives up queueing after 10 seconds on a busy machine).
    static func withOwnClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(120)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)))
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// A sign-in from a fresh browser, through the proxy as `forwardedFor` when given.
    static func signIn(_ app: Application, _ email: String, _ password: String, forwardedFor: String? = nil) async throws -> HTTPResponseStatus {
        let browser = TestBrowser(app: app)
        _ = try await browser.get("/login")
        return try await browser.post("/login", form: ["email": email, "password": password], headers: forwarded(forwardedFor)).status
    }

    @Test func forwardedForIsReadFromTheRightAndOnlyFromTrustedProxies() throws {
        let proxies = try #require(TrustedProxies(list: "127.0.0.1, ::1 10.0.0.2"))
        #expect(proxies.addresses == ["127.0.0.1", "::1", "10.0.0.2"])
        #expect(TrustedProxies(list: "proxy.example") == nil)
        #expect(TrustedProxies(list: "")?.addresses == [])
        // From an untrusted peer the header is ignored.
        #expect(proxies.clientAddress(peer: "192.0.2.5", forwardedFor: ["203.0.113.7"]) == "192.0.2.5")
        // From a proxy: the right-most hop that is no trusted proxy, past forged hops to its left.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.1.1.1, 203.0.113.7"]) == "203.0.113.7")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.1.1.1", "203.0.113.7, 10.0.0.2"]) == "203.0.113.7")
        #expect(proxies.clientAddress(peer: "::1", forwardedFor: ["[2001:db8::7]:4711"]) == "2001:db8::7")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.7:4711"]) == "203.0.113.7")
        // No header, or a hop that is no address: the proxy itself is all we know.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.1.1.1, unknown"]) == "127.0.0.1")
        #expect(TrustedProxies.none.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.7"]) == "127.0.0.1")
        #expect(throws: ConfigurationError.invalidTrustedProxy("proxy.example")) {
            try AppConfiguration.fromEnvironment(["PANTAU_TRUSTED_PROXY": "proxy.example"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aGuesserLocksOnlyItselfOut(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            Self.behindProxy(app)
            let account = TestAccounts.secretariat
            for _ in 0..<5 {
                #expect(try await Self.signIn(app, account.email, Self.wrong, forwardedFor: "203.0.113.7") == .unauthorized)
            }
            // The guesser's address now waits for this account, even with the right password...
            #expect(try await Self.signIn(app, account.email, Self.wrong, forwardedFor: "203.0.113.7") == .tooManyRequests)
            #expect(try await Self.signIn(app, account.email, account.password, forwardedFor: "203.0.113.7") == .tooManyRequests)
            // ...while the account's owner, elsewhere, signs in at once.
            #expect(try await Self.signIn(app, account.email, account.password, forwardedFor: "198.51.100.20") == .seeOther)
            #expect(try await Self.signIn(app, account.email, account.password, forwardedFor: "198.51.100.20") == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func theClientAddressComesOnlyFromATrustedProxy(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            // No proxy configured: the header is the client's own word and changes nothing.
            for index in 0..<5 {
                #expect(try await Self.signIn(app, TestAccounts.reviewer.email, Self.wrong, forwardedFor: "192.0.2.\(index)") == .unauthorized)
            }
            #expect(try await Self.signIn(app, TestAccounts.reviewer.email, Self.wrong, forwardedFor: "192.0.2.99") == .tooManyRequests)

            // Behind the proxy the right-most address the proxy did not write for itself counts; a forged left part does not.
            Self.behindProxy(app)
            let email = TestAccounts.implementerA.email
            for index in 0..<5 {
                #expect(try await Self.signIn(app, email, Self.wrong, forwardedFor: "10.0.0.\(index), 203.0.113.7") == .unauthorized)
            }
            #expect(try await Self.signIn(app, email, Self.wrong, forwardedFor: "10.9.9.9, 203.0.113.7") == .tooManyRequests)
            #expect(try await Self.signIn(app, email, Self.wrong, forwardedFor: "203.0.113.7, 127.0.0.1") == .tooManyRequests,
                    "a chain of trusted proxies is skipped")
            #expect(try await Self.signIn(app, email, TestAccounts.password, forwardedFor: "203.0.113.8") == .seeOther)

            // One address guessing many accounts waits after 20 attempts in all; others do not.
            for index in 0..<app.loginThrottle.maximumPerAddress {
                #expect(try await Self.signIn(app, "tidak-ada-\(index)@contoh.test", Self.wrong, forwardedFor: "203.0.113.9") == .unauthorized)
            }
            #expect(try await Self.signIn(app, "lagi@contoh.test", Self.wrong, forwardedFor: "203.0.113.9") == .tooManyRequests)
            #expect(try await Self.signIn(app, TestAccounts.implementerB.email, TestAccounts.password, forwardedFor: "203.0.113.10") == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func concurrentGuessesAreCountedOneByOne(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let browsers = (0..<15).map { _ in TestBrowser(app: app) }
            let results = try await Self.withOwnClient { client in
                for browser in browsers {
                    browser.client = client
                    _ = try await browser.get("/login")
                }
                // Every request runs to its end before the test looks (and its application stops), even if one of them fails.
                return await withTaskGroup(of: Result<HTTPResponseStatus, any Error>.self) { group in
                    for browser in browsers {
                        group.addTask {
                            do {
                                return .success(try await browser.post("/login", form: ["email": TestAccounts.secretariat.email, "password": Self.wrong]).status)
                            } catch {
                                return .failure(error)
                            }
                        }
                    }
                    return await group.reduce(into: [Result<HTTPResponseStatus, any Error>]()) { $0.append($1) }
                }
            }
            let statuses = try results.map { try $0.get() }
            let checked = statuses.filter { $0 == .unauthorized }.count
            #expect(checked <= app.loginThrottle.maximumPerAccountAndAddress, "\(checked) of 15 concurrent guesses were checked: \(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 15 - checked, "\(statuses)")
            let counted = try await LoginFailureModel.query(on: app.db).filter(\.$subject == "pair:127.0.0.1|" + TestAccounts.secretariat.email).count()
            #expect(counted == checked)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func guessingFromManyAddressesOnlySlowsTheAccountDown(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            Self.behindProxy(app)
            app.loginThrottle = LoginThrottle(slowAccountAfter: 3, accountDelay: 0.5)
            let account = TestAccounts.reviewer
            for index in 0..<4 {
                #expect(try await Self.signIn(app, account.email, Self.wrong, forwardedFor: "203.0.113.\(index)") == .unauthorized)
            }
            // The owner is answered, and signed in, only later; never refused.
            let started = ContinuousClock.now
            #expect(try await Self.signIn(app, account.email, account.password, forwardedFor: "198.51.100.20") == .seeOther)
            #expect(ContinuousClock.now - started >= .milliseconds(500))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func visitorsCommentsAreLimitedPerVisitorBehindTheProxy(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            Self.behindProxy(app)
            let code = "rencana-konsultasi-2033-2034"
            // A draft whose proposal is adopted as commitment 1, in consultation.
            let (secretariat, proposal) = try await CoCreationTests.draftWithProposal(app, code: code)
            try await ProposalService.recordStage(proposalID: proposal, stage: .adopted, date: "2032-09-02", meetingID: nil, note: "Disepakati.",
                                                  mergedIntoID: nil, by: secretariat, on: app.db, now: app.clock.now())
            let path = "/plans/\(code)/commitments/1/comment"

            let flooder = TestBrowser(app: app)
            _ = try await flooder.get(path)
            for index in 0..<ConsultationService.maximumPerWindow {
                let sent = try await flooder.postAndFollow(path, form: ["name": "Banyak", "body": "Komentar \(index)"], headers: Self.forwarded("203.0.113.7"))
                #expect(sent.status == .ok)
            }
            #expect(try await flooder.postAndFollow(path, form: ["name": "Banyak", "body": "Lagi"], headers: Self.forwarded("203.0.113.7")).status
                        == .tooManyRequests)
            // Another visitor behind the same proxy still comments.
            let neighbour = TestBrowser(app: app)
            _ = try await neighbour.get(path)
            #expect(try await neighbour.postAndFollow(path, form: ["name": "Siti", "body": "Setuju."], headers: Self.forwarded("198.51.100.20")).status == .ok)
        }
    }
}
