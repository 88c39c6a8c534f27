import Fluent
import Foundation
import Vapor

extension AccountController {
    struct TokenRow: Encodable {
        let id: String
        let name: String
        let createdAt: String
        let lastUsedAt: String
        let revoked: Bool
    }

    struct AccountPage: Encodable {
        let page: PageMeta
        let name: String
        let email: String
        let roleKey: String
        let organisation: String
        let tokens: [TokenRow]
        let newToken: String?
        /// The token name as typed when it was refused.
        let typedName: String
        let errors: FormErrors
        /// Notifications: the language, the digest hour, and the choice per kind.
        let languages: [Option]
        let digestHours: [Option]
        let kinds: [KindChoice]

        struct Option: Encodable {
            let value: String
            let label: String
            let selected: Bool
        }

        struct KindChoice: Encodable {
            let id: String
            let name: String
            let labelKey: String
            let options: [Option]
        }
    }

    struct TokenState: Codable, Sendable {
        let name: String
        let revoked: Bool
    }
}
