import ArgumentParser
import Foundation
import Pantau
import Vapor

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write the whole database and every evidence file into one archive; safe while the server runs.")

    @ArgumentParser.Option(help: "The archive to write (a .zip file; it must not exist yet).") var output: String

    func run() async throws {
        try await CommandSupport.withApplication { app in
            let summary = try await Backup.write(to: output, app: app)
            CommandSupport.say(CommandSupport.text("cli.backup_written", output, "\(summary.tables)", "\(summary.rows)",
                                                   "\(summary.evidenceFiles)", "\(summary.auditEntries)"))
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup archive into an empty database and data folder (SQLite or PostgreSQL, whichever the backup came from).")

    @ArgumentParser.Argument(help: "The archive written by pantau backup.") var archive: String

    func run() async throws {
        try await CommandSupport.withApplication { app in
            let summary = try await Restore.run(from: archive, app: app)
            CommandSupport.say(CommandSupport.text("cli.restored", archive, "\(summary.tables)", "\(summary.rows)",
                                                   "\(summary.evidenceFiles)", "\(summary.auditEntries)"))
        }
    }
}
