import Fluent
import Foundation
import PantauDomain

/// The real plans Pantau ships with (`Resources/Plans/*.json`): public data every installation starts with.
public enum BuiltInPlans {
    public static func files(resourceRoot: String) throws -> [URL] {
        let folder = URL(fileURLWithPath: resourceRoot).appendingPathComponent("Resources/Plans")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" && !$0.lastPathComponent.hasSuffix(".schema.json") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Loads every built-in plan not already present; returns the codes it loaded.
    public static func load(resourceRoot: String, on database: any Database) async throws -> [String] {
        var loaded: [String] = []
        for file in try files(resourceRoot: resourceRoot) {
            let document = try PlanFiles.decode(try Data(contentsOf: file), as: .json)
            if try await ActionPlanModel.query(on: database).filter(\.$code == document.code).count() == 0 {
                try await PlanImport.run(document, status: .adopted, replacingDraft: false, sourceFile: file.lastPathComponent,
                                         actor: .system, on: database)
                loaded.append(document.code)
            }
        }
        return loaded
    }
}
