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
        let language: SelectField
        let digestHour: SelectField
        let kinds: [KindChoice]

        struct KindChoice: Encodable {
            let labelKey: String
            let field: SelectField
        }
    }

    struct TokenState: Codable, Sendable {
        let name: String
        let revoked: Bool
    }
}
