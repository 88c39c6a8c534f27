import ArgumentParser
import Foundation
import Pantau
import Vapor

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit history.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every link of the hash chain; report the first broken one and exit 1 if there is one.")

        func run() async throws {
            try await CommandSupport.withApplication { app in
                try await app.autoMigrate()
                let result = try await AuditLog.verify(on: app.db)
                if let broken = result.broken {
                    FileHandle.standardError.write(Data((CommandSupport.text("cli.audit_broken", "\(broken.sequence)",
                        CommandSupport.text("audit.broken." + broken.reason.rawValue)) + "\n").utf8))
                    throw ExitCode(1)
                }
                CommandSupport.say(CommandSupport.text("cli.audit_intact", "\(result.entries)"))
            }
        }
    }
}
