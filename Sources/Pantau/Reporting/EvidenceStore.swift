import Crypto
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

    /// Checks size and type (from the content) and stores the bytes, durably, before returning.
    public func store(_ data: Data) throws -> StoredFile {
        guard !data.isEmpty else { throw AppError.invalid(key: "evidence.empty", arguments: []) }
        guard data.count <= maximumSize else {
            throw AppError.invalid(key: "evidence.too_large", arguments: ["\(maximumSize / 1024 / 1024)"])
        }
        guard let type = Self.detectType(data) else { throw AppError.invalid(key: "evidence.type_not_allowed", arguments: []) }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let destination = path(for: digest)
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: destination.path) {
            try fileManager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Written beside its final name, flushed to disk, then renamed: a crash leaves either nothing or the whole file.
            let temporary = destination.deletingLastPathComponent().appendingPathComponent(".\(digest).\(UUID().uuidString).part")
            fileManager.createFile(atPath: temporary.path, contents: nil)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, destination.path) != 0 {
                try? fileManager.removeItem(at: temporary)
                throw AppError.http(.internalServerError)
            }
        }
        return StoredFile(sha256: digest, size: data.count, type: type)
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

extension Application {
    private struct EvidenceStoreKey: StorageKey { typealias Value = EvidenceStore }

    public var evidenceStore: EvidenceStore {
        get { storage[EvidenceStoreKey.self]! }
        set { storage[EvidenceStoreKey.self] = newValue }
    }
}
