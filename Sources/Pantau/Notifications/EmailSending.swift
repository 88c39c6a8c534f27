import Foundation
import Vapor

extension Application {
    private struct EmailOutboxKey: StorageKey { typealias Value = EmailOutbox }

    /// Set by `configure` when a mail server is configured.
    var emailOutbox: EmailOutbox? {
        get { storage[EmailOutboxKey.self] }
        set { storage[EmailOutboxKey.self] = newValue }
    }
}

/// The server's sender of notification emails: it checks the mail server at start, then sends what is due every few
/// seconds until the server stops.
public enum EmailSending {
    /// How often the sender looks for due messages.
    static let interval: Duration = .seconds(2)

    /// Checks the configured mail server: a refusal (wrong credentials, no STARTTLS) stops the start with the reason; a
    /// server that cannot be reached is logged, and the emails wait for it. Nothing configured: nothing to check.
    public static func check(_ app: Application) async throws {
        guard let outbox = app.emailOutbox else {
            app.logger.notice("No mail server (PANTAU_SMTP_HOST): notifications are listed in the app only.")
            return
        }
        do {
            try await outbox.client.check()
        } catch let error as SMTPError {
            if case .refused = error { throw ConfigurationError.invalidSMTP("PANTAU_SMTP_HOST", error.description) }
            app.logger.warning("Mail server \(outbox.client.settings.host):\(outbox.client.settings.port) not reachable now: \(error). Emails wait for it.")
        }
    }

    /// How often the server looks for reminders due on the app's clock.
    static let reminderInterval: Duration = .seconds(60)

    /// Starts writing the scheduled notifications (`Reminders`), with or without a mail server; cancel to stop.
    public static func startReminders(_ app: Application) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do {
                    try await Reminders.run(now: app.clock.now(), on: app.db)
                } catch {
                    app.logger.error("Writing reminders failed: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: reminderInterval)
            }
        }
    }

    /// Starts sending as the server `name` (its host and port: see `EmailOutbox.worker`); cancel the task to stop.
    public static func start(_ app: Application, name: String) -> Task<Void, Never>? {
        guard var named = app.emailOutbox else { return nil }
        named.worker = name
        app.emailOutbox = named
        let outbox = named
        return Task {
            while !Task.isCancelled {
                do {
                    // A full batch: there may be more waiting.
                    while try await outbox.sendDue(now: app.clock.now(), on: app.db) == EmailOutbox.batchSize, !Task.isCancelled {}
                } catch {
                    app.logger.error("Sending notification emails failed: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
