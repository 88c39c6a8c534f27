import Fluent
import Foundation
import PantauDomain
import Vapor

extension AdminController {
    /// What the audit history keeps of an account: never its password or hash.
    struct UserState: Codable, Sendable {
        let name: String
        let email: String
        let role: UserRole
        let organisationID: UUID?
        let active: Bool
        /// Absent in entries written before accounts were given plans.
        var allPlans: Bool?
        var plans: [String]?
    }
}
