import Vapor

extension HTTPHeaders {
    /// `Content-Disposition: attachment` with the file's name, whatever the name holds (an uploaded name is the
    /// uploader's text): `filename="..."` in printable ASCII without quote or backslash, other characters as "_",
    /// and, when that changed the name, the exact name UTF-8 and percent-encoded in `filename*` (RFC 6266), which
    /// browsers prefer. Control characters are dropped. Nothing of the name can end the header or add a parameter.
    mutating func setAttachment(filename: String) {
        let name = String(String.UnicodeScalarView(filename.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        guard !name.isEmpty else { return replaceOrAdd(name: .contentDisposition, value: "attachment") }
        let plain = String(String.UnicodeScalarView(name.unicodeScalars.map {
            (0x20...0x7E).contains($0.value) && $0 != "\"" && $0 != "\\" ? $0 : "_"
        }))
        var value = "attachment; filename=\"\(plain)\""
        if plain != name {
            value += "; filename*=UTF-8''" + name.utf8.map { byte in
                Self.attributeCharacters.contains(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
            }.joined()
        }
        replaceOrAdd(name: .contentDisposition, value: value)
    }

    /// The media type stored with a file, when it is one (type/subtype and parameters in visible ASCII); else
    /// `application/octet-stream`. Stored types come from the upload check, but a header takes no stored text unchecked.
    mutating func setContentType(stored: String?) {
        if let stored, stored.contains("/"), stored.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) {
            replaceOrAdd(name: .contentType, value: stored)
        } else {
            replaceOrAdd(name: .contentType, value: "application/octet-stream")
        }
    }

    /// RFC 8187 attr-char: what `filename*` carries without percent-encoding.
    private static let attributeCharacters: Set<UInt8> = Set(
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8))
}
