import Foundation

/// OGP's scale for how far a commitment is implemented, as its Independent Reporting Mechanism rates completion.
public enum CompletionRating: String, CaseIterable, Codable, Sendable {
    case notStarted = "not_started"
    case limited
    case substantial
    case complete
}

/// An independent monitor's assessment of one commitment in one semester: a rating on the completion scale and the
/// text that explains it. It stands beside the secretariat's score and never changes it.
public struct MonitorAssessment: Sendable, Equatable {
    public static let maximumTextLength = 10_000

    public let rating: CompletionRating
    public let text: String

    public enum Problem: Error, Sendable, Equatable {
        case ratingRequired
        case unknownRating(String)
        case textRequired
        case textTooLong(Int)

        public var messageKey: String {
            switch self {
            case .ratingRequired: "monitoring.rating_required"
            case .unknownRating: "monitoring.rating_unknown"
            case .textRequired: "monitoring.text_required"
            case .textTooLong: "monitoring.text_too_long"
            }
        }

        /// The form field the problem is about.
        public var field: String {
            switch self {
            case .ratingRequired, .unknownRating: "rating"
            case .textRequired, .textTooLong: "text"
            }
        }
    }

    /// `rating` as sent (the scale's code), `text` as typed: both are required, the text at most 10,000 characters.
    public init(rating: String?, text: String?) throws {
        let code = (rating ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !code.isEmpty else { throw Problem.ratingRequired }
        guard let rating = CompletionRating(rawValue: code) else { throw Problem.unknownRating(code) }
        let text = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw Problem.textRequired }
        guard text.count <= Self.maximumTextLength else { throw Problem.textTooLong(text.count) }
        self.rating = rating
        self.text = text
    }

    public init(stored rating: CompletionRating, text: String) {
        self.rating = rating
        self.text = text
    }
}
