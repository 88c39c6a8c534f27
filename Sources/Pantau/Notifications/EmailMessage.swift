import Foundation

/// An email as Pantau writes it (RFC 5322 with MIME): a plain-text and an HTML part of the same words, UTF-8 in
/// base64 (no line of it can start with a dot or run too long), a stable Message-ID and List-Unsubscribe.
struct EmailMessage: Sendable {
    let from: String
    let fromName: String
    let to: String
    let subject: String
    let text: String
    let html: String
    let messageID: String
    let date: Date
    /// Where the recipient changes what it receives (`List-Unsubscribe`).
    let unsubscribeURL: String

    /// The whole message, CRLF line ends.
    var rendered: String {
        let boundary = "pantau-" + String(messageID.filter { $0.isLetter || $0.isNumber }.prefix(32))
        let headers = [
            "From: \(Self.encodedWord(fromName)) <\(from)>",
            "To: <\(to)>",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "List-Unsubscribe: <\(unsubscribeURL)>",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        func part(_ type: String, _ body: String) -> [String] {
            ["--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", "",
             Self.base64Lines(body)]
        }
        return (headers + [""] + part("text/plain", text) + part("text/html", html) + ["--\(boundary)--", ""]).joined(separator: "\r\n")
    }

    /// A header value as it is when it is plain ASCII, else an RFC 2047 encoded word (UTF-8, base64).
    static func encodedWord(_ value: String) -> String {
        let clean = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 }) { return clean }
        return "=?UTF-8?B?" + Data(clean.utf8).base64EncodedString() + "?="
    }

    static func base64Lines(_ text: String) -> String {
        let encoded = Data(text.utf8).base64EncodedString()
        var lines: [Substring] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[start..<end])
            start = end
        }
        return lines.joined(separator: "\r\n")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Jakarta")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// Text made safe for HTML.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
