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
    }

    /// The condition of an entry, by its action: the evaluation notes keep their period in `reason`, an assessment in
    /// the `period` of its state after the change.
    public static func condition(action: String, reason: String, after: String?) -> Condition {
        switch action {
        case "evaluation.notes": .periodPublished(reason)
        case "assessment.set": .periodPublished(period(inState: after) ?? "")
        case "report.staff_note": .staffOnly
        default: .none
        }
    }

    /// The secretariat and reviewers see every entry of a page they may open; everyone else an entry whose condition holds.
    /// A period that cannot be read from the entry is never taken as published.
    public static func isVisible(_ condition: Condition, to role: UserRole?, isPublished: (String) -> Bool) -> Bool {
        if role == .secretariat || role == .reviewer { return true }
        switch condition {
        case .none: return true
        case .periodPublished(let period): return !period.isEmpty && isPublished(period)
        case .staffOnly: return false
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

    /// What a viewer of `role` reads: the secretariat the stored author as it is; everyone else its name and, for an
    /// account of an organisation, that organisation.
    public static func shown(_ stored: String, organisation: String?, to role: UserRole?) -> String {
        if role == .secretariat { return stored }
        let name = name(stored)
        guard let organisation, !organisation.isEmpty else { return name }
        return "\(name) (\(organisation))"
    }
}
