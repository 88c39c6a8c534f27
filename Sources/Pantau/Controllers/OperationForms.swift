import Foundation
import PantauDomain
import Vapor

// One input type per operation, read by the page (an HTML form: every value is text, a ticked box is "on") and by the
// API (JSON: numbers and booleans), so that both apply the same rules and give the same errors.

/// A score for a handed-in report: points, or not applicable with a reason.
struct ScoreForm: Decodable {
    let score: Int?
    let notApplicable: Bool
    let reason: String?
    /// Required once the semester is published: the score is then a correction.
    let correctionReason: String?

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        notApplicable = try fields.flexibleBool(.notApplicable)
        score = notApplicable ? nil : try fields.flexibleInt(.score, invalidKey: "score.not_a_number")
        reason = try fields.decodeIfPresent(String.self, forKey: .reason)
        correctionReason = try fields.decodeIfPresent(String.self, forKey: .correctionReason)
        if !notApplicable, score == nil { throw AppError.invalid(key: "score.not_a_number", arguments: [""]) }
    }

    enum CodingKeys: String, CodingKey { case score, notApplicable, reason, correctionReason }
}

/// A message on a report's thread: a clarification question, an answer, or a staff note.
struct MessageForm: Content {
    let body: String
}

/// A semester's reporting and verification windows, four ISO days.
struct WindowForm: Content {
    let reportOpens: String
    let reportCloses: String
    let verifyOpens: String
    let verifyCloses: String

    func window() throws -> ReportingWindow {
        let days = try [reportOpens, reportCloses, verifyOpens, verifyCloses].map {
            try CalendarDay(iso: $0.trimmingCharacters(in: .whitespaces)).orThrow(AppError.invalid(key: "form.invalid_day", arguments: [$0]))
        }
        do {
            return try ReportingWindow(reportOpens: days[0], reportCloses: days[1], verifyOpens: days[2], verifyCloses: days[3])
        } catch let problem as ReportingWindow.Problem {
            throw AppError.invalid(key: problem.rawValue, arguments: [])
        }
    }
}

/// A commitment's assessment for a period: an override of its score with a reason, a co-creation rating and its justification.
struct AssessmentForm: Decodable {
    let scoreOverride: Int?
    let overrideReason: String
    let rating: CoCreationRating?
    let justification: String
    /// Required once the period is published: the change is then a correction.
    let correctionReason: String

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        scoreOverride = try fields.flexibleInt(.scoreOverride, invalidKey: "score.not_a_number")
        overrideReason = try fields.decodeIfPresent(String.self, forKey: .overrideReason) ?? ""
        let ratingText = try fields.decodeIfPresent(String.self, forKey: .rating) ?? ""
        if ratingText.isEmpty {
            rating = nil
        } else {
            rating = try CoCreationRating(rawValue: ratingText).orThrow(AppError.invalid(key: "assessment.unknown_rating", arguments: [ratingText]))
        }
        justification = try fields.decodeIfPresent(String.self, forKey: .justification) ?? ""
        correctionReason = try fields.decodeIfPresent(String.self, forKey: .correctionReason) ?? ""
    }

    func assessment() throws -> Assessment {
        try Assessment(scoreOverride: scoreOverride, overrideReason: overrideReason, rating: rating, justification: justification)
    }

    enum CodingKeys: String, CodingKey { case scoreOverride, overrideReason, rating, justification, correctionReason }
}

/// Publishing a semester or a year; the reason is needed when the check found anything incomplete.
struct PublishForm: Content {
    /// The page's "I have read the check" box; the API confirms by calling.
    let confirm: String?
    let reason: String?
}

extension KeyedDecodingContainer {
    /// A whole number sent as JSON or as form text; empty text is no number.
    func flexibleInt(_ key: Key, invalidKey: String) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let number = try? decode(Int.self, forKey: key) { return number }
        let text = try decode(String.self, forKey: key).trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        return try Int(text).orThrow(AppError.invalid(key: invalidKey, arguments: [text]))
    }

    /// A yes or no sent as a JSON boolean or as a ticked box ("on", "true").
    func flexibleBool(_ key: Key) throws -> Bool {
        guard contains(key), try !decodeNil(forKey: key) else { return false }
        if let value = try? decode(Bool.self, forKey: key) { return value }
        return ["on", "true", "1", "ya", "yes"].contains(try decode(String.self, forKey: key).lowercased())
    }
}
