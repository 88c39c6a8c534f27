/// What changed between two versions of a plan, commitment by commitment and field by field, so the public
/// can see each revision of an adopted plan.
public enum PlanDiff {
    /// Where in a commitment a value lives: a field of the commitment, or a cell of its matrix.
    public struct Location: Hashable, Comparable, Sendable {
        /// `title`, `theme`, `problem`, … for the commitment; `goal`, `measure`, `responsible`, `evidence`, `target`.
        public let field: String
        public let goal: Int?
        public let measure: Int?
        public let semester: String?

        public init(field: String, goal: Int? = nil, measure: Int? = nil, semester: String? = nil) {
            self.field = field
            self.goal = goal
            self.measure = measure
            self.semester = semester
        }

        /// Commitment fields first in their document order, then the matrix in reading order.
        public static func < (lhs: Location, rhs: Location) -> Bool {
            func key(_ location: Location) -> (Int, Int, Int, Int, String) {
                let fieldRank = PlanDiff.fieldOrder.firstIndex(of: location.field) ?? PlanDiff.fieldOrder.count
                return (location.goal ?? 0, location.measure ?? 0, fieldRank, location.semester.flatMap(Semester.month(fromCode:)) ?? 0,
                        location.semester ?? "")
            }
            return key(lhs) < key(rhs)
        }
    }

    public struct FieldChange: Hashable, Sendable {
        public let location: Location
        /// Nil when the value was added.
        public let before: String?
        /// Nil when the value was removed.
        public let after: String?

        public init(location: Location, before: String?, after: String?) {
            self.location = location
            self.before = before
            self.after = after
        }
    }

    public enum Kind: String, Sendable {
        case added, removed, changed
    }

    public struct CommitmentChange: Hashable, Sendable {
        public let number: Int
        public let title: String
        public let kind: Kind
        public let changes: [FieldChange]
    }

    static let fieldOrder = [
        "title", "theme", "problem", "commitment", "how_it_solves", "open_government_relevance", "rpjmn_alignment",
        "sdg_alignment", "sdg_targets", "additional_information", "proposers", "responsible_organisations", "related",
        "partners", "planning_directorate", "start", "end", "indicators", "goal", "measure", "responsible", "evidence", "target",
    ]

    /// The commitments that differ between `old` and `new`, by number.
    public static func changes(from old: PlanDocument, to new: PlanDocument) -> [CommitmentChange] {
        let before = Dictionary(old.commitments.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.commitments.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        return Set(before.keys).union(after.keys).sorted().compactMap { number in
            let oldValues = before[number].map(values) ?? [:]
            let newValues = after[number].map(values) ?? [:]
            let changes = Set(oldValues.keys).union(newValues.keys).sorted().compactMap { location -> FieldChange? in
                let was = oldValues[location], now = newValues[location]
                return was == now ? nil : FieldChange(location: location, before: was, after: now)
            }
            guard !changes.isEmpty else { return nil }
            let kind: Kind = before[number] == nil ? .added : after[number] == nil ? .removed : .changed
            return CommitmentChange(number: number, title: (after[number] ?? before[number])!.title, kind: kind, changes: changes)
        }
    }

    /// Every non-empty value of a commitment by where it lives.
    static func values(of commitment: CommitmentRecord) -> [Location: String] {
        var values: [Location: String] = [:]
        func put(_ field: String, _ value: String, goal: Int? = nil, measure: Int? = nil, semester: String? = nil) {
            guard !value.isEmpty else { return }
            values[Location(field: field, goal: goal, measure: measure, semester: semester)] = value
        }
        let description = commitment.description
        put("title", commitment.title)
        put("theme", commitment.theme)
        put("problem", description.problem)
        put("commitment", description.commitment)
        put("how_it_solves", description.howItSolves)
        put("open_government_relevance", description.openGovernmentRelevance)
        put("rpjmn_alignment", description.rpjmnAlignment)
        put("sdg_alignment", description.sdgAlignment)
        put("sdg_targets", description.sdgTargets.joined(separator: ", "))
        put("additional_information", description.additionalInformation)
        put("proposers", commitment.proposers.joined(separator: "; "))
        put("responsible_organisations", commitment.responsible.joined(separator: "; "))
        put("related", commitment.related.joined(separator: "; "))
        put("partners", commitment.partners.joined(separator: "; "))
        put("planning_directorate", commitment.planningDirectorate)
        put("start", commitment.start?.iso ?? "")
        put("end", commitment.end?.iso ?? "")
        put("indicators", commitment.indicators.map(\.text).joined(separator: "\n"))
        for (goalIndex, goal) in commitment.goals.enumerated() {
            put("goal", goal.text, goal: goalIndex + 1)
            for (measureIndex, measure) in goal.measures.enumerated() {
                let (g, m) = (goalIndex + 1, measureIndex + 1)
                put("measure", measure.text, goal: g, measure: m)
                put("responsible", measure.responsible, goal: g, measure: m)
                put("evidence", measure.expectedEvidence, goal: g, measure: m)
                for target in measure.targets { put("target", target.text, goal: g, measure: m, semester: target.semester) }
            }
        }
        return values
    }
}
