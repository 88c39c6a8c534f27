import Foundation
import Vapor

/// Builds a configured application for the command line and the tests alike.
public enum PantauApplication {
    public static func make(_ configuration: AppConfiguration, environment: Environment = .production) async throws -> Application {
        let app = try await Application.make(environment)
        app.directory = DirectoryConfiguration(workingDirectory: resourceRoot())
        do {
            try await configure(app, configuration)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    /// The folder holding `Resources/` and `Public/`: the current one when it has them, else the nearest
    /// ancestor of the executable that does (so `.build/debug/pantau` works from anywhere).
    public static func resourceRoot() -> String {
        let fileManager = FileManager.default
        func hasResources(_ folder: URL) -> Bool {
            fileManager.fileExists(atPath: folder.appendingPathComponent("Resources/Localization").path)
        }
        if let home = ProcessInfo.processInfo.environment["PANTAU_HOME"], !home.isEmpty {
            return home.hasSuffix("/") ? home : home + "/"
        }
        let current = URL(fileURLWithPath: fileManager.currentDirectoryPath)
        if hasResources(current) { return current.path + "/" }
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            if hasResources(folder) { return folder.path + "/" }
            folder.deleteLastPathComponent()
        }
        return current.path + "/"
    }
}
