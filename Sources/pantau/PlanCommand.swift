import ArgumentParser
import Foundation
import Pantau
import Vapor

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Manage action plans.", subcommands: [Archive.self])

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Archive an adopted plan: it stays public and can no longer be changed. The reason is kept in its history.")

        @ArgumentParser.Argument(help: "The plan's code, for example ran-ogi-2020-2022.") var code: String
        @ArgumentParser.Option(help: "Why the plan is archived (its cycle ended, its region left).") var reason: String

        func run() async throws {
            try await CommandSupport.withApplication { app in
                try await app.autoMigrate()
                let actor = AuditActor(id: nil, name: "pantau plan archive (\(NSUserName()))")
                try await PlanArchive.archive(code: code, reason: reason, actor: actor, caller: nil, on: app.db, now: Date())
                CommandSupport.say(CommandSupport.text("plan.archived_notice", code))
            }
        }
    }
}
