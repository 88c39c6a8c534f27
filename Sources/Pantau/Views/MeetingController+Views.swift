import Fluent
import Foundation
import PantauDomain
import Vapor

extension MeetingController {
    struct MeetingRow: Content {
        let id: String
        let title: String
        let date: String
        let planCode: String
        let isPublished: Bool
    }

    struct ListPage: Encodable {
        let page: PageMeta
        let meetings: [MeetingRow]
        let hasMeetings: Bool
        let canRecord: Bool
    }

    struct MeetingPage: Encodable {
        let page: PageMeta
        let id: String
        let planCode: String
        let record: MeetingRecord
        let commitments: [Int]
        let attachments: [ReportQueries.EvidenceView]
        let isPublished: Bool
        let canPublish: Bool
        let history: [HistoryView]
    }

    struct FormPage: Encodable {
        let page: PageMeta
        let plan: SelectField
        /// What was typed when the minutes could not be saved; nothing on a new form.
        let form: MeetingForm?
        /// Messages beside their fields, and `form` for the whole form.
        let errors: FormErrors
    }

    struct MeetingDTO: Content {
        let id: String
        let planCode: String
        let record: MeetingRecord
        let commitments: [Int]
        let attachments: [String]
    }
}
