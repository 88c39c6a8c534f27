import Fluent
import Foundation

/// One searchable public thing and where it is shown.
public final class SearchEntryModel: Model, @unchecked Sendable {
    public static let schema = "search_entries"

    @ID(key: .id) public var id: UUID?
    /// plan, commitment, measure, report, meeting
    @Field(key: "kind") public var kind: String
    @Field(key: "url") public var url: String
    @Field(key: "title") public var title: String
    @Field(key: "body") public var body: String
    @Field(key: "plan_code") public var planCode: String

    public init() {}

    init(kind: String, url: String, title: String, body: String, planCode: String) {
        self.id = UUID.random()
        self.kind = kind
        self.url = url
        self.title = title
        self.body = body
        self.planCode = planCode
    }
}
