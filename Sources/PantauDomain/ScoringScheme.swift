/// A score the secretariat gives a target: 0 to 100, or not applicable (with a reason kept elsewhere).
public enum Score: Hashable, Sendable {
    case points(Int)
    case notApplicable

    public static let range = 0...100
}

/// A named band of scores in a scheme, such as OGI's `baik` for 70-100.
public struct ScoreCategory: Hashable, Codable, Sendable {
    /// Stable identifier used in data and the API, such as `baik`.
    public let code: String
    /// The name in each language, keyed by language code (`id`, `en`).
    public let labels: [String: String]
    public let minScore: Int
    public let maxScore: Int

    public init(code: String, labels: [String: String], minScore: Int, maxScore: Int) {
        self.code = code
        self.labels = labels
        self.minScore = minScore
        self.maxScore = maxScore
    }

    public func contains(_ points: Int) -> Bool { (minScore...maxScore).contains(points) }
}

public enum ScoringSchemeError: Error, Equatable, Sendable {
    case scoreOutOfRange(Int)
    case noCategories
    case invalidRange(category: String)
    case overlap(String, String)
    case gap(after: Int)
    case doesNotCover(min: Int, max: Int)
    case duplicateCode(String)
}

/// How a plan turns scores into categories. It is data: each programme brings its own bands.
public struct ScoringScheme: Hashable, Codable, Sendable {
    public let code: String
    public let labels: [String: String]
    /// Ordered from the highest band to the lowest.
    public let categories: [ScoreCategory]
    /// The pseudo-category for scores that cannot be measured.
    public let notApplicable: ScoreCategory

    /// Checks that the bands cover 0-100 exactly once each, so every score lands in exactly one category.
    public init(code: String, labels: [String: String], categories: [ScoreCategory], notApplicable: ScoreCategory) throws {
        guard !categories.isEmpty else { throw ScoringSchemeError.noCategories }
        var seen = Set<String>([notApplicable.code])
        for category in categories {
            guard category.minScore <= category.maxScore else { throw ScoringSchemeError.invalidRange(category: category.code) }
            guard seen.insert(category.code).inserted else { throw ScoringSchemeError.duplicateCode(category.code) }
        }
        let ascending = categories.sorted { $0.minScore < $1.minScore }
        guard ascending.first!.minScore == Score.range.lowerBound, ascending.last!.maxScore == Score.range.upperBound else {
            throw ScoringSchemeError.doesNotCover(min: Score.range.lowerBound, max: Score.range.upperBound)
        }
        for (lower, upper) in zip(ascending, ascending.dropFirst()) {
            if upper.minScore <= lower.maxScore { throw ScoringSchemeError.overlap(lower.code, upper.code) }
            if upper.minScore > lower.maxScore + 1 { throw ScoringSchemeError.gap(after: lower.maxScore) }
        }
        self.code = code
        self.labels = labels
        self.categories = ascending.reversed()
        self.notApplicable = notApplicable
    }

    /// The category a score belongs to under this scheme.
    public func category(for score: Score) throws -> ScoreCategory {
        switch score {
        case .notApplicable:
            return notApplicable
        case .points(let points):
            guard Score.range.contains(points) else { throw ScoringSchemeError.scoreOutOfRange(points) }
            // The initialiser guarantees full coverage, so a match always exists.
            return categories.first { $0.contains(points) }!
        }
    }

    /// Every category in display order, N/A last.
    public var allCategories: [ScoreCategory] { categories + [notApplicable] }

    /// Open Government Indonesia's scheme: 70-100 Baik, 51-69 Cukup, 0-50 Kurang, N/A.
    public static let ogi = try! ScoringScheme(
        code: "ogi",
        labels: ["id": "Skema penilaian OGI", "en": "OGI scoring scheme"],
        categories: [
            ScoreCategory(code: "baik", labels: ["id": "Baik", "en": "Good"], minScore: 70, maxScore: 100),
            ScoreCategory(code: "cukup", labels: ["id": "Cukup", "en": "Fair"], minScore: 51, maxScore: 69),
            ScoreCategory(code: "kurang", labels: ["id": "Kurang", "en": "Poor"], minScore: 0, maxScore: 50),
        ],
        notApplicable: ScoreCategory(code: "na", labels: ["id": "N/A", "en": "N/A"], minScore: 0, maxScore: 0)
    )
}
