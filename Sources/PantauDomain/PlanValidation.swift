/// Where in a plan a problem was found, so the message can point a person at it.
public struct PlanLocation: Hashable, Sendable, CustomStringConvertible {
    public var commitment: Int?
    public var goal: Int?
    public var measure: Int?
    public var semester: String?

    public init(commitment: Int? = nil, goal: Int? = nil, measure: Int? = nil, semester: String? = nil) {
        self.commitment = commitment
        self.goal = goal
        self.measure = measure
        self.semester = semester
    }

    public var description: String {
        [commitment.map { "commitment \($0)" }, goal.map { "goal \($0)" }, measure.map { "measure \($0)" }, semester]
            .compactMap { $0 }.joined(separator: ", ")
    }
}

/// One thing wrong with a plan document. `kind` names a localisation key; `value` is the offending text.
public struct PlanProblem: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case invalidCode = "plan.invalid_code"
        case emptyTitle = "plan.empty_title"
        case periodReversed = "plan.period_reversed"
        case noSemesters = "plan.no_semesters"
        case unknownSemester = "plan.unknown_semester"
        case duplicateSemester = "plan.duplicate_semester"
        case duplicateOrganisation = "plan.duplicate_organisation"
        case emptyOrganisationName = "plan.empty_organisation_name"
        case unknownOrganisation = "plan.unknown_organisation"
        case duplicateCommitment = "plan.duplicate_commitment"
        case invalidCommitmentNumber = "plan.invalid_commitment_number"
        case emptyCommitmentTitle = "plan.empty_commitment_title"
        case emptyGoal = "plan.empty_goal"
        case emptyMeasure = "plan.empty_measure"
        case missingResponsible = "plan.missing_responsible"
        case duplicateTarget = "plan.duplicate_target"
    }

    public let kind: Kind
    public let location: PlanLocation
    public let value: String

    public init(_ kind: Kind, at location: PlanLocation = .init(), value: String = "") {
        self.kind = kind
        self.location = location
        self.value = value
    }
}

extension PlanDocument {
    /// Every problem that would make the plan inconsistent, all at once, in document order.
    public func problems() -> [PlanProblem] {
        var problems: [PlanProblem] = []
        if !PlanCode.isValid(code) { problems.append(.init(.invalidCode, value: code)) }
        if title.trimmed.isEmpty { problems.append(.init(.emptyTitle)) }
        if periodEnd < periodStart { problems.append(.init(.periodReversed, value: "\(periodStart) – \(periodEnd)")) }
        if semesters.isEmpty { problems.append(.init(.noSemesters)) }

        var semesterCodes = Set<String>()
        for semester in semesters where !semesterCodes.insert(semester.code).inserted {
            problems.append(.init(.duplicateSemester, at: .init(semester: semester.code), value: semester.code))
        }

        var organisationNames = Set<String>()
        for organisation in organisations {
            if organisation.name.trimmed.isEmpty { problems.append(.init(.emptyOrganisationName)) }
            if !organisationNames.insert(organisation.name).inserted {
                problems.append(.init(.duplicateOrganisation, value: organisation.name))
            }
        }

        var numbers = Set<Int>()
        for commitment in commitments {
            let here = PlanLocation(commitment: commitment.number)
            if commitment.number < 1 { problems.append(.init(.invalidCommitmentNumber, at: here, value: "\(commitment.number)")) }
            if !numbers.insert(commitment.number).inserted {
                problems.append(.init(.duplicateCommitment, at: here, value: "\(commitment.number)"))
            }
            if commitment.title.trimmed.isEmpty { problems.append(.init(.emptyCommitmentTitle, at: here)) }
            for role in CommitmentRole.allCases {
                for name in commitment.organisations(in: role) where !organisationNames.contains(name) {
                    problems.append(.init(.unknownOrganisation, at: here, value: name))
                }
            }
            for (goalIndex, goal) in commitment.goals.enumerated() {
                let goalHere = PlanLocation(commitment: commitment.number, goal: goalIndex + 1)
                if goal.text.trimmed.isEmpty { problems.append(.init(.emptyGoal, at: goalHere)) }
                for (measureIndex, measure) in goal.measures.enumerated() {
                    var measureHere = goalHere
                    measureHere.measure = measureIndex + 1
                    if measure.text.trimmed.isEmpty { problems.append(.init(.emptyMeasure, at: measureHere)) }
                    if measure.responsible.trimmed.isEmpty {
                        problems.append(.init(.missingResponsible, at: measureHere))
                    } else if !organisationNames.contains(measure.responsible) {
                        problems.append(.init(.unknownOrganisation, at: measureHere, value: measure.responsible))
                    }
                    var targetSemesters = Set<String>()
                    for target in measure.targets {
                        var targetHere = measureHere
                        targetHere.semester = target.semester
                        if !semesterCodes.contains(target.semester) {
                            problems.append(.init(.unknownSemester, at: targetHere, value: target.semester))
                        } else if !targetSemesters.insert(target.semester).inserted {
                            problems.append(.init(.duplicateTarget, at: targetHere, value: target.semester))
                        }
                    }
                }
            }
        }
        return problems
    }
}

extension String {
    /// Without leading and trailing white space and line breaks; much cheaper than Foundation's
    /// `trimmingCharacters(in:)`, which bridges through NSString (a big import trims millions of cells).
    public var trimmed: Substring {
        // Most cells start and end with a visible ASCII character: nothing to trim, and no need to walk characters.
        if let first = utf8.first, let last = utf8.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) {
            return self[...]
        }
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
