import Foundation
import PantauDomain

/// How the changed fields of a history entry read: each field under its label (`history.field.<name>`), values that
/// are codes under the words pages already use for them (`role.*`, `report.status.*`, ...), yes and no for flags,
/// times in WIB, organisations by their short name.
struct HistoryText {
    let localizer: Localizer
    let language: Language
    /// Short names of the organisations the entries refer to by id.
    let organisations: [UUID: String]

    static func isOrganisationID(_ field: String) -> Bool {
        lastName(field) == "organisationID"
    }

    func changes(_ diff: [HistoryDiff.Change], objectType: String) -> [HistoryView.Change] {
        diff.compactMap { change in
            let field = change.field
            // An organisation that no longer exists would show as a bare id: left out.
            if Self.isOrganisationID(field),
               [change.before, change.after].contains(where: { value in value.map { name(ofOrganisation: $0) == nil } ?? false }) {
                return nil
            }
            return HistoryView.Change(label: label(field), before: change.before.map { text($0, field: field, objectType: objectType) } ?? "",
                                      after: change.after.map { text($0, field: field, objectType: objectType) } ?? "–",
                                      hasBefore: change.before != nil,
                                      isContent: [change.before, change.after].compactMap { $0 }
                                          .contains { isContent($0, field: field, objectType: objectType) })
        }
    }

    /// Whether a value is written text (a title, an achievement, a reason) rather than a label Pantau translates:
    /// such text is in `Language.content` on a page of any language.
    func isContent(_ value: HistoryDiff.Value, field: String, objectType: String) -> Bool {
        switch value {
        case .text(let text):
            guard !text.isEmpty, !Self.isOrganisationID(field) else { return false }
            if let prefix = Self.codePrefix(Self.lastName(field), objectType: objectType) {
                return localizer.messages[.default]?[prefix + text] == nil
            }
            return true
        case .list(let items):
            return items.contains { isContent($0, field: field, objectType: objectType) }
        default:
            return false
        }
    }

    /// `after.score` reads "Corrected to › Score".
    func label(_ field: String) -> String {
        field.split(separator: ".").map { part in
            let key = "history.field." + part
            return localizer.messages[.default]?[key] != nil ? localizer.text(key, language) : String(part)
        }.joined(separator: " › ")
    }

    func text(_ value: HistoryDiff.Value, field: String, objectType: String) -> String {
        let fieldName = Self.lastName(field)
        switch value {
        case .null:
            return "–"
        case .bool(let flag):
            return localizer.text(flag ? "history.value.yes" : "history.value.no", language)
        case .number(let number):
            // Dates are kept by Swift's encoder as seconds since 2001.
            if fieldName.hasSuffix("At"), let seconds = Double(number) {
                return Formatting.jakartaDateTime(Date(timeIntervalSinceReferenceDate: seconds), language)
            }
            return number
        case .text(let text):
            if text.isEmpty { return "–" }
            if Self.isOrganisationID(field) { return name(ofOrganisation: value) ?? text }
            if let prefix = Self.codePrefix(fieldName, objectType: objectType), localizer.messages[.default]?[prefix + text] != nil {
                return localizer.text(prefix + text, language)
            }
            return text
        case .list(let items):
            return items.isEmpty ? "–" : items.map { text($0, field: field, objectType: objectType) }.joined(separator: ", ")
        }
    }

    private func name(ofOrganisation value: HistoryDiff.Value) -> String? {
        switch value {
        case .null: "–"
        case .text(let text): UUID(uuidString: text).flatMap { organisations[$0] }
        default: nil
        }
    }

    /// The localisation keys of fields that hold codes.
    private static func codePrefix(_ name: String, objectType: String) -> String? {
        switch name {
        case "role": "role."
        case "kind": "organisation.kind."
        case "status":
            switch objectType {
            case "report": "report.status."
            case "comment": "consultation.status."
            default: "plan.status."
            }
        case "stage": "proposal.stage."
        case "response": "consultation.response."
        case "coCreationRating": "rating."
        default: nil
        }
    }

    private static func lastName(_ field: String) -> String {
        field.split(separator: ".").last.map(String.init) ?? field
    }
}
