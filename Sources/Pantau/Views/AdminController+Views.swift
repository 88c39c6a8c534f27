import Fluent
import Foundation
import PantauDomain
import Vapor

extension AdminController {
    /// What the audit history keeps of an organisation.
    struct OrganisationState: Codable, Sendable {
        let name: String
        let acronym: String?
        let kind: OrganisationKind
    }
}
