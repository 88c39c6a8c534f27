import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// A real SMTP server on loopback for the test: aiosmtpd (PyPI) with `tests/smtp/capture.py`, which writes each
/// message it accepts to a folder, refuses "tolak…" addresses for good and "sibuk…" ones for now.
final class CapturingMailServer {
    let port: Int
    let folder: URL
    private var process: Process?

    init() {
        port = Int.random(in: 20_000...60_000)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pantau-mail-\(UUID().uuidString)")
    }

    func start() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "capture.Capture", folder.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["PYTHONPATH": root.appendingPathComponent("tests/smtp").path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        // Ready when it answers.
        for _ in 0..<100 {
            if (try? await SMTPClient(settings: settings(), group: MultiThreadedEventLoopGroup.singleton).check()) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SMTPError.connection("aiosmtpd did not start on \(port)")
    }

    /// SIGKILL: aiosmtpd's event loop does not end on SIGTERM; and a mail server that vanishes is what is tested.
    func stop() {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        process = nil
    }

    /// An outbox sending through this server, with links to a made-up public address.
    func outbox(_ app: Application) -> EmailOutbox {
        EmailOutbox(client: SMTPClient(settings: settings(), group: app.eventLoopGroup), localizer: app.localizer,
                    publicURL: "https://pantau.contoh.test", worker: "uji")
    }

    func settings() -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: port, security: .none, from: "pantau@contoh.test", timeout: .seconds(10))
    }

    /// The messages received, oldest first: the envelope's recipient and the message.
    func messages() throws -> [(recipient: String, text: String)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let firstLine = text.prefix { $0 != "\n" }
            return (String(firstLine), String(text.dropFirst(firstLine.count + 1)))
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Issue 16: notification emails go through a real SMTP server, in the recipient's language, with a stable
/// Message-ID, retried when refused for now, recorded when refused for good, and sent by one process only.
@Suite("Notification emails")
struct EmailTests {
    /// The decoded text of a message's base64 parts.
    static func parts(_ message: String) -> [String] {
        message.components(separatedBy: "\r\n\r\n").dropFirst().compactMap { block in
            let joined = block.components(separatedBy: "\r\n").prefix { !$0.hasPrefix("--") }.joined()
            guard !joined.isEmpty else { return nil }
            return Data(base64Encoded: joined).flatMap { String(data: $0, encoding: .utf8) }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func emailsGoOutOnceAndTheRefusedAreRecorded(_ database: TestDatabase) async throws {
        let server = CapturingMailServer()
        try await server.start()
        defer { server.stop() }
        try await withTestApp(database) { app in
            let outbox = server.outbox(app)
            let (seknas, implementerA, _, reportPath) = try await ReportingCycleTests.openReport(app)
            #expect(try await implementerA.postAndFollow(reportPath, form: ["achievement": "Rancangan portal selesai disusun.", "progress": "60"]).status == .ok)
            #expect(try await implementerA.postAndFollow(reportPath, form: ["action": "submit"]).status == .ok)
            try await ReportingCycleTests.startVerification(app)
            // Implementer A reads English.
            let userA = try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.implementerA.email).first())
            userA.language = "en"
            try await userA.save(on: app.db)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            #expect(try await seknas.postAndFollow("/verify/reports/\(try report.requireID().uuidString)/clarify",
                                                   form: ["body": "Mohon lampirkan daftar hadir."]).status == .ok)

            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 1)
            let first = try #require(try server.messages().first)
            #expect(first.recipient == TestAccounts.implementerA.email)
            #expect(first.text.contains("Subject: Clarification requested: Rancangan portal selesai"))
            let notification = try #require(try await NotificationModel.query(on: app.db).filter(\.$kind == .clarificationRequested).first())
            #expect(first.text.contains("Message-ID: \(notification.messageID)"))
            #expect(first.text.contains("List-Unsubscribe: <https://pantau.contoh.test/account#notifications>"))
            let bodies = Self.parts(first.text)
            #expect(bodies.count == 2)
            #expect(bodies.first?.contains("https://pantau.contoh.test\(reportPath)") == true)
            #expect(bodies.first?.contains("Answer by") == true)
            #expect(bodies.last?.contains("<a href=\"https://pantau.contoh.test\(reportPath)\">") == true)
            #expect(notification.emailState == .sent && notification.sentAt != nil)
            // Sent is sent: nothing goes twice.
            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 0)
            #expect(try server.messages().count == 1)

            // A full mailbox is tried again later; a wrong address is recorded as failed, with the server's words.
            let busy = try await AccountCreation.create(name: "Sibuk", email: "sibuk@contoh.test", role: .reviewer, organisation: nil,
                                                        password: TestAccounts.password, on: app.db)
            let wrong = try await AccountCreation.create(name: "Tolak", email: "tolak@contoh.test", role: .reviewer, organisation: nil,
                                                         password: TestAccounts.password, on: app.db)
            try await Notifier.notify(.commentAwaitingModeration, arguments: ["contoh-2030-2032"], link: "/cocreation", to: [busy, wrong],
                                      now: app.clock.now(), on: app.db)
            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 0)
            let refused = try #require(try await NotificationModel.query(on: app.db).filter(\.$user.$id == wrong.requireID()).first())
            #expect(refused.emailState == .failed && refused.lastError.contains("550"))
            let waiting = try #require(try await NotificationModel.query(on: app.db).filter(\.$user.$id == busy.requireID()).first())
            #expect(waiting.emailState == .pending && waiting.attempts == 1 && waiting.lastError.contains("451"))
            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 0, "not before its wait is over")
            busy.email = "kini-bisa@contoh.test"
            try await busy.save(on: app.db)
            app.clock.advance(seconds: 61)
            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 1)
            #expect(try server.messages().last?.recipient == "kini-bisa@contoh.test")

            // The mail server down: the email waits and goes when it is back.
            server.stop()
            try await Notifier.notify(.commentAwaitingModeration, arguments: ["contoh-2030-2032"], link: "/cocreation", to: [busy],
                                      now: app.clock.now(), on: app.db)
            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 0)
            try await server.start()
            app.clock.advance(seconds: 61)
            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 1)
            #expect(try server.messages().count == 3)

            // Claimed by a process that then died: nobody else sends it until the claim runs out, then one does.
            try await Notifier.notify(.commentAwaitingModeration, arguments: ["contoh-2030-2032"], link: "/cocreation", to: [busy],
                                      now: app.clock.now(), on: app.db)
            let orphan = try #require(try await NotificationModel.query(on: app.db).filter(\.$emailState == .pending).first())
            orphan.claimedBy = "mati"
            orphan.claimedUntil = app.clock.now().addingTimeInterval(EmailOutbox.lease)
            try await orphan.save(on: app.db)
            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 0)
            app.clock.advance(seconds: EmailOutbox.lease + 1)
            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 1)
            #expect(try server.messages().count == 4)

            // An email that waited more than a week (no mail server meanwhile) is given up, not sent late.
            try await Notifier.notify(.commentAwaitingModeration, arguments: ["contoh-2030-2032"], link: "/cocreation", to: [busy],
                                      now: app.clock.now(), on: app.db)
            app.clock.advance(seconds: EmailOutbox.expiry + 60)
            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 0)
            #expect(try server.messages().count == 4)
            #expect(try await NotificationModel.query(on: app.db).filter(\.$emailState == .expired).count() == 1)

            // The national secretariat sees what was not delivered, and why; nobody else may look.
            let log = try await seknas.get("/admin/emails")
            #expect(log.status == .ok)
            #expect(log.text.contains("tolak@contoh.test") && log.text.contains("550") && log.text.contains("Ditolak"))
            #expect(log.text.contains("Kedaluwarsa") && log.text.contains("menunggu server e-mail lebih dari 7 hari"))
            #expect(log.text.components(separatedBy: "kali dicoba").count - 1 == 2, "delivered emails are counted, not listed")
            #expect(try await implementerA.get("/admin/emails").status == .forbidden)
        }
    }
}
