import FluentPostgresDriver
import Vapor

extension Application {
    private struct PostgresConfigurationKey: StorageKey { typealias Value = SQLPostgresConfiguration }

    /// The PostgreSQL server in use (nil on SQLite), for the start lock's own connection.
    var postgresConfiguration: SQLPostgresConfiguration? {
        get { storage[PostgresConfigurationKey.self] }
        set { storage[PostgresConfigurationKey.self] = newValue }
    }
}

/// Migrations and the first start (loading the built-in plans, the first account), one server process at a time:
/// several `pantau serve` started together on one PostgreSQL would otherwise create the same tables and load the same
/// plans at once. The lock is a PostgreSQL advisory lock held by a connection of its own, outside the pool the work
/// uses; a process killed while holding it releases it with its connection. SQLite is one process's file: no lock.
public enum StartLock {
    static let key = 7_262_823

    public static func run<T>(_ app: Application, _ body: () async throws -> T) async throws -> T {
        guard let configuration = app.postgresConfiguration else { return try await body() }
        let connection = try await PostgresConnection.connect(on: app.eventLoopGroup.any(), configuration: configuration.coreConfiguration,
                                                              id: 0, logger: app.logger)
        do {
            _ = try await connection.query("SELECT pg_advisory_lock(\(key))", logger: app.logger)
            let result = try await body()
            // Ending the session releases the lock.
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
