import Fluent
import Foundation

/// One searchable public thing and where it is shown.
public final class SearchEntryModel: Model, @unchecked Sendable {
    public static let schema = "search_entries"

    @ID(key: .id) public var id: UUID?
    /// plan, commitment, measure (with its targets), report, meeting (`SearchIndex.Kind`)
    @Field(key: "kind") public var kind: String
    @Field(key: "url") public var url: String
    @Field(key: "title") public var title: String
    @Field(key: "body") public var body: String
    @Field(key: "plan_code") public var planCode: String
    /// The stems of the title's and the body's words (`SearchTerms`): what is matched, on either database.
    @Field(key: "title_terms") public var titleTerms: String
    @Field(key: "body_terms") public var bodyTerms: String

    public init() {}

    init(kind: SearchIndex.Kind, url: String, title: String, body: String, planCode: String, terms: inout SearchTerms) {
        self.id = UUID.random()
        self.kind = kind.rawValue
        self.url = url
        self.title = title
        self.body = body
        self.planCode = planCode
        self.titleTerms = terms.indexed(title)
        self.bodyTerms = terms.indexed(body)
    }
}
