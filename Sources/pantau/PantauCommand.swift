import ArgumentParser
import Logging
import Pantau

@main
struct PantauCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pantau",
        abstract: "Pantau: co-create, monitor, evaluate and publish open-government action plans.",
        discussion: """
        Settings come from the environment: PANTAU_DATA_DIR (default ./data) holds the SQLite database; \
        DATABASE_URL=postgres://user:password@host:5432/db uses PostgreSQL instead; PANTAU_LANG=id|en \
        sets the language of messages (default id); LOG_LEVEL sets logging (default info).
        """,
        subcommands: [Serve.self, Migrate.self, UserCommand.self, Import.self, Export.self, ReportCommand.self, AuditCommand.self, PlanCommand.self,
                      BackupCommand.self, RestoreCommand.self]
    )

}
