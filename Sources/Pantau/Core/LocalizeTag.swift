import Leaf
import Vapor

/// `#t("key")` or `#t("key", value1, value2)` in a template: the text in the request's language.
/// The output is escaped like any other value.
struct LocalizeTag: LeafTag {
    func render(_ context: LeafContext) throws -> LeafData {
        guard let key = context.parameters.first?.string else {
            throw Abort(.internalServerError, reason: "#t needs a localisation key as its first parameter")
        }
        let arguments = context.parameters.dropFirst().map { $0.string ?? "" }
        guard let request = context.request else {
            throw Abort(.internalServerError, reason: "#t is only available while answering a request")
        }
        return .string(request.application.localizer.text(key, request.language, Array(arguments)))
    }
}
