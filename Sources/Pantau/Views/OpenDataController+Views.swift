import Fluent
import Foundation
import PantauDomain
import Vapor

extension OpenDataController {
    struct DictionaryPage: Encodable {
        struct Table: Encodable {
            let name: String
            let titleKey: String
            let columns: [Column]
            let key: String
            let csvURL: String
            let jsonURL: String
        }

        struct Column: Encodable {
            let name: String
            let type: String
            let meaningKey: String
        }

        let page: PageMeta
        let tables: [Table]
        let plans: [String]
        let licenceTitle: String
        let licenceURL: String
        let packageURL: String
        let catalogueURL: String
    }
}

extension OpenDataController {
    /// A JSON file: the table's rows (typed: numbers, booleans, null) with what a reuser needs to know about them.
    struct JSONFile: Encodable {
        struct Licence: Encodable {
            let id: String
            let title: String
            let url: String

            init(_ licence: DataLicence) {
                id = licence.id
                title = licence.title
                url = licence.url
            }
        }

        let table: String
        let title: String
        /// The plan the rows are limited to; null for all plans.
        let plan: String?
        let licence: Licence
        /// ISO 8601 (UTC): when anything in these plans' data last changed.
        let lastModified: String
        /// The Data Package whose Table Schema describes the rows.
        let describedBy: String
        let rows: [[String: OpenDataValue]]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(table, forKey: .table)
            try container.encode(title, forKey: .title)
            try container.encode(plan, forKey: .plan)
            try container.encode(licence, forKey: .licence)
            try container.encode(lastModified, forKey: .lastModified)
            try container.encode(describedBy, forKey: .describedBy)
            try container.encode(rows, forKey: .rows)
        }

        enum CodingKeys: String, CodingKey {
            case table, title, plan, licence, rows
            case lastModified = "last_modified"
            case describedBy = "described_by"
        }
    }
}
