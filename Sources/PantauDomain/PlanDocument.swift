/// A whole action plan as plain values: what is imported, exported and shown, independent of storage.
public struct PlanDocument: Codable, Hashable, Sendable {
    public var code: String
    public var title: String
    public var periodStart: YearMonth
    public var periodEnd: YearMonth
    public var semesters: [Semester]
    /// Code of the scoring scheme the plan is scored with, such as `ogi`.
    public var scoringScheme: String
    public var organisations: [OrganisationRecord]
    public var commitments: [CommitmentRecord]

    public init(code: String, title: String, periodStart: YearMonth, periodEnd: YearMonth, semesters: [Semester],
                scoringScheme: String, organisations: [OrganisationRecord], commitments: [CommitmentRecord]) {
        self.code = code
        self.title = title
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.semesters = semesters
        self.scoringScheme = scoringScheme
        self.organisations = organisations
        self.commitments = commitments
    }
}

/// An organisation as a plan refers to it; commitments name organisations by `name`.
public struct OrganisationRecord: Codable, Hashable, Sendable {
    public var name: String
    public var acronym: String?
    public var kind: OrganisationKind

    public init(name: String, acronym: String? = nil, kind: OrganisationKind) {
        self.name = name
        self.acronym = acronym
        self.kind = kind
    }
}

/// The narrative of a commitment, field by field as the OGI template asks for it.
public struct CommitmentDescription: Codable, Hashable, Sendable {
    /// Apa latar belakang permasalahan publik yang akan diselesaikan?
    public var problem: String
    /// Apa bentuk komitmennya?
    public var commitment: String
    /// Bagaimana komitmen tersebut dapat menyelesaikan permasalahan publik?
    public var howItSolves: String
    /// Mengapa komitmen tersebut relevan terhadap nilai-nilai Keterbukaan Pemerintah?
    public var openGovernmentRelevance: String
    /// Kesesuaian dengan RPJMN.
    public var rpjmnAlignment: String
    /// Kesesuaian dengan SDGs, as text.
    public var sdgAlignment: String
    /// SDG target numbers the commitment supports, such as `16.6`.
    public var sdgTargets: [String]
    /// Informasi tambahan.
    public var additionalInformation: String

    public init(problem: String = "", commitment: String = "", howItSolves: String = "",
                openGovernmentRelevance: String = "", rpjmnAlignment: String = "", sdgAlignment: String = "",
                sdgTargets: [String] = [], additionalInformation: String = "") {
        self.problem = problem
        self.commitment = commitment
        self.howItSolves = howItSolves
        self.openGovernmentRelevance = openGovernmentRelevance
        self.rpjmnAlignment = rpjmnAlignment
        self.sdgAlignment = sdgAlignment
        self.sdgTargets = sdgTargets
        self.additionalInformation = additionalInformation
    }
}

public struct ContactRecord: Codable, Hashable, Sendable {
    /// Name of the person in charge, when the plan gives one.
    public var name: String
    /// Jabatan, departemen: position and unit.
    public var position: String
    public var email: String
    public var phone: String

    public init(name: String = "", position: String = "", email: String = "", phone: String = "") {
        self.name = name
        self.position = position
        self.email = email
        self.phone = phone
    }
}

/// Indikator capaian: a measurable indicator of the whole commitment with its dates.
public struct IndicatorRecord: Codable, Hashable, Sendable {
    public var text: String
    public var start: YearMonth?
    public var end: YearMonth?

    public init(text: String, start: YearMonth? = nil, end: YearMonth? = nil) {
        self.text = text
        self.start = start
        self.end = end
    }
}

public struct CommitmentRecord: Codable, Hashable, Sendable {
    public var number: Int
    public var title: String
    public var theme: String
    public var description: CommitmentDescription
    /// Names of organisations, by their role in the commitment.
    public var proposers: [String]
    public var responsible: [String]
    public var related: [String]
    public var partners: [String]
    /// The planning-ministry (Bappenas) directorate that accompanies the commitment.
    public var planningDirectorate: String
    public var contacts: [ContactRecord]
    public var start: YearMonth?
    public var end: YearMonth?
    public var indicators: [IndicatorRecord]
    public var goals: [GoalRecord]
    /// Editorial remarks, for example where the source document was ambiguous.
    public var note: String

    public init(number: Int, title: String, theme: String = "", description: CommitmentDescription = .init(),
                proposers: [String] = [], responsible: [String] = [], related: [String] = [], partners: [String] = [],
                planningDirectorate: String = "", contacts: [ContactRecord] = [], start: YearMonth? = nil,
                end: YearMonth? = nil, indicators: [IndicatorRecord] = [], goals: [GoalRecord] = [], note: String = "") {
        self.number = number
        self.title = title
        self.theme = theme
        self.description = description
        self.proposers = proposers
        self.responsible = responsible
        self.related = related
        self.partners = partners
        self.planningDirectorate = planningDirectorate
        self.contacts = contacts
        self.start = start
        self.end = end
        self.indicators = indicators
        self.goals = goals
        self.note = note
    }

    public func organisations(in role: CommitmentRole) -> [String] {
        switch role {
        case .proposer: proposers
        case .responsible: responsible
        case .related: related
        case .partner: partners
        }
    }
}

/// Sasaran keberhasilan: a goal of a commitment.
public struct GoalRecord: Codable, Hashable, Sendable {
    public var text: String
    public var measures: [MeasureRecord]

    public init(text: String, measures: [MeasureRecord]) {
        self.text = text
        self.measures = measures
    }
}

/// Ukuran keberhasilan: a success measure with exactly one responsible organisation.
public struct MeasureRecord: Codable, Hashable, Sendable {
    public var text: String
    /// Name of the one organisation responsible (penanggung jawab).
    public var responsible: String
    /// Data pendukung: the evidence expected to prove the targets.
    public var expectedEvidence: String
    public var targets: [TargetRecord]

    public init(text: String, responsible: String, expectedEvidence: String = "", targets: [TargetRecord]) {
        self.text = text
        self.responsible = responsible
        self.expectedEvidence = expectedEvidence
        self.targets = targets
    }
}

/// Target capaian: what must be achieved for one measure by the end of one semester.
public struct TargetRecord: Codable, Hashable, Sendable {
    public var semester: String
    public var text: String

    public init(semester: String, text: String) {
        self.semester = semester
        self.text = text
    }
}
