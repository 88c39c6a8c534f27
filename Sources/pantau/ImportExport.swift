import ArgumentParser
import Foundation
import Pantau
import PantauDomain
import Vapor

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a plan from a JSON, CSV or XLSX file. Nothing is written unless the whole file is valid.")

    @ArgumentParser.Argument(help: "The files to import, each one plan, each in its own transaction.") var files: [String]
    @ArgumentParser.Option(help: "json, csv or xlsx (default: from the file name or its content).") var format: PlanFileFormat?
    @ArgumentParser.Flag(help: "Replace an existing plan with the same code, if it is a draft.") var replace = false
    @ArgumentParser.Flag(help: "Import the plan as a draft (it can be replaced later).") var draft = false
    @ArgumentParser.Option(help: "The jurisdiction the plans belong to, made if there is none of that name (default: the national one).")
    var jurisdiction: String?
    @ArgumentParser.Option(help: "Its kind when it is made: province, regency or city.") var jurisdictionKind: JurisdictionKind?

    func run() async throws {
        // The first file is read and checked while the application starts and migrates: for a big plan each takes a
        // while. Its errors are reported only once the migrations are done, never in the middle of one.
        let format = self.format
        let firstFile = files.first.map { file in Task.detached { Result { try Self.read(file, format: format) } } }
        try await CommandSupport.withApplication { app in
            try await app.autoMigrate()
            var jurisdictionID: UUID?
            if let jurisdiction {
                do {
                    jurisdictionID = try await JurisdictionModel.findOrCreate(name: jurisdiction, kind: jurisdictionKind,
                                                                             actor: AuditActor(id: nil, name: "pantau import (\(NSUserName()))"),
                                                                             on: app.db).requireID()
                } catch {
                    throw AppError.withoutField(error)
                }
            }
            for (index, file) in files.enumerated() {
                let read = if index == 0, let firstFile { try await firstFile.value.get() } else { try Self.read(file, format: format) }
                try await importFile(file, read, jurisdictionID: jurisdictionID, app: app)
            }
        }
    }

    /// A file read and checked, and the progress line it showed.
    private struct Read: Sendable {
        let document: PlanDocument
        let progress: TerminalProgress
    }

    /// Reads and checks a file; needs no application. A file with problems is reported, and the command ends, by the caller.
    private static func read(_ file: String, format: PlanFileFormat?) throws -> Read {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw FileUnreadable(path: file)
        }
        let format = format ?? PlanFileFormat.detect(fileName: file, data: data)
        let progress = TerminalProgress()
        do {
            let document = try PlanFiles.decode(data, as: format, maximumSize: PlanFiles.commandLineMaximumSize) { rows in
                progress.show(CommandSupport.text("cli.import_reading", "\(rows)"))
            }
            return Read(document: document, progress: progress)
        } catch {
            progress.finish()
            throw error
        }
    }

    private func importFile(_ file: String, _ read: Read, jurisdictionID: UUID?, app: Application) async throws {
        let (document, progress) = (read.document, read.progress)
        do {
            let actor = AuditActor(id: nil, name: "pantau import (\(NSUserName()))")
            try await PlanImport.run(document, status: draft ? .draft : .adopted, replacingDraft: replace,
                                     sourceFile: URL(fileURLWithPath: file).lastPathComponent, actor: actor, jurisdictionID: jurisdictionID,
                                     on: app.db) { done, total in
                progress.show(CommandSupport.text("cli.import_writing", "\(done)", "\(total)"))
            }
        } catch let error as InvalidPlanError {
            progress.finish()
            CommandSupport.report(PlanImportError(error.problems.map {
                ImportProblem(location: $0.location, key: $0.kind.rawValue, arguments: [$0.value])
            }))
        }
        progress.finish()
        let targets = document.commitments.flatMap(\.goals).flatMap(\.measures).flatMap(\.targets).count
        CommandSupport.say(CommandSupport.text("cli.imported", document.code, "\(document.commitments.count)", "\(targets)"))
    }

    struct FileUnreadable: Error, LocalizableError {
        let path: String
        var messageKey: String { "cli.file_unreadable" }
        var messageArguments: [String] { [path] }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a plan as JSON (every field), CSV or XLSX (one row per target).")

    @ArgumentParser.Argument(help: "The plan's code, e.g. ran-ogi-2020-2022.") var plan: String
    @ArgumentParser.Option(help: "json, csv or xlsx.") var format: PlanFileFormat = .json
    @ArgumentParser.Option(help: "Where to write (default: <plan>.<format> in the current folder; - for standard output).") var output: String?

    func run() async throws {
        try await CommandSupport.withApplication { app in
            let document = try await PlanReader.document(code: plan, on: app.db)
            let data = try PlanFiles.encode(document, as: format)
            let destination = output ?? "\(plan).\(format.rawValue)"
            if destination == "-" {
                FileHandle.standardOutput.write(data)
            } else {
                try data.write(to: URL(fileURLWithPath: destination), options: .atomic)
                CommandSupport.say(CommandSupport.text("cli.exported", plan, destination))
            }
        }
    }
}

extension PlanFileFormat: ExpressibleByArgument {}

/// A one-line progress message that rewrites itself on a terminal and stays silent in pipes and logs.
final class TerminalProgress: @unchecked Sendable {
    private let enabled = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var shown = false

    func show(_ text: String) {
        guard enabled else { return }
        lock.withLock {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
            shown = true
        }
    }

    func finish() {
        lock.withLock {
            if shown { FileHandle.standardError.write(Data("\n".utf8)) }
            shown = false
        }
    }
}
extension JurisdictionKind: ExpressibleByArgument {}
