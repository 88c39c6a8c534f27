import ArgumentParser
import Foundation
import Logging
import Pantau
import Vapor

/// What every command shares: one configured application, localised messages, and one-line errors.
enum CommandSupport {
    static let language: Language = ProcessInfo.processInfo.environment["PANTAU_LANG"].flatMap(Language.init(rawValue:)) ?? .default

    static let localizer: Localizer? = try? Localizer(directory: PantauApplication.resourceRoot() + "Resources/Localization")

    static func text(_ key: String, _ arguments: String...) -> String {
        localizer?.text(key, language, arguments) ?? key
    }

    /// `LOG_LEVEL` wins; otherwise the server logs requests (info) and one-shot commands log only
    /// what is critical, since their outcome is the one line they print.
    private static func bootstrapLogging(defaultLevel: Logger.Level) {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return EscapingLogHandler(handler)
        }
    }

    /// Runs `body` with a configured application and shuts it down after; any error becomes one
    /// localised line on standard error and exit status 1.
    static func withApplication(logLevel: Logger.Level = .critical, _ body: (Application) async throws -> Void) async throws {
        bootstrapLogging(defaultLevel: logLevel)
        do {
            let app = try await PantauApplication.make(try AppConfiguration.fromEnvironment())
            do {
                try await body(app)
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            fail(error)
        }
    }

    /// An import's every problem, one per line, then exit status 1.
    static func report(_ error: PlanImportError) -> Never {
        let lines = localizer?.describe(error, language) ?? [String(describing: error)]
        FileHandle.standardError.write(Data((text("cli.error_prefix") + " " + lines.joined(separator: "\n") + "\n").utf8))
        Foundation.exit(1)
    }

    static func fail(_ error: any Error) -> Never {
        if let error = error as? PlanImportError { report(error) }
        FileHandle.standardError.write(Data((text("cli.error_prefix") + " " + describe(error) + "\n").utf8))
        Foundation.exit(1)
    }

    /// One line for a person: our errors are localised; others keep only their first line.
    static func describe(_ error: any Error) -> String {
        let error = AppError.withoutField(error)
        if let error = error as? any LocalizableError, let localizer {
            return localizer.message(for: error, language)
        }
        let description = String(describing: error)
        let details = String(reflecting: error)
        if details.contains("Connection refused") || details.contains("connectionError") {
            return text("cli.database_unreachable")
        }
        if let server = DatabaseErrorText.serverMessage(of: error) { return server }
        return description.split(separator: "\n").first.map(String.init) ?? description
    }

    /// Written straight to the file descriptor: a pipe or log must see the line at once, not when a buffer fills.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

extension Language: ExpressibleByArgument {}
