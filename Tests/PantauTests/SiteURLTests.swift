import Foundation
@testable import Pantau
import Testing
import Vapor

/// The route table: every route is registered from `SiteURL`, and every link in a template is built from it.
@Suite("Route table")
struct SiteURLTests {
    @Test func aLinkFillsTheRoutesParametersInOrderAndEscapesThem() {
        #expect(SiteURL.commitment.path("ran-ogi-2020-2022", 2) == "/plans/ran-ogi-2020-2022/commitments/2")
        #expect(SiteURL.home.path() == "/")
        // A value never adds a level to the path, nor a query.
        #expect(SiteURL.plan.path("a/b c?d") == "/plans/a%2Fb%20c%3Fd")
        #expect(SiteURL.evaluation.path("x").with(query: [("period", "B06"), ("year", nil)]) == "/plans/x/report?period=B06")
        #expect(SiteURL.verifyAssess.parameterCount == 3)
    }

    @Test func everyRouteIsRegisteredFromTheTable() async throws {
        try await withTestApp(.sqlite) { app in
            let patterns = Set(app.siteAddresses.values.map { "/" + $0.pathComponents.string })
            let strays = app.routes.all.map { "/" + $0.path.string }.filter { !patterns.contains($0) }
            #expect(strays.isEmpty, "routes registered without SiteURL: \(strays)")
            // Only pages anyone may see, and that are the same for everyone, are cached.
            for route in app.routes.all where route.isCacheable {
                #expect(route.method == .GET && route.policy == .everyone)
            }
            let cacheable = Set(app.routes.all.filter(\.isCacheable).map { $0.path.string })
            #expect(cacheable.contains("plans/:code"))
            #expect(!cacheable.contains("search") && !cacheable.contains("login") && !cacheable.contains("evidence/:id"))
        }
    }

    /// Templates name routes (`#url("commitment", code, number)`): a name no route has, or a wrong count of values,
    /// is found here for every template, also those no other test renders.
    @Test func everyLinkInATemplateNamesARouteWithItsValues() async throws {
        try await withTestApp(.sqlite) { app in
            let folder = URL(fileURLWithPath: app.directory.viewsDirectory)
            let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).filter { $0.pathExtension == "leaf" }
            #expect(files.count > 40)
            let call = /#url\("([\w.]+)"((?:, [\w.]+|, "[\w]+")*)\)/
            let spelled = /(?:href|action|src)="\/[^"]*"/
            var links = 0
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in text.matches(of: call) {
                    links += 1
                    let name = String(match.output.1)
                    let values = match.output.2.split(separator: ",").count
                    let address = app.siteAddresses[name]
                    #expect(address != nil, "\(file.lastPathComponent): no route is called \(name)")
                    #expect(address?.parameterCount == values, "\(file.lastPathComponent): #url(\(name)) with \(values) values")
                }
                // The stylesheet is a file of Public/, not a route.
                let paths = text.matches(of: spelled).map { String($0.output) }.filter { $0 != #"href="/css/pantau.css""# }
                #expect(paths.isEmpty, "\(file.lastPathComponent) spells paths: \(paths)")
            }
            #expect(links > 100)
        }
    }
}
