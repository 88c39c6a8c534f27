import ArgumentParser
import Foundation
import Pantau
import Vapor

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write the evaluation report of a plan for a semester or a year, as HTML, JSON or CSV.")

    @ArgumentParser.Argument(help: "The plan's code, e.g. ran-ogi-2020-2022.") var plan: String
    @ArgumentParser.Option(help: "A semester: B06, B12, B18 or B24.") var period: String?
    @ArgumentParser.Option(help: "A calendar year, e.g. 2021 (the semesters ending in it).") var year: String?
    @ArgumentParser.Option(help: "html, json or csv.") var format: EvaluationFormat = .html
    @ArgumentParser.Option(help: "Where to write (default: <plan>-<period>.<format>; - for standard output).") var output: String?

    func run() async throws {
        try await CommandSupport.withApplication { app in
            try await app.autoMigrate()
            let (data, name) = try await EvaluationExport.render(planCode: plan, semester: period, year: year, format: format,
                                                                 language: CommandSupport.language, app: app)
            let destination = output ?? name
            if destination == "-" {
                FileHandle.standardOutput.write(data)
            } else {
                try data.write(to: URL(fileURLWithPath: destination), options: .atomic)
                CommandSupport.say(CommandSupport.text("cli.report_written", destination))
            }
        }
    }
}

extension EvaluationFormat: ExpressibleByArgument {}
