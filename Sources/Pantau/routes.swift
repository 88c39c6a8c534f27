import Vapor

/// Every route of Pantau with who may call it, so the whole surface and its permissions are visible in one place.
func routes(_ app: Application) throws {
    let pages = PlanPageController()
    app.on(.GET, policy: .everyone, use: pages.plans)
    app.on(.GET, "plans", policy: .everyone, use: pages.plans)
    app.on(.GET, "plans", ":code", policy: .everyone, use: pages.plan)
    app.on(.GET, "plans", ":code", "commitments", ":number", policy: .everyone, use: pages.commitment)

    let files = PlanFileController()
    app.on(.GET, "plans", ":code", "export", ":format", policy: .everyone, use: files.download)

    let sessions = SessionController()
    app.on(.GET, "login", policy: .everyone, use: sessions.form)
    app.on(.POST, "login", policy: .everyone, use: sessions.login)
    app.on(.POST, "logout", policy: .signedIn, use: sessions.logout)

    let account = AccountController()
    app.on(.GET, "account", policy: .signedIn, use: account.page)
    app.on(.POST, "account", "tokens", policy: .signedIn, use: account.createToken)
    app.on(.POST, "account", "tokens", ":id", "revoke", policy: .signedIn, use: account.revokeToken)

    let admin = AdminController()
    app.on(.GET, "admin", policy: .secretariat, use: admin.home)
    app.on(.GET, "admin", "organisations", policy: .secretariat, use: admin.organisations)
    app.on(.POST, "admin", "organisations", policy: .secretariat, use: admin.createOrganisation)
    app.on(.POST, "admin", "organisations", ":id", policy: .secretariat, use: admin.updateOrganisation)
    app.on(.GET, "admin", "users", policy: .secretariat, use: admin.users)
    app.on(.POST, "admin", "users", policy: .secretariat, use: admin.createUser)
    app.on(.POST, "admin", "users", ":id", "reset-password", policy: .secretariat, use: admin.resetPassword)
    app.on(.GET, "admin", "plans", policy: .secretariat, use: files.page)
    app.on(.POST, "admin", "plans", policy: .secretariat, body: .collect(maxSize: ByteCount(value: PlanFiles.maximumSize + 1_000_000)),
           use: files.upload)

    let api = app.grouped("api", "v1")
    let plans = API.PlanController()
    api.on(.GET, "openapi.json", policy: .everyone, use: plans.openAPIDocument)
    api.on(.GET, "plans", policy: .everyone, use: plans.index)
    api.on(.GET, "plans", ":code", policy: .everyone, use: plans.show)
    api.on(.GET, "plans", ":code", "commitments", ":number", policy: .everyone, use: plans.commitment)
}
