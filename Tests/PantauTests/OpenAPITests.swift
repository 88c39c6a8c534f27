import Fluent
import Foundation
@testable import Pantau
import Testing
import Vapor
import VaporTesting

/// The OpenAPI document in the repository must describe the API the server really has.
@Suite("OpenAPI document")
struct OpenAPITests {
    static func document() throws -> [String: Any] {
        let path = PantauApplication.resourceRoot() + "Resources/OpenAPI/openapi.json"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func everyRegisteredAPIRouteIsDocumented() async throws {
        try await withTestApp(.sqlite) { app in
            let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
            let apiRoutes = app.routes.all.filter { $0.path.first?.description == "api" }
            #expect(!apiRoutes.isEmpty)
            for route in apiRoutes {
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .parameter(let name): "{\(name)}"
                    default: component.description
                    }
                }.joined(separator: "/")
                let operations = paths[path]
                #expect(operations != nil, "\(path) is not in openapi.json")
                #expect(operations?[route.method.rawValue.lowercased()] != nil, "\(route.method) \(path) is not in openapi.json")
            }
            // And nothing is documented that the server does not answer.
            let registered = Set(apiRoutes.map { "/" + $0.path.map { c -> String in
                if case .parameter(let name) = c { return "{\(name)}" }
                return c.description
            }.joined(separator: "/") })
            #expect(Set(paths.keys) == registered)
        }
    }

    @Test func theDocumentIsServedAsItIs() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.http().get("/api/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .json)
            let served = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            #expect(served?["openapi"] as? String == "3.1.0")
            #expect(NSDictionary(dictionary: served ?? [:]).isEqual(to: try Self.document()))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func portalAnswersMatchTheirSchemas(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            let checker = try SchemaChecker(document: Self.document())
            let meetings = try await app.http().get("/api/v1/meetings")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(buffer: meetings.body)) as? [[String: Any]])
            #expect(list.count == 1)
            let organisation = try #require(try await OrganisationModel.query(on: app.db).first())
            let cases: [(String, String)] = [
                ("/api/v1/meetings", "/api/v1/meetings"),
                ("/api/v1/meetings/\(list[0]["id"] as! String)", "/api/v1/meetings/{id}"),
                ("/api/v1/plans/ran-ogi-2020-2022/dashboard", "/api/v1/plans/{code}/dashboard"),
                ("/api/v1/organisations/\(organisation.id!.uuidString)", "/api/v1/organisations/{id}"),
                ("/api/v1/search?q=pengaduan", "/api/v1/search"),
            ]
            for (target, path) in cases {
                let response = try await app.http().get(target)
                #expect(response.status == .ok, "\(target)")
                let value = try JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed])
                let problems = try checker.check(value, path: path, status: 200)
                #expect(problems.isEmpty, "\(target): \(problems)")
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func responsesMatchTheirSchemas(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let checker = try SchemaChecker(document: Self.document())
            let cases: [(String, String)] = [
                ("/api/v1/plans", "/api/v1/plans"),
                ("/api/v1/plans/contoh-2030-2032", "/api/v1/plans/{code}"),
                ("/api/v1/plans/contoh-2030-2032/commitments/1", "/api/v1/plans/{code}/commitments/{number}"),
                ("/api/v1/plans/contoh-2030-2032/commitments/2", "/api/v1/plans/{code}/commitments/{number}"),
                ("/api/v1/plans/tidak-ada", "/api/v1/plans/{code}"),
            ]
            for (target, path) in cases {
                let response = try await app.http().get(target)
                let value = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView), options: [.fragmentsAllowed])
                let problems = try checker.check(value, path: path, status: Int(response.status.code))
                #expect(problems.isEmpty, "\(target): \(problems)")
            }
        }
    }
}

/// Checks a JSON value against the subset of JSON Schema the document uses: `$ref`, types, required
/// properties, array items, enums and patterns.
struct SchemaChecker {
    let document: [String: Any]

    init(document: [String: Any]) throws {
        self.document = document
    }

    func check(_ value: Any, path: String, status: Int, method: String = "get") throws -> [String] {
        let paths = document["paths"] as? [String: Any]
        let operation = (paths?[path] as? [String: Any])?[method] as? [String: Any]
        let response = (operation?["responses"] as? [String: Any])?["\(status)"] as? [String: Any]
        guard let schema = ((response?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] else {
            return ["no schema for GET \(path) \(status)"]
        }
        var problems: [String] = []
        validate(value, against: schema, at: "$", problems: &problems)
        return problems
    }

    private func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let reference = schema["$ref"] as? String else { return schema }
        let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        return schemas?[name] as? [String: Any] ?? [:]
    }

    private func validate(_ value: Any, against rawSchema: [String: Any], at location: String, problems: inout [String]) {
        let schema = resolve(rawSchema)
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { problems.append("\(location): expected object"); return }
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(location).\(key): required but missing")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, child) in object {
                if let childSchema = properties[key] as? [String: Any] {
                    validate(child, against: childSchema, at: "\(location).\(key)", problems: &problems)
                } else if schema["additionalProperties"] == nil {
                    problems.append("\(location).\(key): not described in the schema")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    validate(child, against: additional, at: "\(location).\(key)", problems: &problems)
                }
            }
        case "array":
            guard let array = value as? [Any] else { problems.append("\(location): expected array"); return }
            let items = schema["items"] as? [String: Any] ?? [:]
            for (index, element) in array.enumerated() {
                validate(element, against: items, at: "\(location)[\(index)]", problems: &problems)
            }
        case "string":
            guard let string = value as? String else { problems.append("\(location): expected string"); return }
            if let allowed = schema["enum"] as? [String], !allowed.contains(string) {
                problems.append("\(location): '\(string)' not in \(allowed)")
            }
            if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(location): '\(string)' does not match \(pattern)")
            }
        case "integer":
            // JSONSerialization gives NSNumber on Linux: accept whole numbers only.
            if (value as? NSNumber).map({ $0.doubleValue != $0.doubleValue.rounded() }) ?? true {
                problems.append("\(location): expected integer")
            }
        default:
            break
        }
    }
}
