import Vapor

/// Vapor's `FileMiddleware` for `Public/`, asked only about paths that can name a file there. Asked about a longer
/// one (a component over 255 bytes, or a path near 4 kB), the file system answers "name too long", which Vapor passes
/// on as an error and the visitor got 500; a NUL or other control character names no file either. Such a path goes
/// on to the routes, which answer 404 like for any other unknown address.
/// Future-based, as every middleware before the page cache (`configure.swift`); an address that is a route is no file.
struct PublicFileMiddleware: Middleware {
    /// NAME_MAX on Linux and macOS.
    static let maximumComponentLength = 255
    /// Far beyond any file in `Public/`, far below PATH_MAX.
    static let maximumPathLength = 1024

    private let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.route == nil, Self.canNameAFile(request.url.path) else { return next.respond(to: request) }
        return files.respond(to: request, chainingTo: next)
    }

    static func canNameAFile(_ path: String) -> Bool {
        guard let decoded = path.removingPercentEncoding else { return false }
        return decoded.utf8.count <= maximumPathLength
            && decoded.split(separator: "/").allSatisfy { $0.utf8.count <= maximumComponentLength }
            && !decoded.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
