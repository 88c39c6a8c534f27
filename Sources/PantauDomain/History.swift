import Foundation

/// Who may see an entry of an object's history, and how its author is named to them.
///
/// A history panel sits on a page its viewer may already see (a report's page only for those who may see the
/// report, a proposal's only for those who may see the proposal), so most entries simply follow their page. Some
/// entries describe work that is not public yet although their page is: the secretariat's draft notes on a period's
/// evaluation report and a commitment's draft assessment. Those wait for the publication of their period; the
/// secretariat and reviewers, who read unpublished work anyway, see them at once.
public enum HistoryVisibility {
    /// What an entry waits for before everyone who sees its page may see it.
    public enum Condition: Equatable, Sendable {
        /// Nothing: it describes its page's object as that page shows it.
        case none
        /// The publication of one period of the object's plan: a semester code (`B12`) or a year (`2021`).
        case periodPublished(String)
        /// Never: it is for staff only (a staff note on a report).
        case staffOnly
        /// Never: it is for the plan's independent monitors only (a draft of their assessment, which the secretariat
        /// whose work it judges does not read before it is published).
        case monitorsOnly
    }

    /// The condition of an entry, by its action: the evaluation notes keep their period in `reason`, an assessment in
    /// the `period` of its state after the change.
    public static func condition(action: String, reason: String, after: String?) -> Condition {
        switch action {
        case "evaluation.notes": .periodPublished(reason)
        case "assessment.set": .periodPublished(period(inState: after) ?? "")
        case "report.staff_note": .staffOnly
        case "monitor.draft": .monitorsOnly
        default: .none
        }
    }

    /// Those who may read the plan's unpublished work see every entry of a page they may open; everyone else an entry
    /// whose condition holds. A period that cannot be read from the entry is never taken as published.
    public static func isVisible(_ condition: Condition, to viewer: Caller?, plan: UUID?, isPublished: (String) -> Bool) -> Bool {
        if condition == .monitorsOnly { return viewer.may(.assessIndependently, inPlan: plan) }
        if viewer.may(.readUnpublished, inPlan: plan) { return true }
        switch condition {
        case .none: return true
        case .periodPublished(let period): return !period.isEmpty && isPublished(period)
        case .staffOnly, .monitorsOnly: return false
        }
    }

    private struct PeriodState: Decodable {
        let period: String
    }

    private static func period(inState json: String?) -> String? {
        guard let json else { return nil }
        return try? JSONDecoder().decode(PeriodState.self, from: Data(json.utf8)).period
    }
}

/// How the author of a change is named. The audit history keeps an account as "Name <e-mail>" (entries are
/// hash-chained and never rewritten); pages name it without the address for everyone but the secretariat.
public enum HistoryActor {
    /// The stored author without its trailing " <e-mail>", if it has one.
    public static func name(_ stored: String) -> String {
        guard stored.hasSuffix(">"), let open = stored.range(of: " <", options: .backwards) else { return stored }
        return stored[..<open.lowerBound].trimmingCharacters(in: .whitespaces)
    }

    /// What a viewer reads: those who manage accounts the stored author as it is; everyone else its name and, for an
    /// account of an organisation, that organisation.
    public static func shown(_ stored: String, organisation: String?, to viewer: Caller?) -> String {
        if viewer?.mayEver(.manageAccounts) == true { return stored }
        let name = name(stored)
        guard let organisation, !organisation.isEmpty else { return name }
        return "\(name) (\(organisation))"
    }
}

/// What changed between two states of an object as the audit history keeps them (canonical JSON), field by field, so
/// that a page can say "role: reviewer → implementer" instead of showing two JSON documents.
public enum HistoryDiff {
    /// A JSON value reduced to what a page shows: objects are flattened into dotted field names.
    public enum Value: Equatable, Sendable {
        case null
        case bool(Bool)
        /// As written in the JSON (`12`, `2.5`), so integers stay integers.
        case number(String)
        case text(String)
        case list([Value])
    }

    /// One field that differs; a nil side means the field is absent there (the object was created or removed).
    public struct Change: Equatable, Sendable {
        /// Dotted for nested objects (`after.score`); empty when the whole state is a single value.
        public let field: String
        public let before: Value?
        public let after: Value?

        public init(field: String, before: Value?, after: Value?) {
            self.field = field
            self.before = before
            self.after = after
        }
    }

    /// The fields that differ between `before` and `after`, sorted by name. Unchanged fields are left out, and so are
    /// fields that are null (or absent) on both sides: a creation lists what the object was made with. Between two
    /// states, a field one of them leaves out is null there (Swift's encoder leaves out nil values).
    public static func changes(before: String?, after: String?) -> [Change] {
        let old = before.map(fields) ?? [:]
        let new = after.map(fields) ?? [:]
        let missing: Value? = before != nil && after != nil ? .null : nil
        return Set(old.keys).union(new.keys).sorted().compactMap { field in
            let was = old[field] ?? missing, now = new[field] ?? missing
            if was == now { return nil }
            if (was ?? .null) == .null, (now ?? .null) == .null { return nil }
            return Change(field: field, before: was, after: now)
        }
    }

    /// A stored state as field → value; a state that is not an object (a list, a text) is one field named "".
    static func fields(_ json: String) -> [String: Value] {
        guard let parsed = try? JSONDecoder().decode(JSON.self, from: Data(json.utf8)) else { return ["": .text(json)] }
        guard case .object(let members) = parsed else { return ["": parsed.value] }
        var result: [String: Value] = [:]
        flatten(members, prefix: "", into: &result)
        return result
    }

    private static func flatten(_ members: [String: JSON], prefix: String, into result: inout [String: Value]) {
        for (key, member) in members {
            if case .object(let inner) = member, !inner.isEmpty {
                flatten(inner, prefix: prefix + key + ".", into: &result)
            } else {
                result[prefix + key] = member.value
            }
        }
    }

    /// Any JSON, decoded without losing the difference between `1`, `true` and `"1"`.
    private indirect enum JSON: Decodable {
        case scalar(Value)
        case array([JSON])
        case object([String: JSON])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .scalar(.null)
            } else if let value = try? container.decode(Bool.self) {
                self = .scalar(.bool(value))
            } else if let value = try? container.decode(Int.self) {
                self = .scalar(.number(String(value)))
            } else if let value = try? container.decode(Double.self) {
                self = .scalar(.number(String(value)))
            } else if let value = try? container.decode(String.self) {
                self = .scalar(.text(value))
            } else if let value = try? container.decode([JSON].self) {
                self = .array(value)
            } else {
                self = .object(try container.decode([String: JSON].self))
            }
        }

        var value: Value {
            switch self {
            case .scalar(let value): value
            case .array(let items): .list(items.map(\.value))
            // An object inside a list: its members in one line, which is rare enough not to need more.
            case .object(let members):
                .text(members.keys.sorted().map { "\($0): \(members[$0]!.value.plain)" }.joined(separator: ", "))
            }
        }
    }
}

extension HistoryDiff.Value {
    /// The value as plain text, without any translation: what a page falls back to.
    public var plain: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .number(let text), .text(let text): text
        case .list(let items): items.map(\.plain).joined(separator: ", ")
        }
    }
}
