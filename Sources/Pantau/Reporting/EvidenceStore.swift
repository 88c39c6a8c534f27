import Crypto
import Fluent
import Foundation
import PantauDomain
import Vapor
import ZIPFoundation

/// Evidence files on disk, under the data folder by their SHA-256: the same content is stored once,
/// a stored file is never overwritten, and no uploaded name ever reaches the file system.
public struct EvidenceStore: Sendable {
    public let root: URL
    /// Default 20 MB; `PANTAU_MAX_UPLOAD_MB` changes it.
    public let maximumSize: Int

    public init(dataDirectory: String, maximumSize: Int) {
        self.root = URL(fileURLWithPath: dataDirectory).appendingPathComponent("evidence")
        self.maximumSize = maximumSize
    }

    public struct StoredFile: Sendable {
        public let sha256: String
        public let size: Int
        public let type: EvidenceFileType
    }

    /// A file that passed the checks, not yet on disk.
    public struct CheckedFile: Sendable {
        let data: Data
        let sha256: String
        let type: EvidenceFileType
    }

    /// Checks size and type (from the content), before anything is written.
    public func check(_ data: Data) throws -> CheckedFile {
        guard !data.isEmpty else { throw AppError.invalid(key: "evidence.empty", arguments: []) }
        guard data.count <= maximumSize else {
            throw AppError.invalid(key: "evidence.too_large", arguments: ["\(maximumSize / 1024 / 1024)"])
        }
        guard let type = Self.detectType(data) else { throw AppError.invalid(key: "evidence.type_not_allowed", arguments: []) }
        return CheckedFile(data: data, sha256: SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined(), type: type)
    }

    /// Checks and stores the bytes, durably, before returning.
    public func store(_ data: Data) throws -> StoredFile {
        try write(check(data), written: nil)
    }

    /// Stores a checked file durably; a file this call creates is noted in `written`, so that it can be removed
    /// again if the change that names it fails (`discard`).
    func write(_ file: CheckedFile, written: WrittenFiles?) throws -> StoredFile {
        let destination = path(for: file.sha256)
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: destination.path) {
            let folder = destination.deletingLastPathComponent()
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            // Written beside its final name, flushed to disk, then renamed: a crash leaves either nothing or the whole file.
            let temporary = folder.appendingPathComponent(".\(file.sha256).\(UUID().uuidString).part")
            fileManager.createFile(atPath: temporary.path, contents: nil)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: file.data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, destination.path) != 0 {
                try? fileManager.removeItem(at: temporary)
                throw AppError.http(.internalServerError)
            }
            // The rename itself is durable only once the folder is flushed too.
            let descriptor = open(folder.path, O_RDONLY)
            if descriptor >= 0 {
                fsync(descriptor)
                close(descriptor)
            }
            written?.add(file.sha256)
        }
        return StoredFile(sha256: file.sha256, size: file.data.count, type: file.type)
    }

    /// Removes files written for a change that failed, unless a row names them. Files are written inside audited
    /// transactions, and this runs in one too, so no other change can be naming the same file meanwhile.
    func discard(_ written: WrittenFiles, on database: any Database) async {
        let digests = written.all
        guard !digests.isEmpty else { return }
        try? await AuditLog.transaction(on: database, actor: .system) { db in
            for digest in digests {
                let evidence = try await EvidenceModel.query(on: db).filter(\.$sha256 == digest).count()
                let attachments = try await MeetingAttachmentModel.query(on: db).filter(\.$sha256 == digest).count()
                if evidence + attachments == 0 { try? FileManager.default.removeItem(at: path(for: digest)) }
            }
            return ((), [])
        }
    }

    /// Runs an audited change that writes files; if it fails, the files it wrote and no row names are removed.
    func writing<T: Sendable>(on database: any Database, _ change: @Sendable (WrittenFiles) async throws -> T) async throws -> T {
        let written = WrittenFiles()
        do {
            return try await change(written)
        } catch {
            await discard(written, on: database)
            throw error
        }
    }

    public func read(sha256: String) throws -> Data {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else { throw AppError.notFound(what: "evidence") }
        return try Data(contentsOf: path(for: sha256))
    }

    func path(for digest: String) -> URL {
        root.appendingPathComponent(String(digest.prefix(2))).appendingPathComponent(String(digest.dropFirst(2).prefix(2)))
            .appendingPathComponent(digest)
    }

    static func detectType(_ data: Data) -> EvidenceFileType? {
        let head = Array(data.prefix(4096))
        var names: [String]?
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            names = (try? Archive(data: data, accessMode: .read)).map { archive in archive.map(\.path) }
            if names == nil { return nil }
        }
        return EvidenceFileType.detect(head.count < data.count && names == nil ? Array(data.prefix(1_000_000)) : head, zipEntryNames: names)
    }
}

/// The files one change wrote.
final class WrittenFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var digests: [String] = []

    var all: [String] { lock.withLock { digests } }
    func add(_ digest: String) { lock.withLock { digests.append(digest) } }
}

extension Application {
    private struct EvidenceStoreKey: StorageKey { typealias Value = EvidenceStore }

    public var evidenceStore: EvidenceStore {
        get { storage[EvidenceStoreKey.self]! }
        set { storage[EvidenceStoreKey.self] = newValue }
    }
}
