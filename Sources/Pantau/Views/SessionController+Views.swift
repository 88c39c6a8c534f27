import Fluent
import Vapor

extension SessionController {
    struct LoginPage: Encodable {
        let page: PageMeta
        let csrf: String
        let next: String
        let email: String
        let error: String?
    }
}
