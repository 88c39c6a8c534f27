import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Leaf
import Vapor

/// Wires the application: database from the configuration, migrations, views, localisation, middleware, routes.
public func configure(_ app: Application, _ configuration: AppConfiguration) async throws {
    app.localizer = try Localizer(directory: app.directory.resourcesDirectory + "Localization")

    // Before the database: its configuration carries it to `AuditLog.transaction`.
    let committedChanges = CommittedChanges()
    switch configuration.storage {
    case .sqlite(let path):
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError.dataDirectoryUnusable(folder)
        }
        app.databases.use(CommittedChanges.Carried(base: DatabaseConfigurationFactory.sqlite(.file(path), sqlLogLevel: .debug).make(),
                                                   committedChanges: committedChanges), as: .sqlite)
        // WAL lets readers work while a write is in progress; the setting is kept in the file itself.
        // Foreign keys are switched on per connection by the driver (SQLiteConfiguration.enableForeignKeys).
        try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").run()
    case .postgres(let url, let searchPath):
        var postgres = try SQLPostgresConfiguration(url: url)
        postgres.searchPath = searchPath
        app.databases.use(CommittedChanges.Carried(base: DatabaseConfigurationFactory.postgres(configuration: postgres).make(),
                                                   committedChanges: committedChanges), as: .psql)
        app.postgresConfiguration = postgres
    }
    app.migrations.add(PantauMigrations.all)
    app.evidenceStore = EvidenceStore(dataDirectory: configuration.dataDirectory, maximumSize: configuration.maximumUploadMB * 1024 * 1024)
    app.secureCookies = configuration.publicURL?.hasPrefix("https://") ?? false
    app.publicURL = configuration.publicURL
    app.dataLicence = configuration.dataLicence
    if let today = configuration.today { app.clock.set(today: today) }
    guard let proxies = TrustedProxies(list: configuration.trustedProxies) else {
        throw ConfigurationError.invalidTrustedProxy(configuration.trustedProxies)
    }
    app.trustedProxies = proxies
    app.loginThrottle = LoginThrottle()

    app.views.use(.leaf)
    app.leaf.tags["t"] = LocalizeTag()
    app.leaf.tags["url"] = SiteURLTag()
    app.leaf.tags["contentLang"] = ContentLanguageTag()

    // Replace Vapor's default error middleware so that errors are localised and never leak details.
    app.middleware = .init()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    // The read API is open data: any site may read it from a browser. No cookies are involved (the API
    // takes bearer tokens only), so this opens nothing else.
    app.middleware.use(CORSMiddleware(configuration: .init(
        allowedOrigin: .all, allowedMethods: [.GET, .HEAD, .OPTIONS],
        allowedHeaders: [.accept, .contentType, .authorization, .ifNoneMatch], allowCredentials: false)))
    app.middleware.use(LanguageMiddleware())
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(PublicFileMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(ConditionalGetMiddleware())
    // Before sessions and accounts: a visitor's kept page is answered without reading either.
    let pageCache = PublicPageCache(committedChanges: committedChanges)
    app.publicPageCache = pageCache
    app.middleware.use(pageCache)
    app.middleware.use(SessionMiddleware())
    app.middleware.use(AuthenticationMiddleware())
    app.middleware.use(PublicPageCache.AfterSessions(cache: pageCache))
    app.middleware.use(NoticeMiddleware())
    app.planResultsCache = PlanResultsCache()
    app.emailOutbox = configuration.smtp.map { settings in
        EmailOutbox(client: SMTPClient(settings: settings, group: app.eventLoopGroup), localizer: app.localizer,
                    publicURL: configuration.publicURL ?? "", worker: "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8))")
    }
    app.http.server.configuration.responseCompression = .enabled
    // The API's answers in one byte order (keys sorted): the same data gives the same bytes and ETag on every server
    // process, so a reuser's conditional request is answered 304 whichever process nginx sends it to.
    ContentConfiguration.global.use(encoder: JSONEncoder.custom(dates: .iso8601, format: .sortedKeys), for: .json)
    // A connection that sends half a request, or stops in the middle of a body, or stays open unused, holds a file
    // descriptor until this closes it (README: "Connections and file descriptors").
    app.http.server.configuration.idleTimeout = .seconds(Int64(configuration.idleTimeoutSeconds))
    app.bodyTimeout = .seconds(Int64(configuration.bodyTimeoutSeconds))
    // Forms carry texts of up to 20,000 characters (up to 4 bytes each in UTF-8); Vapor's default of 16 kB would refuse them.
    app.routes.defaultMaxBodySize = "1mb"
    // Vapor logs every request's headers and body at trace on the application's logger (cookies, bearer tokens,
    // passwords), and requests log through it: that log stops at debug, whatever LOG_LEVEL says.
    app.logger.logLevel = max(app.logger.logLevel, .debug)

    try routes(app)
}
