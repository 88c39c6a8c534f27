import Foundation
import PantauDomain

/// Settings read once from the environment at start-up; an invalid value stops start-up with a clear message.
public struct AppConfiguration: Sendable {
    public enum Storage: Sendable, Equatable {
        /// The embedded default: one SQLite file in the data folder.
        case sqlite(path: String)
        /// `DATABASE_URL=postgres://user:password@host:port/database`; `searchPath` isolates tests in a schema.
        case postgres(url: String, searchPath: [String]?)
    }

    public var storage: Storage
    /// Where Pantau keeps its files (the SQLite database, later evidence uploads).
    public var dataDirectory: String
    public var logLevel: String?
    /// The address people use, such as `https://pantau.example.go.id` (`PANTAU_PUBLIC_URL`): the Atom feed's links
    /// start with it, and with https, cookies are marked Secure.
    public var publicURL: String?
    /// Largest evidence file accepted, in megabytes (`PANTAU_MAX_UPLOAD_MB`, default 20).
    public var maximumUploadMB: Int = 20
    /// A connection on which nothing is read or written for this long is closed (`PANTAU_IDLE_TIMEOUT`, seconds,
    /// default 60): a request line, headers or a body that stall, and kept-alive connections nobody uses.
    public var idleTimeoutSeconds: Int = 60
    /// A request body must arrive whole within this many seconds of its route accepting it (`PANTAU_BODY_TIMEOUT`,
    /// default 300): a body sent a byte at a time never looks idle, so the idle timeout alone would not end it.
    public var bodyTimeoutSeconds: Int = 300
    /// `PANTAU_TODAY=YYYY-MM-DD` starts the application's clock on that day (for demonstrations and browser
    /// tests that walk a semester's windows); unset in normal operation.
    public var today: CalendarDay?
    /// `PANTAU_TRUSTED_PROXY`: the IP addresses of the reverse proxies in front of Pantau, separated by commas. Only
    /// for requests from them is the client's address read from `X-Forwarded-For`; empty, the socket's peer is the client.
    public var trustedProxies: String = ""

    public init(storage: Storage, dataDirectory: String, logLevel: String? = nil, publicURL: String? = nil) {
        self.storage = storage
        self.dataDirectory = dataDirectory
        self.logLevel = logLevel
        self.publicURL = publicURL
    }

    public static let databaseFileName = "pantau.sqlite"

    /// `PANTAU_DATA_DIR` (default `./data`), `DATABASE_URL` (PostgreSQL when set), `LOG_LEVEL`, and the `PANTAU_` settings of the README.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        let dataDirectory = environment["PANTAU_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
        let storage: Storage
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw ConfigurationError.unsupportedDatabaseURL
            }
            storage = .postgres(url: url, searchPath: nil)
        } else {
            storage = .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent(databaseFileName).path)
        }
        let publicURL = environment["PANTAU_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let publicURL {
            guard let url = URLComponents(string: publicURL), ["http", "https"].contains(url.scheme ?? ""), !(url.host ?? "").isEmpty,
                  url.user == nil, url.password == nil, url.query == nil, url.fragment == nil
            else { throw ConfigurationError.invalidPublicURL(publicURL) }
        }
        var configuration = AppConfiguration(storage: storage, dataDirectory: dataDirectory, logLevel: environment["LOG_LEVEL"],
                                             publicURL: publicURL)
        if let text = environment["PANTAU_MAX_UPLOAD_MB"], !text.isEmpty {
            guard let megabytes = Int(text), (1...1024).contains(megabytes) else { throw ConfigurationError.invalidUploadLimit(text) }
            configuration.maximumUploadMB = megabytes
        }
        if let text = environment["PANTAU_IDLE_TIMEOUT"], !text.isEmpty {
            guard let seconds = Int(text), (1...3600).contains(seconds) else { throw ConfigurationError.invalidIdleTimeout(text) }
            configuration.idleTimeoutSeconds = seconds
        }
        if let text = environment["PANTAU_BODY_TIMEOUT"], !text.isEmpty {
            guard let seconds = Int(text), (1...3600).contains(seconds) else { throw ConfigurationError.invalidBodyTimeout(text) }
            configuration.bodyTimeoutSeconds = seconds
        }
        if let text = environment["PANTAU_TODAY"], !text.isEmpty {
            guard let day = CalendarDay(iso: text) else { throw ConfigurationError.invalidToday(text) }
            configuration.today = day
        }
        if let text = environment["PANTAU_TRUSTED_PROXY"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard TrustedProxies(list: text) != nil else { throw ConfigurationError.invalidTrustedProxy(text) }
            configuration.trustedProxies = text
        }
        return configuration
    }
}

public enum ConfigurationError: Error, Equatable, LocalizableError {
    case unsupportedDatabaseURL
    case dataDirectoryUnusable(String)
    case invalidUploadLimit(String)
    case invalidToday(String)
    case invalidPublicURL(String)
    case invalidIdleTimeout(String)
    case invalidBodyTimeout(String)
    case invalidTrustedProxy(String)

    public var messageKey: String {
        switch self {
        case .unsupportedDatabaseURL: "config.unsupported_database_url"
        case .dataDirectoryUnusable: "config.data_directory_unusable"
        case .invalidUploadLimit: "config.invalid_upload_limit"
        case .invalidToday: "config.invalid_today"
        case .invalidPublicURL: "config.invalid_public_url"
        case .invalidIdleTimeout: "config.invalid_idle_timeout"
        case .invalidBodyTimeout: "config.invalid_body_timeout"
        case .invalidTrustedProxy: "config.invalid_trusted_proxy"
        }
    }

    public var messageArguments: [String] {
        switch self {
        case .unsupportedDatabaseURL: []
        case .dataDirectoryUnusable(let text), .invalidUploadLimit(let text), .invalidToday(let text), .invalidPublicURL(let text),
             .invalidIdleTimeout(let text), .invalidBodyTimeout(let text), .invalidTrustedProxy(let text): [text]
        }
    }
}
