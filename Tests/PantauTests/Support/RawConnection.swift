import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 by hand over a loopback socket, for what no well-behaved client sends: half a request line, a body that
/// stops, a forged Host header. Its calls block (each for at most `receiveTimeout`), so tests make them through
/// `RawConnection.offThePool`, away from the threads the test runner shares.
final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32

    init(port: Int, receiveTimeout: Int = 10) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSetupError("socket failed") }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw TestSetupError("connect failed")
        }
    }

    deinit { close(descriptor) }

    /// Sends all of `data` unless the server has closed the connection; returns whether it all went.
    @discardableResult
    func send(_ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let sent = Glibc.send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Data(text.utf8)) }

    /// What arrives until the server closes the connection (`closed`), or until nothing came for the receive timeout.
    func receiveUntilClosed() -> (data: Data, closed: Bool) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { data.append(contentsOf: buffer[0..<count]); continue }
            // 0: the server closed; -1 with ECONNRESET: it closed with data unread; else the timeout.
            return (data, count == 0 || errno == ECONNRESET)
        }
    }

    /// The status line and headers of the first answer, or nil if none came within the receive timeout.
    func receiveHead() -> String? {
        var data = Data()
        var byte: UInt8 = 0
        while !data.ends(with: Data("\r\n\r\n".utf8)) {
            guard recv(descriptor, &byte, 1, 0) == 1 else { return nil }
            data.append(byte)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs blocking socket work on a thread of its own rather than one the test runner's tasks need.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

private extension Data {
    func ends(with suffix: Data) -> Bool { count >= suffix.count && self[(endIndex - suffix.count)...] == suffix }
}
