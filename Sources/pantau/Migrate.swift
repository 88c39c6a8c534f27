import ArgumentParser
import Fluent
import Pantau
import Vapor

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending schema migrations, or revert the last batch with --revert.")

    @ArgumentParser.Flag(name: .long, help: "Revert the last batch of migrations instead.")
    var revert = false

    func run() async throws {
        try await CommandSupport.withApplication { app in try await StartLock.run(app) {
            // On a new database the migrations table does not exist yet; previews need it.
            try await app.migrator.setupIfNeeded().get()
            if revert {
                let batch = try await app.migrator.previewRevertLastBatch().get()
                try await app.migrator.revertLastBatch().get()
                CommandSupport.say(CommandSupport.text("cli.migrations_reverted", "\(batch.count)"))
                for (migration, _) in batch { CommandSupport.say("  - " + migration.name) }
            } else {
                let pending = try await app.migrator.previewPrepareBatch().get()
                try await app.autoMigrate()
                CommandSupport.say(CommandSupport.text("cli.migrations_applied", "\(pending.count)"))
                for (migration, _) in pending { CommandSupport.say("  + " + migration.name) }
            }
        } }
    }
}
