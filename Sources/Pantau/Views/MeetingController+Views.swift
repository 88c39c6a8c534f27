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
        /// "2026-12-02 09:00–11:00 WIB", with only the parts recorded.
        let when: String
        /// The moderator as one line; nil when none was recorded.
        let moderator: String?
        /// Each participant as one line: "Name, role · Organisation", with only the parts recorded.
        let participants: [String]
        let points: [Point]
        let hasAgenda: Bool
        let hasParticipants: Bool
        let hasPoints: Bool
        let hasFollowUps: Bool
        let hasAttachments: Bool
        let commitments: [Int]
        let attachments: [ReportQueries.EvidenceView]
        let isPublished: Bool
        let canPublish: Bool
        let history: [HistoryView]
    }

    struct Point: Encodable {
        /// Nil when no speaker was recorded.
        let speaker: String?
        let text: String
    }

    /// "Name, role · Organisation", leaving out what was not recorded.
    static func line(_ person: MeetingPerson) -> String {
        let name = [person.name, person.role].filter { !$0.isEmpty }.joined(separator: ", ")
        return [name, person.organisation].filter { !$0.isEmpty }.joined(separator: " · ")
    }

    static func when(_ record: MeetingRecord) -> String {
        let hours = [record.startTime, record.endTime].filter { !$0.isEmpty }.joined(separator: "–")
        return hours.isEmpty ? record.date.iso : "\(record.date.iso) \(hours) \(record.timeZone)"
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
