/// A person at a meeting, as minutes name them.
public struct MeetingPerson: Codable, Hashable, Sendable {
    public var name: String
    public var role: String
    public var organisation: String

    public init(name: String = "", role: String = "", organisation: String = "") {
        self.name = name
        self.role = role
        self.organisation = organisation
    }
}

/// One discussion point, attributed to its speaker.
public struct MeetingPoint: Codable, Hashable, Sendable {
    public var speaker: MeetingPerson
    public var text: String

    public init(speaker: MeetingPerson, text: String) {
        self.speaker = speaker
        self.text = text
    }
}

/// The minutes (notula) of a co-creation meeting.
public struct MeetingRecord: Codable, Hashable, Sendable {
    /// Code of the plan the meeting was about.
    public var plan: String
    public var title: String
    public var date: CalendarDay
    /// `HH:MM`.
    public var startTime: String
    public var endTime: String
    public var timeZone: String
    public var place: String
    public var online: Bool
    public var agenda: [String]
    public var moderator: MeetingPerson
    public var participants: [MeetingPerson]
    public var points: [MeetingPoint]
    public var followUps: [String]
    /// Numbers of the plan's commitments the meeting concerned.
    public var commitments: [Int]
    public var note: String
    /// The meeting presented the plan's results to civil society (OGP's minimum requirement: twice a year). Absent in
    /// minutes recorded before it was asked, which count as not.
    public var presentsResults: Bool?
    /// A meeting of the plan's multi-stakeholder forum (OGP's co-creation standard: a forum that meets on record).
    /// Absent in minutes recorded before it was asked, which count as not.
    public var forumMeeting: Bool?

    public init(plan: String, title: String, date: CalendarDay, startTime: String = "", endTime: String = "", timeZone: String = "WIB",
                place: String = "", online: Bool = false, agenda: [String] = [], moderator: MeetingPerson = .init(),
                participants: [MeetingPerson] = [], points: [MeetingPoint] = [], followUps: [String] = [], commitments: [Int] = [],
                note: String = "", presentsResults: Bool = false, forumMeeting: Bool = false) {
        self.plan = plan
        self.title = title
        self.date = date
        self.startTime = startTime
        self.endTime = endTime
        self.timeZone = timeZone
        self.place = place
        self.online = online
        self.agenda = agenda
        self.moderator = moderator
        self.participants = participants
        self.points = points
        self.followUps = followUps
        self.commitments = commitments
        self.note = note
        self.presentsResults = presentsResults
        self.forumMeeting = forumMeeting
    }

    public enum Problem: String, Error, Sendable {
        case emptyTitle = "meeting.empty_title"
        case badTime = "meeting.bad_time"
        case noParticipants = "meeting.no_participants"
    }

    /// What makes minutes unusable as evidence: no title, times that are not HH:MM, nobody present.
    public func problems() -> [Problem] {
        var problems: [Problem] = []
        if title.trimmed.isEmpty { problems.append(.emptyTitle) }
        for time in [startTime, endTime] where !time.isEmpty && !Self.isTime(time) { problems.append(.badTime) }
        if participants.isEmpty { problems.append(.noParticipants) }
        return problems
    }

    static func isTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hours = Int(parts[0]), let minutes = Int(parts[1]) else { return false }
        return (0...23).contains(hours) && (0...59).contains(minutes)
    }
}

/// The seat a member holds in a plan's multi-stakeholder forum: government and civil society sit in equal standing
/// (OGP's co-creation standard); others (academia, the private sector) may join.
public enum ForumSeat: String, CaseIterable, Codable, Sendable {
    case government
    case civilSociety = "civil_society"
    case other

    /// The seat an organisation of this kind usually holds.
    public init(kind: OrganisationKind) {
        switch kind {
        case .governmentAgency, .parliamentUnit: self = .government
        case .civilSociety: self = .civilSociety
        case .internationalOrganisation: self = .other
        }
    }
}
