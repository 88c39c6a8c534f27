import Foundation

/// Which organisation a person meant by what they typed into an organisation field: a form offers the organisations
/// as "ACRONYM – Full name" suggestions (a `<datalist>`, no script), and a person may also type a name, an acronym or
/// part of either. Hundreds of organisations share words ("Kementerian ..."), so a guess is never made: a part that
/// fits several is answered with those several.
public enum OrganisationMatch: Equatable, Sendable {
    public struct Candidate: Equatable, Sendable {
        public let id: UUID
        public let name: String
        public let acronym: String?

        public init(id: UUID, name: String, acronym: String?) {
            self.id = id
            self.name = name
            self.acronym = acronym
        }

        /// How a suggestion reads, and what choosing it puts into the field.
        public var label: String { OrganisationMatch.label(name: name, acronym: acronym) }
    }

    /// Nothing was typed.
    case empty
    case found(Candidate)
    /// Several fit, sorted by name.
    case ambiguous([Candidate])
    case notFound

    public static func label(name: String, acronym: String?) -> String {
        guard let acronym, !acronym.isEmpty else { return name }
        return "\(acronym) – \(name)"
    }

    /// In order: a suggestion's label, a full name, an acronym (all ignoring case), then a part of a name or acronym.
    /// The first rule that fits one organisation decides; one that fits several makes the answer ambiguous.
    public static func resolve(_ typed: String, among candidates: [Candidate]) -> OrganisationMatch {
        let wanted = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !wanted.isEmpty else { return .empty }
        let rules: [(Candidate) -> Bool] = [
            { same($0.label, wanted) },
            { same($0.name, wanted) },
            { $0.acronym.map { same($0, wanted) } ?? false },
            // "KemenPAN-RB" for "KemenPAN RB", "Dinas Kominfo." for "Dinas Kominfo": spelt alike but for spaces and marks.
            { squeezed($0.name) == squeezed(wanted) || ($0.acronym.map { squeezed($0) == squeezed(wanted) } ?? false) },
            { contains($0.name, wanted) || ($0.acronym.map { contains($0, wanted) } ?? false) },
        ]
        for rule in rules {
            let fitting = candidates.filter(rule)
            if fitting.count == 1 { return .found(fitting[0]) }
            if fitting.count > 1 {
                return .ambiguous(fitting.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending })
            }
        }
        return .notFound
    }

    private static let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]

    private static func same(_ text: String, _ wanted: String) -> Bool {
        text.compare(wanted, options: options) == .orderedSame
    }

    /// Letters and digits only, without case or diacritics.
    private static func squeezed(_ text: String) -> String {
        String(text.folding(options: options, locale: nil).unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
            .lowercased()
    }

    private static func contains(_ text: String, _ wanted: String) -> Bool {
        text.range(of: wanted, options: options) != nil
    }
}
