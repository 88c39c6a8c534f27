import Vapor

/// Turns every error into a localised answer: JSON under `/api/`, a page elsewhere. Never a stack trace.
struct AppErrorMiddleware: AsyncMiddleware {
    struct ErrorBody: Content {
        struct Detail: Content {
            let status: Int
            let code: String
            let message: String
        }
        let error: Detail
    }

    struct ErrorPage: Encodable {
        let page: PageMeta
        let status: Int
        let message: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let appError = AppError.from(error)
            if appError.status.code >= 500 {
                request.logger.report(error: error)
            }
            let message = request.application.localizer.message(for: appError, request.language)
            if request.url.path.hasPrefix("/api/") {
                let body = ErrorBody(error: .init(status: Int(appError.status.code), code: appError.code, message: message))
                let response = try await body.encodeResponse(status: appError.status, for: request)
                return response
            }
            let page = ErrorPage(
                page: PageMeta(request: request, title: request.t("error.title")),
                status: Int(appError.status.code),
                message: message
            )
            let view = try await request.view.render("error", page)
            let response = try await view.encodeResponse(status: appError.status, for: request)
            return response
        }
    }
}
