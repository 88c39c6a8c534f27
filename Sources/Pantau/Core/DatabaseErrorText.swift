import FluentPostgresDriver

/// PostgresNIO hides what the server said behind a generic description so that a query's values
/// never reach a log by accident. An operator running a command still needs the server's own
/// words (they carry no password): the message, its detail and the SQLSTATE code.
public enum DatabaseErrorText {
    public static func serverMessage(of error: any Error) -> String? {
        guard let error = error as? PSQLError else { return nil }
        guard let info = error.serverInfo, let message = info[.message] else {
            return "PostgreSQL: \(error.code)"
        }
        var parts = ["PostgreSQL: \(message)"]
        if let detail = info[.detail] { parts.append(detail) }
        if let state = info[.sqlState] { parts.append("(SQLSTATE \(state))") }
        return parts.joined(separator: " ")
    }
}
