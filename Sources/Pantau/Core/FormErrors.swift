import Vapor

/// What a form got wrong, field by field, in the reader's language: the page shows the form again with what was typed
/// and each message beside its field (`#extend("field-error", errors.FIELD):#endextend`), instead of an error page.
/// Every field of the form is present, so a template can hand any of them to `field-error.leaf`; those without a
/// mistake carry no message.
struct FormErrors: Encodable, Sendable {
    struct Field: Encodable, Sendable {
        /// The id of the message, for the field's `aria-describedby`.
        let id: String
        var message: String?
    }

    private var fields: [String: Field]
    /// The status the page is answered with: 422 for a value that breaks a rule, 409 for a conflict with what exists.
    private(set) var status: HTTPResponseStatus = .ok

    init(fields names: [String]) {
        fields = Dictionary(uniqueKeysWithValues: names.map { ($0, Field(id: $0 + "-error")) })
    }

    var isEmpty: Bool { fields.values.allSatisfy { $0.message == nil } }

    /// Puts `message` beside `field` (the first message of a field stays). A field the form did not name is added,
    /// so a message is never lost (and never stops the server).
    mutating func add(_ field: String, _ message: String, status: HTTPResponseStatus = .unprocessableEntity) {
        if fields[field] == nil { fields[field] = Field(id: field + "-error") }
        if fields[field]?.message == nil { fields[field]?.message = message }
        if self.status == .ok || status != .unprocessableEntity { self.status = status }
    }

    /// Puts what `error` says beside `field`, with the status it stands for: a broken rule, a conflict with what
    /// exists, or too many tries (the text stays, to send later). An error of another kind (a database failure) is no
    /// mistake of the form's and is thrown on.
    mutating func add(_ field: String, _ error: any Error, on request: Request) throws {
        let appError = AppError.from(error)
        guard [.unprocessableEntity, .conflict, .tooManyRequests].contains(appError.status) else { throw error }
        add(field, request.application.localizer.message(for: appError, request.language), status: appError.status)
    }

    /// Puts a rule's refusal beside the field it names (`FieldError`, thrown by the services).
    mutating func add(_ error: FieldError, on request: Request) {
        add(error.field, request.application.localizer.message(for: error.error, request.language), status: error.error.status)
    }

    func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
    }
}
