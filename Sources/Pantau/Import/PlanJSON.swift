import Foundation
import PantauDomain

/// The whole plan as JSON: every field, stable key order, so that the same plan gives the same bytes.
enum PlanJSON {
    static func encode(_ document: PlanDocument) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document) + Data("\n".utf8)
    }

    static func decode(_ data: Data) throws -> PlanDocument {
        let text = try TextDecoding.utf8(data)
        do {
            return try JSONDecoder().decode(PlanDocument.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw PlanImportError([problem(for: error)])
        }
    }

    /// Decoding errors name the field by its path, such as `commitments[2].goals[0].text`.
    private static func problem(for error: DecodingError) -> ImportProblem {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            let text = keys.reduce("") { path, key in
                if let index = key.intValue { return path + "[\(index)]" }
                return path.isEmpty ? key.stringValue : path + "." + key.stringValue
            }
            return text.isEmpty ? "/" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ImportProblem(column: path(context.codingPath, key), key: "import.json_missing_field")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return ImportProblem(column: path(context.codingPath), key: "import.json_wrong_type", arguments: [jsonTypeName(type)])
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return ImportProblem(key: "import.json_syntax")
        case .dataCorrupted(let context):
            return ImportProblem(column: path(context.codingPath), key: "import.json_invalid_value", arguments: [context.debugDescription])
        @unknown default:
            return ImportProblem(key: "import.json_syntax")
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Double.Type: "number"
        case is Bool.Type: "boolean"
        case is [Any].Type: "array"
        default: "object"
        }
    }
}
