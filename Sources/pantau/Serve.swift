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
        let port = self.port ?? ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080
        try await CommandSupport.withApplication(logLevel: .info) { app in
            try await app.autoMigrate()
            try await EmailSending.check(app)
            let report = try await FirstStart.run(app, demo: demo)
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
            await Signals.waitForTermination()
            sender?.cancel()
            reminders.cancel()
            await app.server.shutdown()
        }
    }
}

/// Waits for SIGINT or SIGTERM so the server can stop cleanly.
enum Signals {
    static func waitForTermination() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = OnceFlag()
            var sources: [any DispatchSourceSignal] = []
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler {
                    if once.claim() { continuation.resume() }
                }
                source.resume()
                sources.append(source)
            }
            Retained.keep(sources)
        }
    }

    /// Signal sources must outlive the wait; they are kept until the process ends.
    private enum Retained {
        nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
        private static let lock = NSLock()
        static func keep(_ more: [any DispatchSourceSignal]) { lock.withLock { sources += more } }
    }

    private final class OnceFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var claimed = false
        func claim() -> Bool { lock.withLock { defer { claimed = true }; return !claimed } }
    }
}
