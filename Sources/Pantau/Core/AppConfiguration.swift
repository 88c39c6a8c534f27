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
    /// The mail server for notification emails (`PANTAU_SMTP_HOST` and the other `PANTAU_SMTP_` settings); without it,
    /// notifications are listed in the app only and their emails wait.
    var smtp: SMTPSettings?
    /// The licence of the open data (`PANTAU_DATA_LICENCE`, an SPDX identifier, with `PANTAU_DATA_LICENCE_URL`): CC BY 4.0
    /// unless the operator sets another. It is stated on `/data`, in every file, the Data Package, the catalogue, the
    /// OpenAPI document and the feed.
    public var dataLicence = DataLicence.ccBy4

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
        let licence = environment["PANTAU_DATA_LICENCE"].flatMap { $0.isEmpty ? nil : $0 }
        let licenceURL = environment["PANTAU_DATA_LICENCE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if licence != nil || licenceURL != nil {
            guard let licence, let licenceURL, licence.allSatisfy({ $0.isLetter || $0.isNumber || "-.+".contains($0) }),
                  let url = URLComponents(string: licenceURL), ["http", "https"].contains(url.scheme ?? ""), !(url.host ?? "").isEmpty
            else { throw ConfigurationError.invalidDataLicence(licence ?? "", licenceURL ?? "") }
            configuration.dataLicence = DataLicence(id: licence, title: licence, url: licenceURL)
        }
        configuration.smtp = try smtpSettings(environment)
        // Links in emails are absolute: they need the address people use.
        if configuration.smtp != nil, configuration.publicURL == nil { throw ConfigurationError.invalidSMTP("PANTAU_PUBLIC_URL", "") }
        return configuration
    }

    /// `PANTAU_SMTP_HOST`, `_PORT` (default 587), `_SECURITY` (`starttls`, the default; `tls`; `none`), `_USER` and
    /// `_PASSWORD` (both or neither), `_FROM` (required), `_CA_FILE` (a PEM file to trust).
    static func smtpSettings(_ environment: [String: String]) throws -> SMTPSettings? {
        func value(_ name: String) -> String? { environment["PANTAU_SMTP_" + name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = value("HOST") else { return nil }
        let security = try value("SECURITY").map { text in
            try SMTPSettings.Security(rawValue: text.lowercased()).orThrow(ConfigurationError.invalidSMTP("PANTAU_SMTP_SECURITY", text))
        } ?? .startTLS
        let port = try value("PORT").map { text in
            try Int(text).flatMap { (1...65535).contains($0) ? $0 : nil }.orThrow(ConfigurationError.invalidSMTP("PANTAU_SMTP_PORT", text))
        } ?? (security == .tls ? 465 : 587)
        guard let from = value("FROM"), from.contains("@"), !from.contains(" "), !from.contains("<") else {
            throw ConfigurationError.invalidSMTP("PANTAU_SMTP_FROM", value("FROM") ?? "")
        }
        guard (value("USER") == nil) == (value("PASSWORD") == nil) else {
            throw ConfigurationError.invalidSMTP("PANTAU_SMTP_USER / PANTAU_SMTP_PASSWORD", "")
        }
        if let caFile = value("CA_FILE"), !FileManager.default.isReadableFile(atPath: caFile) {
            throw ConfigurationError.invalidSMTP("PANTAU_SMTP_CA_FILE", caFile)
        }
        return SMTPSettings(host: host, port: port, security: security, username: value("USER"), password: value("PASSWORD"), from: from,
                            caFile: value("CA_FILE"))
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
    case invalidSMTP(String, String)
    case invalidDataLicence(String, String)

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
        case .invalidSMTP: "config.invalid_smtp"
        case .invalidDataLicence: "config.invalid_data_licence"
        }
    }

    public var messageArguments: [String] {
        switch self {
        case .unsupportedDatabaseURL: []
        case .dataDirectoryUnusable(let text), .invalidUploadLimit(let text), .invalidToday(let text), .invalidPublicURL(let text),
             .invalidIdleTimeout(let text), .invalidBodyTimeout(let text), .invalidTrustedProxy(let text): [text]
        case .invalidSMTP(let setting, let text), .invalidDataLicence(let setting, let text): [setting, text]
        }
    }
}

/// The licence the open data is published under.
public struct DataLicence: Sendable, Equatable {
    /// An SPDX identifier, such as `CC-BY-4.0`.
    public let id: String
    public let title: String
    public let url: String

    public static let ccBy4 = DataLicence(id: "CC-BY-4.0", title: "Creative Commons Attribution 4.0 International",
                                          url: "https://creativecommons.org/licenses/by/4.0/")
}
