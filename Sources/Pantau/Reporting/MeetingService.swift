import Fluent
import Foundation
import PantauDomain
import Vapor

/// Recording and publishing the minutes of co-creation meetings.
public enum MeetingService {
    struct MeetingState: Codable, Sendable {
        let title: String
        let date: String
        let isPublished: Bool
        let attachments: [String]
    }

    /// Stores minutes with their attachments and links to the plan's commitments, audited.
    @discardableResult
    public static func record(_ record: MeetingRecord, attachments: [(name: String, data: Data)], published: Bool,
                              store: EvidenceStore?, actor: AuditActor, organisationID: UUID?, recorderID: UUID?,
                              on database: any Database) async throws -> UUID {
        if let problem = record.problems().first { throw AppError.invalid(key: problem.rawValue, arguments: []) }
        let checked = try attachments.filter { !$0.data.isEmpty }.map { attachment in
            guard let store else { throw AppError.http(.internalServerError) }
            return (name: ReportService.safeDisplayName(attachment.name), file: try store.check(attachment.data))
        }
        // Minutes without files (the built-in ones) have no store; nothing is written through this one.
        let store = store ?? EvidenceStore(dataDirectory: "", maximumSize: 0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let content = String(decoding: try encoder.encode(record), as: UTF8.self)
        return try await store.writing(on: database) { written in try await AuditLog.transaction(on: database, actor: actor) { db in
            guard let plan = try await ActionPlanModel.query(on: db).filter(\.$code == record.plan).first() else {
                throw AppError.planNotFound(code: record.plan)
            }
            try PlanArchive.ensureOpen(plan)
            let commitments = try await CommitmentModel.query(on: db).filter(\.$plan.$id == plan.requireID())
                .filter(\.$number ~~ record.commitments).all()
            let missing = Set(record.commitments).subtracting(commitments.map(\.number))
            guard missing.isEmpty else {
                throw AppError.invalid(key: "meeting.unknown_commitment", arguments: [missing.sorted().map(String.init).joined(separator: ", ")])
            }
            let meeting = MeetingModel()
            meeting.$plan.id = try plan.requireID()
            meeting.title = record.title
            meeting.date = record.date.iso
            meeting.content = content
            meeting.isPublished = published
            // Minutes published as they are recorded (the built-in ones) are public from this moment.
            meeting.publishedAt = published ? Date() : nil
            meeting.recordedByID = recorderID
            meeting.$organisation.id = organisationID
            try await meeting.create(on: db)
            // The files reach the disk once the minutes are known to be accepted, before the rows naming them commit.
            let files = try checked.map { (name: $0.name, stored: try store.write($0.file, written: written)) }
            for commitment in commitments {
                let link = MeetingCommitmentModel()
                link.$meeting.id = meeting.id!
                link.$commitment.id = commitment.id!
                try await link.create(on: db)
            }
            for file in files {
                let attachment = MeetingAttachmentModel()
                attachment.$meeting.id = meeting.id!
                attachment.sha256 = file.stored.sha256
                attachment.fileName = file.name
                attachment.mediaType = file.stored.type.mediaType
                attachment.size = file.stored.size
                try await attachment.create(on: db)
            }
            let state = MeetingState(title: record.title, date: record.date.iso, isPublished: published, attachments: files.map(\.name))
            return (meeting.id!, [AuditChange(action: "meeting.record", objectType: "meeting", objectID: meeting.id!.uuidString,
                                              before: Optional<MeetingState>.none, after: state)])
        } }
    }

    static func publish(meetingID: UUID, by user: CurrentUser, now: Date, on database: any Database) async throws {
        let planCode = try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard let meeting = try await MeetingModel.query(on: db).filter(\.$id == meetingID).with(\.$plan).first() else {
                throw AppError.notFound(what: "meeting")
            }
            guard user.caller.may(.publish, plan: meeting.$plan.id) else { throw AppError.forbidden }
            try PlanArchive.ensureOpen(meeting.plan)
            guard !meeting.isPublished else { return (meeting.plan.code, []) }
            meeting.isPublished = true
            meeting.publishedAt = now
            try await meeting.save(on: db)
            let state = { (published: Bool) in MeetingState(title: meeting.title, date: meeting.date, isPublished: published, attachments: []) }
            return (meeting.plan.code, [AuditChange(action: "meeting.publish", objectType: "meeting", objectID: meetingID.uuidString,
                                                    before: state(false), after: state(true))])
        }
        try await SearchIndex.rebuild(planCode: planCode, on: database)
    }

    /// Published minutes for everyone; unpublished ones for those who read the plan's unpublished work and the
    /// recorder's organisation.
    static func canSee(_ meeting: MeetingModel, user: CurrentUser?) -> Bool {
        if meeting.isPublished { return true }
        guard let caller = user?.caller else { return false }
        return caller.may(.readUnpublished, plan: meeting.$plan.id) || caller.may(.recordMeeting, organisation: meeting.$organisation.id)
    }

    /// The real minutes Pantau ships with (`Resources/Meetings/*.json`), loaded on first start as published.
    static func loadBuiltIn(resourceRoot: String, on database: any Database) async throws -> Int {
        let folder = URL(fileURLWithPath: resourceRoot).appendingPathComponent("Resources/Meetings")
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        var loaded = 0
        var plans = Set<String>()
        for file in files.filter({ $0.pathExtension == "json" }).sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
            let record = try JSONDecoder().decode(MeetingRecord.self, from: try Data(contentsOf: file))
            guard try await MeetingModel.query(on: database).filter(\.$title == record.title).filter(\.$date == record.date.iso).count() == 0 else { continue }
            try await self.record(record, attachments: [], published: true, store: nil, actor: .system, organisationID: nil, recorderID: nil, on: database)
            loaded += 1
            plans.insert(record.plan)
        }
        for plan in plans.sorted() { try await SearchIndex.rebuild(planCode: plan, on: database) }
        return loaded
    }
}
