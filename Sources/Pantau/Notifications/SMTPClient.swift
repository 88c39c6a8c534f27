import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// How Pantau reaches its mail server (`PANTAU_SMTP_*`).
struct SMTPSettings: Sendable {
    enum Security: String, Sendable {
        /// Plain SMTP: only for a server on the same machine or a test.
        case none
        /// STARTTLS after the greeting, refused if the server does not offer it (port 587).
        case startTLS = "starttls"
        /// TLS from the first byte (port 465).
        case tls
    }

    var host: String
    var port: Int
    var security: Security
    var username: String?
    var password: String?
    /// The sender's address (`From`, and the envelope's `MAIL FROM`).
    var from: String
    /// A CA certificate file (PEM) to trust besides the system's: for a mail server with a certificate of its own.
    var caFile: String?
    /// The name Pantau greets the server with (`EHLO`).
    var helloName: String = "pantau"
    var timeout: TimeAmount = .seconds(30)
}

/// A reply of the mail server: its code and its lines.
struct SMTPReply: Sendable, CustomStringConvertible {
    let code: Int
    let lines: [String]

    /// 4xx: try again later (a full mailbox, a greylist, a busy server).
    var isTemporary: Bool { (400..<500).contains(code) }
    var description: String { "\(code) " + lines.joined(separator: " / ") }
}

enum SMTPError: Error, CustomStringConvertible {
    /// The server answered a command with a refusal.
    case refused(command: String, reply: SMTPReply)
    /// The connection failed or closed, or the server said something that is not SMTP.
    case connection(String)

    /// Worth another try later: a temporary refusal or a lost connection. A permanent refusal (5xx) is not.
    var isTemporary: Bool {
        switch self {
        case .refused(_, let reply): reply.isTemporary
        case .connection: true
        }
    }

    var description: String {
        switch self {
        case .refused(let command, let reply): "\(command): \(reply)"
        case .connection(let reason): reason
        }
    }
}

/// One message ready to go: the envelope and the whole text (headers and body, CRLF line ends).
struct SMTPEnvelope: Sendable {
    let from: String
    let recipient: String
    let data: String
}

/// A small SMTP client on SwiftNIO (RFC 5321; STARTTLS, RFC 3207; AUTH PLAIN, RFC 4954): no Swift SMTP library is in
/// the package mirror, and this is all Pantau needs. One connection sends a batch; each message gets its own
/// outcome, so one refused recipient does not hold up the others.
struct SMTPClient: Sendable {
    let settings: SMTPSettings
    let group: any EventLoopGroup

