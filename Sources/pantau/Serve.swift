import ArgumentParser
import Foundation
import Pantau
import Vapor

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web server; pending migrations are applied first.")

    @ArgumentParser.Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @ArgumentParser.Option(name: .long, help: "Port to listen on (0 picks a free one). Default: $PORT or 8080.")
    var port: Int?

    @ArgumentParser.Flag(name: .long, help: "Also create demo accounts (an implementer of a K/L, of a CSO, and a reviewer) and print their passwords.")
    var demo = false

    func run() async throws {
        let termination = TerminationSignal()
        let port = self.port ?? ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080
        try await CommandSupport.withApplication(logLevel: .info) { app in
            try await EmailSending.check(app)
            // Several servers started together on one PostgreSQL: one migrates and loads at a time.
            let report = try await StartLock.run(app) {
                try await app.autoMigrate()
                return try await FirstStart.run(app, demo: demo)
            }
            for code in report.loadedPlans { CommandSupport.say(CommandSupport.text("cli.plan_loaded", code)) }
            if report.loadedMeetings > 0 { CommandSupport.say(CommandSupport.text("cli.meetings_loaded", "\(report.loadedMeetings)")) }
            for account in report.accounts {
                CommandSupport.say(CommandSupport.text("cli.account_created_once", account.email, account.role.rawValue,
                                                       account.organisation ?? "-", account.password))
            }
            if let files = OpenFileLimit.raise() { app.logger.info("Open files limit: \(files)") }
            app.http.server.configuration.hostname = host
            app.http.server.configuration.port = port
            try await app.server.start(address: nil)
            let actualPort = app.http.server.shared.localAddress?.port ?? port
            CommandSupport.say(CommandSupport.text("cli.serving", "http://\(host):\(actualPort)"))
            let sender = EmailSending.start(app, name: "\(ProcessInfo.processInfo.hostName):\(actualPort)")
            let reminders = EmailSending.startReminders(app)
            await termination.wait()
            sender?.cancel()
            reminders.cancel()
            await app.server.shutdown()
        }
    }
}

/// SIGINT and SIGTERM, caught from the moment it is made: a signal that comes while the server is still starting
/// (migrating, loading) is kept, and the server stops cleanly as soon as it has started, rather than dying half-way.
final class TerminationSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var waiting: CheckedContinuation<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    private func fire() {
        let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
            fired = true
            defer { waiting = nil }
            return waiting
        }
        continuation?.resume()
    }

    /// Returns once a signal came (at once if one came already).
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lock.withLock {
                if fired { return true }
                waiting = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }
}
