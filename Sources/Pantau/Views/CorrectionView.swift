import Foundation
import PantauDomain
import Vapor

/// A correction of a published result as pages show it: when (WIB), by whom, why, and the result before and after.
struct CorrectionView: Encodable {
    let at: String
    let by: String
    let reason: String
    let before: String
    let after: String

    init(_ model: ResultCorrectionModel, scheme: ScoringScheme, request: Request) {
        at = Formatting.jakartaTime(model.madeAt)
        by = model.madeBy
        reason = model.reason
        before = Self.describe(model.beforeValue, scheme: scheme, localizer: request.application.localizer, language: request.language)
        after = Self.describe(model.afterValue, scheme: scheme, localizer: request.application.localizer, language: request.language)
    }

    /// "80 · Baik · Aktif", "N/A", or "–" for no result.
    static func describe(_ value: CorrectedValue?, scheme: ScoringScheme, localizer: Localizer, language: Language) -> String {
        guard let value else { return "–" }
        var parts: [String] = []
        if value.notApplicable {
            parts.append(scheme.notApplicable.labels[language.rawValue] ?? "N/A")
        } else if let score = value.score {
            parts.append(String(score))
            if let code = value.category, let category = scheme.allCategories.first(where: { $0.code == code }) {
                parts.append(category.labels[language.rawValue] ?? code)
            }
        }
        if let rating = value.coCreationRating { parts.append(localizer.text("rating." + rating.rawValue, language)) }
        return parts.isEmpty ? "–" : parts.joined(separator: " · ")
    }
}
