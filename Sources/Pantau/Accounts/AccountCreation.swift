import Fluent
import Foundation
import PantauDomain
import Vapor

public enum AccountError: Error, Equatable, LocalizableError {
    case invalidEmail(String)
    case emailTaken(String)
    case emptyName
    case organisationRequired
    case organisationNotAllowed(UserRole)
    case organisationNotFound(String)
    case passwordTooShort(minimum: Int)

    public var messageKey: String {
        switch self {
        case .invalidEmail: "account.invalid_email"
        case .emailTaken: "account.email_taken"
        case .emptyName: "account.empty_name"
        case .organisationRequired: "account.organisation_required"
        case .organisationNotAllowed: "account.organisation_not_allowed"
        case .organisationNotFound: "account.organisation_not_found"
        case .passwordTooShort: "account.password_too_short"
        }
    }

    public var messageArguments: [String] {
        switch self {
        case .invalidEmail(let value), .emailTaken(let value), .organisationNotFound(let value): [value]
        case .organisationNotAllowed(let role): [role.rawValue]
        case .passwordTooShort(let minimum): ["\(minimum)"]
        case .emptyName, .organisationRequired: []
        }
    }
}

/// Creates accounts with the rules every path (command line, later the pages) must share.
public enum AccountCreation {
    public static let minimumPasswordLength = 12

    /// `organisation` is matched by full name or acronym, ignoring case.
    @discardableResult
    public static func create(name: String, email: String, role: UserRole, organisation: String?, password: String,
                              on database: any Database) async throws -> UserModel {
        _ = try checked(name: name, email: email, password: password)
        var organisationID: UUID?
        switch (role.needsOrganisation, organisation?.trimmingCharacters(in: .whitespaces)) {
        case (true, nil), (true, ""):
            throw AccountError.organisationRequired
        case (false, .some(let given)) where !given.isEmpty:
            throw AccountError.organisationNotAllowed(role)
        case (true, .some(let given)):
            guard let found = try await findOrganisation(given, on: database) else { throw AccountError.organisationNotFound(given) }
            organisationID = try found.requireID()
        default:
            organisationID = nil
        }
        return try await create(name: name, email: email, role: role, organisationID: organisationID, password: password, on: database)
    }

    /// The same with the organisation already found (the secretariat's form finds it by `OrganisationMatch`).
    static func create(name: String, email: String, role: UserRole, organisationID: UUID?, password: String,
                       on database: any Database) async throws -> UserModel {
        let (name, email) = try checked(name: name, email: email, password: password)
        try checkOrganisation(organisationID, of: role)
        if try await UserModel.query(on: database).filter(\.$email == email).count() > 0 {
            throw AccountError.emailTaken(email)
        }
        let user = UserModel(name: name, email: email, passwordHash: try Bcrypt.hash(password), role: role,
                             organisationID: organisationID)
        try await user.create(on: database)
        return user
    }

    /// Changes an account's name, role and organisation under the rules it was created with (not saved here).
    static func update(_ user: UserModel, name: String, role: UserRole, organisationID: UUID?) throws {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AccountError.emptyName }
        try checkOrganisation(organisationID, of: role)
        user.name = name
        user.role = role
        user.$organisation.id = organisationID
    }

    /// An implementer belongs to exactly one organisation; the other roles to none.
    static func checkOrganisation(_ organisationID: UUID?, of role: UserRole) throws {
        if role.needsOrganisation, organisationID == nil { throw AccountError.organisationRequired }
        if !role.needsOrganisation, organisationID != nil { throw AccountError.organisationNotAllowed(role) }
    }

    /// The name and e-mail as they are stored (trimmed, the address lowercased), or the first rule they break.
    private static func checked(name: String, email: String, password: String) throws -> (name: String, email: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !name.isEmpty else { throw AccountError.emptyName }
        guard isPlausibleEmail(email) else { throw AccountError.invalidEmail(email) }
        guard password.count >= minimumPasswordLength else { throw AccountError.passwordTooShort(minimum: minimumPasswordLength) }
        return (name, email)
    }

    /// A random password of 20 letters and digits, without look-alikes (0/O, 1/l/I), for printing once.
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static func findOrganisation(_ nameOrAcronym: String, on database: any Database) async throws -> OrganisationModel? {
        let wanted = nameOrAcronym.lowercased()
        // Organisations number in the hundreds: matching in memory keeps the rule the same on both databases.
        return try await OrganisationModel.query(on: database).all().first {
            $0.name.lowercased() == wanted || $0.acronym?.lowercased() == wanted
        }
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !email.contains(where: \.isWhitespace)
    }
}
