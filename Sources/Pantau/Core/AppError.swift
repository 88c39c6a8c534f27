import Vapor

/// Errors a request can end in, each with its HTTP status and a localised message.
public enum AppError: Error, LocalizableError {
    case planNotFound(code: String)
    case commitmentNotFound(plan: String, number: String)
    /// Any other failure, known only by its HTTP status (unknown route, wrong method, server fault).
    case http(HTTPResponseStatus)

    public var status: HTTPResponseStatus {
        switch self {
        case .planNotFound, .commitmentNotFound: .notFound
        case .http(let status): status
        }
    }

    /// A stable machine-readable code for API clients.
    public var code: String {
        switch self {
        case .planNotFound: "plan_not_found"
        case .commitmentNotFound: "commitment_not_found"
        case .http(let status):
            switch status.code {
            case 404: "not_found"
            case 405: "method_not_allowed"
            case 400..<500: "bad_request"
            default: "internal_error"
            }
        }
    }

    public var messageKey: String { "error." + code }

    public var messageArguments: [String] {
        switch self {
        case .planNotFound(let code): [code]
        case .commitmentNotFound(let plan, let number): [number, plan]
        case .http: []
        }
    }

    /// The `AppError` for anything thrown while answering, so every failure reads the same way.
    /// Details of unexpected errors stay in the log, never in the response.
    static func from(_ error: any Error) -> AppError {
        if let error = error as? AppError { return error }
        if let abort = error as? any AbortError { return .http(abort.status) }
        return .http(.internalServerError)
    }
}
