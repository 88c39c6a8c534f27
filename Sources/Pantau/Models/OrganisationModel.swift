import Fluent
import Foundation
import PantauDomain

/// A K/L, CSO, parliament unit or international organisation; names are unique so each body exists once.
public final class OrganisationModel: Model, @unchecked Sendable {
    public static let schema = "organisations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @OptionalField(key: "acronym") public var acronym: String?
    @Field(key: "kind") public var kind: OrganisationKind
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, name: String, acronym: String?, kind: OrganisationKind) {
        self.id = id
        self.name = name
        self.acronym = acronym
        self.kind = kind
    }

    /// The acronym where there is one, as people say it ("ICW"), else the full name.
    public var shortName: String { acronym ?? name }
}
