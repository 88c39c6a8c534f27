import ArgumentParser
import Foundation
import Pantau
import PantauDomain
import Vapor

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account. The password is asked for on a terminal, read from standard input otherwise, or generated with --generate-password and printed once.")

        @ArgumentParser.Option(help: "Full name.") var name: String
        @ArgumentParser.Option(help: "E-mail address, used to sign in.") var email: String
        @ArgumentParser.Option(help: "One of: secretariat, implementer, reviewer.") var role: UserRole
        @ArgumentParser.Option(help: "For an implementer: the organisation's name or acronym.") var organisation: String?
        @ArgumentParser.Flag(help: "Generate a random password and print it once.") var generatePassword = false

        func run() async throws {
            try await CommandSupport.withApplication { app in
                try await app.autoMigrate()
                let password = generatePassword ? AccountCreation.generatePassword() : try PasswordInput.read()
                let user = try await AccountCreation.create(name: name, email: email, role: role, organisation: organisation,
                                                            password: password, on: app.db)
                CommandSupport.say(CommandSupport.text("cli.user_created", user.email, user.role.rawValue))
                if generatePassword {
                    CommandSupport.say(CommandSupport.text("cli.password_once", password))
                }
            }
        }
    }
}

extension UserRole: ExpressibleByArgument {}

/// Reads a password without echo on a terminal (asked twice), or one line from a pipe.
enum PasswordInput {
    struct Mismatch: Error, LocalizableError {
        var messageKey: String { "cli.password_mismatch" }
        var messageArguments: [String] { [] }
    }

    static func read() throws -> String {
        guard isatty(STDIN_FILENO) != 0 else { return readLine(strippingNewline: true) ?? "" }
        let first = prompt(CommandSupport.text("cli.password_prompt"))
        let second = prompt(CommandSupport.text("cli.password_repeat"))
        guard first == second else { throw Mismatch() }
        return first
    }

    private static func prompt(_ text: String) -> String {
        FileHandle.standardError.write(Data((text + " ").utf8))
        var settings = termios()
        tcgetattr(STDIN_FILENO, &settings)
        let saved = settings
        settings.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        defer {
            var restore = saved
            tcsetattr(STDIN_FILENO, TCSANOW, &restore)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
