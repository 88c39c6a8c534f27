import Fluent
import Foundation
import PantauDomain

/// Moves scoring schemes between the domain and the database.
enum SchemeStore {
    static func insert(_ scheme: ScoringScheme, on database: any Database) async throws {
        let model = ScoringSchemeModel(code: scheme.code, nameID: scheme.labels["id"] ?? scheme.code,
                                       nameEN: scheme.labels["en"] ?? scheme.code)
        try await model.create(on: database)
        let schemeID = try model.requireID()
        for (position, category) in scheme.allCategories.enumerated() {
            let isNotApplicable = category == scheme.notApplicable
            try await ScoreCategoryModel(
                schemeID: schemeID, code: category.code,
                labelID: category.labels["id"] ?? category.code, labelEN: category.labels["en"] ?? category.code,
                minScore: category.minScore, maxScore: category.maxScore,
                isNotApplicable: isNotApplicable, position: position
            ).create(on: database)
        }
    }

    /// Rebuilds the domain scheme, which re-checks that its bands cover 0-100 exactly once.
    static func domainScheme(_ model: ScoringSchemeModel, categories: [ScoreCategoryModel]) throws -> ScoringScheme {
        func category(_ row: ScoreCategoryModel) -> ScoreCategory {
            ScoreCategory(code: row.code, labels: ["id": row.labelID, "en": row.labelEN], minScore: row.minScore, maxScore: row.maxScore)
        }
        let sorted = categories.sorted { $0.position < $1.position }
        guard let notApplicable = sorted.first(where: \.isNotApplicable) else { throw ScoringSchemeError.noCategories }
        return try ScoringScheme(
            code: model.code,
            labels: ["id": model.nameID, "en": model.nameEN],
            categories: sorted.filter { !$0.isNotApplicable }.map(category),
            notApplicable: category(notApplicable)
        )
    }

    static func find(code: String, on database: any Database) async throws -> ScoringSchemeModel? {
        try await ScoringSchemeModel.query(on: database).filter(\.$code == code).with(\.$categories).first()
    }
}
