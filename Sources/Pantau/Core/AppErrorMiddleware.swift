import Vapor

/// Turns every error into a localised answer: JSON under `/api/`, a page elsewhere. Never a stack trace.
/// Future-based rather than `AsyncMiddleware` (as every middleware before the page cache, `configure.swift`): an answer
/// that throws nothing passes on the event loop without a task of its own; only an error is handled in one.
struct AppErrorMiddleware: Middleware {
    struct ErrorBody: Content {
        struct Detail: Content {
            let status: Int
            let code: String
            let message: String
        }
        let error: Detail
        /// For an import: every problem in the file.
        let problems: [String]?
    }

    struct ErrorPage: Encodable {
        let page: PageMeta
        let status: Int
        let message: String
        let problems: [String]
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            request.eventLoop.makeFutureWithTask { try await self.answer(request, error: error) }
        }
    }

    private func answer(_ request: Request, error: any Error) async throws -> Response {
            let appError = AppError.from(error)
            if appError.status.code >= 500 {
                request.logger.report(error: error)
            }
            // A page that needs an account sends the visitor to sign in, and back afterwards.
            if case .signInRequired = appError, !request.isAPI {
                var components = URLComponents()
                components.path = SiteURL.login.path()
                components.queryItems = [URLQueryItem(name: "next", value: request.url.string)]
                return request.redirect(to: components.string ?? SiteURL.login.path(), redirectType: .normal)
            }
            let message = request.application.localizer.message(for: appError, request.language)
            return try await answer(request, error: error, appError: appError, message: message)
    }

    private func answer(_ request: Request, error: any Error, appError: AppError, message: String) async throws -> Response {
        if request.isAPI {
                let problems = (error as? PlanImportError).map {
                    request.application.localizer.describe($0, request.language, limit: 1000).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
                }
                let body = ErrorBody(error: .init(status: Int(appError.status.code), code: appError.code, message: message), problems: problems)
                let response = try await body.encodeResponse(status: appError.status, for: request)
                return response
            }
            let page = ErrorPage(
                page: PageMeta(request: request, title: request.t("error.title")),
                status: Int(appError.status.code),
                message: message,
                problems: (error as? PlanImportError).map {
                    Array(request.application.localizer.describe($0, request.language, limit: 200).dropFirst())
                } ?? []
            )
            let view = try await request.view.render("error", page)
            let response = try await view.encodeResponse(status: appError.status, for: request)
            return response
    }
}
