import Logging
import Vapor

/// Text in the log stays on its line: line breaks, other control characters (ESC, NUL, ...), Unicode line separators
/// and bidirectional overrides are written as escapes (`\n`, `\u{1B}`), so text from a request (a path with `%0A`, a
/// search word, a file name) can neither start a forged log line nor drive the terminal that shows the log.
public enum LogText {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where needsEscape(scalar): result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: bidirectionalControls.contains(scalar.value)
        }
    }

    private static let bidirectionalControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                                              0x2066, 0x2067, 0x2068, 0x2069]
}

/// Every log line of the server goes through this, whoever writes it (Pantau, Vapor, the database drivers): the
/// message, the metadata and an attached error are `LogText.escaped` before the wrapped handler writes them.
public struct EscapingLogHandler: LogHandler {
    private var wrapped: any LogHandler
    /// The logger's own metadata (a request's id, for instance), kept as given and escaped only when a line is written:
    /// most requests write none, and escaping on every request cost more than the rest of answering a kept page.
    private var ownMetadata: Logger.Metadata = [:]

    public init(_ wrapped: any LogHandler) {
        self.wrapped = wrapped
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: LogText.escaped(event.message.description))
        var metadata = Self.escaped(ownMetadata.merging(event.metadata ?? [:]) { $1 })
        if let error = event.error {
            metadata.merge(["error.message": .string(LogText.escaped("\(error)")),
                            "error.type": .string(String(reflecting: type(of: error)))]) { $1 }
            event.error = nil
        }
        event.metadata = metadata.isEmpty ? nil : metadata
        wrapped.log(event: event)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { ownMetadata[key] }
        set { ownMetadata[key] = newValue }
    }

    public var metadata: Logger.Metadata {
        get { ownMetadata }
        set { ownMetadata = newValue }
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    private static func escaped(_ metadata: Logger.Metadata) -> Logger.Metadata {
        Dictionary(metadata.map { (LogText.escaped($0.key), escaped($0.value)) }, uniquingKeysWith: { first, _ in first })
    }

    private static func escaped(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(LogText.escaped(text))
        case .stringConvertible(let convertible): .string(LogText.escaped(convertible.description))
        case .dictionary(let metadata): .dictionary(escaped(metadata))
        case .array(let values): .array(values.map(escaped))
        }
    }
}

/// Logs each request as "GET /path" at info, in place of Vapor's `RouteLoggingMiddleware`, which writes the
/// percent-decoded path as it comes: `/%0A...` would put a line of the caller's choosing into the log.
/// Future-based, as every middleware before the page cache (`configure.swift`).
struct RequestLogMiddleware: Middleware {
    /// Longer paths are cut: a request must not be able to fill the log.
    static let maximumPathLength = 1000

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.logger.info("\(request.method) \(Self.describe(request.url.path))")
        return next.respond(to: request)
    }

    static func describe(_ path: String) -> String {
        let decoded = path.removingPercentEncoding ?? path
        let shown = decoded.count > maximumPathLength ? String(decoded.prefix(maximumPathLength)) + "…" : decoded
        return LogText.escaped(shown)
    }
}
