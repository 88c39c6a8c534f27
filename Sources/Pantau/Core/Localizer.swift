import Foundation

/// The languages Pantau speaks; Indonesian is the default everywhere.
public enum Language: String, CaseIterable, Codable, Sendable {
    case id
    case en

    public static let `default` = Language.id

    public var other: Language { self == .id ? .en : .id }

    /// The language plans, reports, proposals, minutes and organisation names are written in: the plans' own.
    /// Pages in another language mark such text with it (WCAG 3.1.2, language of parts).
    public static let content = Language.id
}

/// An error whose message a person reads: a localisation key and the values to put in it.
public protocol LocalizableError: Error {
    var messageKey: String { get }
    var messageArguments: [String] { get }
}

/// Every user-facing string, per language, from `Resources/Localization/<language>.json`.
/// Messages take positional values written `{1}`, `{2}`, ...
public struct Localizer: Sendable {
    public let messages: [Language: [String: String]]

    public init(messages: [Language: [String: String]]) {
        self.messages = messages
    }

    /// Reads one JSON object of key → text per language from `directory`.
    public init(directory: String) throws {
        var messages: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("\(language.rawValue).json")
            let data = try Data(contentsOf: url)
            messages[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        self.init(messages: messages)
    }

    /// The text for `key`, falling back to Indonesian, then to the key itself so a gap is visible, not fatal.
    public func text(_ key: String, _ language: Language, _ arguments: [String] = []) -> String {
        var text = messages[language]?[key] ?? messages[.default]?[key] ?? key
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index + 1)}", with: argument)
        }
        return text
    }

    public func message(for error: any LocalizableError, _ language: Language) -> String {
        text(error.messageKey, language, error.messageArguments)
    }
}
