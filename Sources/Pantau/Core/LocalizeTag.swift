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

/// `#url("name", value1, value2)` in a template: the address of the route `name` of `SiteURL` with its parameters.
/// A name no route has, or a wrong number of values, is an error of the template, found by the tests that render it.
struct SiteURLTag: LeafTag {
    func render(_ context: LeafContext) throws -> LeafData {
        guard let name = context.parameters.first?.string else {
            throw Abort(.internalServerError, reason: "#url needs a route name as its first parameter")
        }
        guard let address = context.application?.siteAddresses[name] else {
            throw Abort(.internalServerError, reason: "#url: no route is called \(name)")
        }
        let values = context.parameters.dropFirst().map { $0.string ?? "" }
        guard values.count == address.parameterCount else {
            throw Abort(.internalServerError, reason: "#url(\(name)) takes \(address.parameterCount) values, not \(values.count)")
        }
        return .string(address.fill(values))
    }
}

/// `<td#contentLang()>` in a template: ` lang="id"` on an element holding plan content when the page is in another
/// language, nothing when it is in the content's own. Only ever one of two constant strings, so it may go unescaped.
struct ContentLanguageTag: UnsafeUnescapedLeafTag {
    func render(_ context: LeafContext) throws -> LeafData {
        guard let request = context.request else {
            throw Abort(.internalServerError, reason: "#contentLang is only available while answering a request")
        }
        return .string(request.language == .content ? "" : " lang=\"\(Language.content.rawValue)\"")
    }
}
