import PantauDomain
import Vapor

/// Errors a request can end in, each with its HTTP status and a localised message.
public enum AppError: Error, LocalizableError {
    case planNotFound(code: String)
    case commitmentNotFound(plan: String, number: String)
    /// The route needs an account and none is signed in.
    case signInRequired
    /// The signed-in account may not do this.
    case forbidden
    case csrfFailed
    case invalidToken
    case invalidCredentials
    case tooManyAttempts(minutes: Int)
    /// A form or request field failed a check; `messageKey` says which and why.
    case invalid(key: String, arguments: [String])
    case notFound(what: String)
    case conflict(key: String, arguments: [String])
    /// Any other failure, known only by its HTTP status (unknown route, wrong method, server fault).
    case http(HTTPResponseStatus)

    public var status: HTTPResponseStatus {
        switch self {
        case .planNotFound, .commitmentNotFound, .notFound: .notFound
        case .signInRequired, .invalidToken, .invalidCredentials: .unauthorized
        case .forbidden, .csrfFailed: .forbidden
        case .tooManyAttempts: .tooManyRequests
        case .invalid: .unprocessableEntity
        case .conflict: .conflict
        case .http(let status): status
        }
    }

    /// A stable machine-readable code for API clients.
    public var code: String {
        switch self {
        case .planNotFound: "plan_not_found"
        case .commitmentNotFound: "commitment_not_found"
        case .signInRequired: "sign_in_required"
        case .forbidden: "forbidden"
        case .csrfFailed: "csrf_failed"
        case .invalidToken: "invalid_token"
        case .invalidCredentials: "invalid_credentials"
        case .tooManyAttempts: "too_many_attempts"
        case .invalid: "invalid"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .http(let status):
            switch status.code {
            case 404: "not_found"
            case 405: "method_not_allowed"
            case 408: "request_timeout"
            case 400..<500: "bad_request"
            default: "internal_error"
            }
        }
    }

    public var messageKey: String {
        switch self {
        case .invalid(let key, _), .conflict(let key, _): key
        case .notFound(let what): "error.not_found." + what
        default: "error." + code
        }
    }

    public var messageArguments: [String] {
        switch self {
        case .planNotFound(let code): [code]
        case .commitmentNotFound(let plan, let number): [number, plan]
        case .tooManyAttempts(let minutes): ["\(minutes)"]
        case .invalid(_, let arguments), .conflict(_, let arguments): arguments
        default: []
        }
    }

    /// The `AppError` for anything thrown while answering, so every failure reads the same way.
    /// Details of unexpected errors stay in the log, never in the response.
    static func from(_ error: any Error) -> AppError {
        if let error = error as? AppError { return error }
        if let error = error as? FieldError { return error.error }
        if let error = error as? PlanImportError { return .invalid(key: error.messageKey, arguments: error.messageArguments) }
        // The domain's refusals: the state of things forbids the change (409); a value breaks a rule (422).
        if let refusal = error as? ReportLifecycle.Refusal { return .conflict(key: refusal.rawValue, arguments: []) }
        if let problem = error as? PublicationCheck.Problem { return .conflict(key: problem.rawValue, arguments: []) }
        if let problem = error as? Assessment.Problem {
            if case .scoreOutOfRange(let points) = problem { return .invalid(key: problem.messageKey, arguments: ["\(points)"]) }
            return .invalid(key: problem.messageKey, arguments: [])
        }
        if let error = error as? AccountError, case .emailTaken = error {
            return .conflict(key: error.messageKey, arguments: error.messageArguments)
        }
        if let error = error as? any LocalizableError { return .invalid(key: error.messageKey, arguments: error.messageArguments) }
        if let abort = error as? any AbortError { return .http(abort.status) }
        return .http(.internalServerError)
    }
}

extension Request {
    /// The body as `T`. A body that cannot be read at all (a multipart body without parts, say) is the
    /// client's mistake, answered 400 like a malformed field, never a server error.
    func decodeForm<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try content.decode(T.self)
        } catch let error as AppError {
            throw error
        } catch let error as any AbortError {
            throw error
        } catch {
            throw AppError.http(.badRequest)
        }
    }
}

extension Request {
    /// The `:id` of the path as a UUID. Text that is no UUID names nothing here: 404, as for an unknown id.
    func idParameter(_ name: String = "id") throws -> UUID {
        guard let id = parameters.get(name).flatMap(UUID.init(uuidString:)) else { throw AppError.http(.notFound) }
        return id
    }
}

/// A problem with one field of a form: a page shows the form again with the message beside that field; the API
/// answers with the error itself.
struct FieldError: Error {
    let field: String
    let error: AppError
}

extension AppError {
    /// Outside a form (the command line) a mistake beside a field is told as its message alone.
    public static func withoutField(_ error: any Error) -> any Error {
        (error as? FieldError)?.error ?? error
    }
}
