import Fluent
import Foundation

extension Array where Element: Model {
    /// Loads a to-many relation of every model here with one query (in slices of ids), matched to its parent by
    /// id. Fluent's eager loader (`with(_:)`) scans all children once for each parent: at 550 plans with 2,200
    /// semesters and 8,000 commitments that cost seconds; this is one pass.
    func loadChildren<Child: Model>(_ relation: KeyPath<Element, ChildrenProperty<Element, Child>>, on database: any Database) async throws {
        guard let first else { return }
        let ids = map { $0.id! }
        var byParent: [Element.IDValue: [Child]] = [:]
        switch first[keyPath: relation].parentKey {
        case .required(let key):
            for child in try await inSlices(ids, { try await Child.query(on: database).filter(key.appending(path: \.$id) ~~ $0).all() }) {
                byParent[child[keyPath: key].id, default: []].append(child)
            }
        case .optional(let key):
            for child in try await inSlices(ids, { try await Child.query(on: database).filter(key.appending(path: \.$id) ~~ $0).all() }) {
                if let parent = child[keyPath: key].id { byParent[parent, default: []].append(child) }
            }
        }
        for model in self { model[keyPath: relation].value = byParent[model.id!] ?? [] }
    }
}

/// Runs a query for `ids` in slices, and joins the answers: a long list of bound values stays within every
/// database's limit (SQLite's is 32,766).
func inSlices<ID, Row>(_ ids: [ID], size: Int = 1000, _ query: ([ID]) async throws -> [Row]) async throws -> [Row] {
    var rows: [Row] = []
    var start = 0
    while start < ids.count {
        let end = min(start + size, ids.count)
        rows += try await query(Array(ids[start..<end]))
        start = end
    }
    return rows
}
