import Fluent
import Foundation
import PantauDomain
import Vapor

extension OpenDataController {
    /// A downloadable table: its name, its columns (with their meaning keys) and its rows.
    struct Dataset {
        let name: String
        let columns: [String]
        let rows: [[String]]
    }

    struct DictionaryPage: Encodable {
        struct Table: Encodable {
            let name: String
            let titleKey: String
            let columns: [Column]
            let csvURL: String
            let jsonURL: String
        }

        struct Column: Encodable {
            let name: String
            let meaningKey: String
        }

        let page: PageMeta
        let tables: [Table]
        let plans: [String]
    }
}
