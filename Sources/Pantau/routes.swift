import Vapor

/// Every route of Pantau, so the whole surface is visible in one place.
func routes(_ app: Application) throws {
    let pages = PlanPageController()
    app.get(use: pages.plans)
    app.get("plans", use: pages.plans)
    app.get("plans", ":code", use: pages.plan)
    app.get("plans", ":code", "commitments", ":number", use: pages.commitment)

    let api = app.grouped("api", "v1")
    let plans = API.PlanController()
    api.get("openapi.json", use: plans.openAPIDocument)
    api.get("plans", use: plans.index)
    api.get("plans", ":code", use: plans.show)
    api.get("plans", ":code", "commitments", ":number", use: plans.commitment)
}
