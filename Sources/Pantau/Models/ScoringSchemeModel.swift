import Fluent
import Foundation

/// A plan's scoring scheme as stored: its categories live in `score_categories`.
public final class ScoringSchemeModel: Model, @unchecked Sendable {
    public static let schema = "scoring_schemes"

    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "name_id") public var nameID: String
    @Field(key: "name_en") public var nameEN: String
    @Children(for: \.$scheme) public var categories: [ScoreCategoryModel]

    public init() {}

    public init(id: UUID? = nil, code: String, nameID: String, nameEN: String) {
        self.id = id
        self.code = code
        self.nameID = nameID
        self.nameEN = nameEN
    }
}

/// One band of a scheme; `is_not_applicable` marks the N/A pseudo-category, which has no range.
public final class ScoreCategoryModel: Model, @unchecked Sendable {
    public static let schema = "score_categories"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "scheme_id") public var scheme: ScoringSchemeModel
    @Field(key: "code") public var code: String
    @Field(key: "label_id") public var labelID: String
    @Field(key: "label_en") public var labelEN: String
    @Field(key: "min_score") public var minScore: Int
    @Field(key: "max_score") public var maxScore: Int
    @Field(key: "is_not_applicable") public var isNotApplicable: Bool
    @Field(key: "position") public var position: Int

    public init() {}

    public init(schemeID: UUID, code: String, labelID: String, labelEN: String, minScore: Int, maxScore: Int,
                isNotApplicable: Bool, position: Int) {
        self.$scheme.id = schemeID
        self.code = code
        self.labelID = labelID
        self.labelEN = labelEN
        self.minScore = minScore
        self.maxScore = maxScore
        self.isNotApplicable = isNotApplicable
        self.position = position
    }
}