    /// Sends each envelope, telling `each` the outcome of each as soon as the server answers (nil: accepted), so that
    /// it is recorded before the next one goes. A failure to connect or to greet, or a lost connection, is thrown:
    /// the envelopes not yet told are not sent.
    func send(_ envelopes: [SMTPEnvelope], each: (Int, SMTPError?) async throws -> Void) async throws {
        let connection = try await Connection.open(settings, group: group)
        do {
            for (index, envelope) in envelopes.enumerated() {
                let outcome: SMTPError?
                do {
                    try await connection.deliver(envelope)
                    outcome = nil
                } catch let error as SMTPError {
                    if case .connection = error { throw error }
                    outcome = error
                    _ = try? await connection.command("RSET")
                }
                try await each(index, outcome)
            }
            _ = try? await connection.command("QUIT")
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    /// Connects, greets and signs in, then says goodbye: what `pantau serve` checks at start.
    func check() async throws {
        let connection = try await Connection.open(settings, group: group)
        _ = try? await connection.command("QUIT")
        await connection.close()
    }

    private final class Connection: @unchecked Sendable {
        let channel: any Channel
        let replies: ReplyHandler
        let settings: SMTPSettings

        init(channel: any Channel, replies: ReplyHandler, settings: SMTPSettings) {
            self.channel = channel
            self.replies = replies
            self.settings = settings
        }

        static func open(_ settings: SMTPSettings, group: any EventLoopGroup) async throws -> Connection {
            let replies = ReplyHandler()
            let tlsContext = try Self.tlsContext(settings)
            let channel: any Channel
            do {
                channel = try await ClientBootstrap(group: group)
                    .connectTimeout(settings.timeout)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            if settings.security == .tls {
                                try channel.pipeline.syncOperations.addHandler(
                                    try NIOSSLClientHandler(context: tlsContext, serverHostname: Self.serverName(settings.host)))
                            }
                            try channel.pipeline.syncOperations.addHandler(replies)
                        }
                    }
                    .connect(host: settings.host, port: settings.port).get()
            } catch {
                throw SMTPError.connection("\(settings.host):\(settings.port): \(error)")
            }
            let connection = Connection(channel: channel, replies: replies, settings: settings)
            do {
                try connection.expect(try await connection.reply(), 220, command: "greeting")
                var capabilities = try await connection.hello()
                if settings.security == .startTLS {
                    guard capabilities.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                        throw SMTPError.connection("\(settings.host) offers no STARTTLS")
                    }
                    try connection.expect(try await connection.command("STARTTLS"), 220, command: "STARTTLS")
                    let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: Self.serverName(settings.host))
                    try await channel.pipeline.addHandler(handler, position: .first).get()
                    capabilities = try await connection.hello()
                }
                if let username = settings.username, let password = settings.password {
                    let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
                    try connection.expect(try await connection.command("AUTH PLAIN \(token)"), 235, command: "AUTH")
                }
                _ = capabilities
            } catch {
                await connection.close()
                throw error
            }
            return connection
        }

        /// The server's name for certificate checks; an address is checked without one.
        static func serverName(_ host: String) -> String? {
            host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
        }

        static func tlsContext(_ settings: SMTPSettings) throws -> NIOSSLContext {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let caFile = settings.caFile {
                configuration.trustRoots = .file(caFile)
            }
            return try NIOSSLContext(configuration: configuration)
        }

        func hello() async throws -> [String] {
            let reply = try await command("EHLO \(settings.helloName)")
            try expect(reply, 250, command: "EHLO")
            return Array(reply.lines.dropFirst())
        }

        func deliver(_ envelope: SMTPEnvelope) async throws {
            try expect(try await command("MAIL FROM:<\(envelope.from)>"), 250, command: "MAIL FROM")
            let accepted = try await command("RCPT TO:<\(envelope.recipient)>")
            guard accepted.code == 250 || accepted.code == 251 else { throw SMTPError.refused(command: "RCPT TO", reply: accepted) }
            try expect(try await command("DATA"), 354, command: "DATA")
            try expect(try await write(Self.dotStuffed(envelope.data) + "\r\n.\r\n"), 250, command: "DATA (message)")
        }

        /// A line that starts with a dot gets another (RFC 5321 4.5.2), so no line of the text ends the message.
        static func dotStuffed(_ text: String) -> String {
            text.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
        }

        func command(_ line: String) async throws -> SMTPReply {
            try await write(line + "\r\n")
        }

        private func write(_ text: String) async throws -> SMTPReply {
            let future = channel.eventLoop.flatSubmit { [replies, channel] in
                let reply = replies.next(on: channel.eventLoop)
                return channel.writeAndFlush(channel.allocator.buffer(string: text)).flatMap { reply }
            }
            return try await withTimeout(future)
        }

        func reply() async throws -> SMTPReply {
            try await withTimeout(channel.eventLoop.flatSubmit { [replies, channel] in replies.next(on: channel.eventLoop) })
        }

        private func withTimeout(_ future: EventLoopFuture<SMTPReply>) async throws -> SMTPReply {
            let timeout = channel.eventLoop.scheduleTask(in: settings.timeout) { [channel] in channel.close(promise: nil) }
            defer { timeout.cancel() }
            do {
                return try await future.get()
            } catch let error as SMTPError {
                throw error
            } catch {
                throw SMTPError.connection("\(error)")
            }
        }

        func expect(_ reply: SMTPReply, _ code: Int, command: String) throws {
            guard reply.code == code else { throw SMTPError.refused(command: command, reply: reply) }
        }

        func close() async {
            try? await channel.close().get()
        }
    }

    /// Collects the server's lines into replies ("250-..." lines continue one, "250 ..." ends it) and hands each to
    /// the command waiting for it. Touched only on its channel's event loop.
    private final class ReplyHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer

        private var pending = ""
        private var lines: [String] = []
        private var ready: [SMTPReply] = []
        private var waiting: [EventLoopPromise<SMTPReply>] = []
        private var failure: SMTPError?

        func next(on loop: any EventLoop) -> EventLoopFuture<SMTPReply> {
            if !ready.isEmpty { return loop.makeSucceededFuture(ready.removeFirst()) }
            if let failure { return loop.makeFailedFuture(failure) }
            let promise = loop.makePromise(of: SMTPReply.self)
            waiting.append(promise)
            return promise.futureResult
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            pending += buffer.readString(length: buffer.readableBytes) ?? ""
            while let end = pending.range(of: "\n") {
                let line = String(pending[..<end.lowerBound]).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
                pending.removeSubrange(..<end.upperBound)
                let characters = Array(line)
                guard characters.count >= 3, let code = Int(String(characters[0..<3])) else {
                    fail(.connection("not an SMTP reply: \(line.prefix(200))"), context: context)
                    return
                }
                lines.append(characters.count > 4 ? String(characters[4...]) : "")
                if characters.count > 3, characters[3] == "-" { continue }
                let reply = SMTPReply(code: code, lines: lines)
                lines = []
                if waiting.isEmpty { ready.append(reply) } else { waiting.removeFirst().succeed(reply) }
            }
            // A server that never ends a line is no mail server.
            if pending.utf8.count > 64 * 1024 { fail(.connection("reply line too long"), context: context) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            fail(.connection("the mail server closed the connection"), context: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            fail(.connection("\(error)"), context: context)
        }

        private func fail(_ error: SMTPError, context: ChannelHandlerContext?) {
            if failure == nil { failure = error }
            let promises = waiting
            waiting = []
            for promise in promises { promise.fail(error) }
            context?.close(promise: nil)
        }
    }
}
