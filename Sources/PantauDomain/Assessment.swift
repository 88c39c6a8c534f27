import Foundation

/// The secretariat's assessment of a commitment for a period (a semester or a year): an optional override of
/// its score, with a reason, and its co-creation rating, with a justification.
public struct Assessment: Hashable, Sendable {
    public let scoreOverride: Int?
    public let overrideReason: String
    public let rating: CoCreationRating?
    public let justification: String

    public enum Problem: Error, Sendable, Equatable {
        case scoreOutOfRange(Int)
        case overrideReasonRequired
        case justificationRequired

        public var messageKey: String {
            switch self {
            case .scoreOutOfRange: "score.out_of_range"
            case .overrideReasonRequired: "assessment.override_reason_required"
            case .justificationRequired: "assessment.justification_required"
            }
        }
    }

    /// Checks the rules: an override is a score with a reason, a rating comes with its justification.
    /// A reason without an override, or a justification without a rating, is dropped.
    public init(scoreOverride: Int?, overrideReason: String, rating: CoCreationRating?, justification: String) throws {
        let overrideReason = overrideReason.trimmingCharacters(in: .whitespacesAndNewlines)
        let justification = justification.trimmingCharacters(in: .whitespacesAndNewlines)
        if let scoreOverride {
            guard Score.range.contains(scoreOverride) else { throw Problem.scoreOutOfRange(scoreOverride) }
            guard !overrideReason.isEmpty else { throw Problem.overrideReasonRequired }
        }
        if rating != nil, justification.isEmpty { throw Problem.justificationRequired }
        self.scoreOverride = scoreOverride
        self.overrideReason = scoreOverride == nil ? "" : overrideReason
        self.rating = rating
        self.justification = rating == nil ? "" : justification
    }

    /// An assessment as it was stored (checked when it was saved).
    public init(stored scoreOverride: Int?, overrideReason: String, rating: CoCreationRating?, justification: String) {
        self.scoreOverride = scoreOverride
        self.overrideReason = overrideReason
        self.rating = rating
        self.justification = justification
    }

    public static let none = Assessment(stored: nil, overrideReason: "", rating: nil, justification: "")
}

/// A change to a published result, as the public sees it.
public struct CorrectedValue: Hashable, Codable, Sendable {
    /// The score: a target's points, or a commitment's final score.
    public let score: Int?
    public let notApplicable: Bool
    /// The category code under the plan's scheme.
    public let category: String?
    /// A commitment's co-creation rating; nil for a target.
    public let coCreationRating: CoCreationRating?

    public init(score: Int?, notApplicable: Bool = false, category: String?, coCreationRating: CoCreationRating? = nil) {
        self.score = score
        self.notApplicable = notApplicable
        self.category = category
        self.coCreationRating = coCreationRating
    }
}
