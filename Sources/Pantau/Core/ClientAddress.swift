import NIOCore
import Vapor

/// The reverse proxies whose word Pantau takes for the client's address (`PANTAU_TRUSTED_PROXY`, their IP addresses).
///
/// Limits per address (sign-in attempts, visitors' comments) must count the person, not the proxy every request comes
/// through, nor an address a client wrote itself. A request from a trusted proxy is taken to be from the right-most
/// address in `X-Forwarded-For` that is not itself a trusted proxy: each proxy appends the address it was reached from,
/// so that hop was written by a proxy we trust, while everything to its left came from the client and may be forged.
/// From any other peer the header is ignored.
struct TrustedProxies: Sendable, Equatable {
    let addresses: Set<String>

    static let none = TrustedProxies(addresses: [])

    private init(addresses: Set<String>) {
        self.addresses = addresses
    }

    /// Addresses separated by commas or spaces; nil when one of them is not an IP address.
    init?(list: String) {
        var addresses: Set<String> = []
        for item in list.split(whereSeparator: { $0 == "," || $0 == " " }) {
            guard let address = Self.normalised(String(item)) else { return nil }
            addresses.insert(address)
        }
        self.addresses = addresses
    }

    /// The client's address for a request from `peer` carrying these `X-Forwarded-For` values.
    func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, let normalisedPeer = Self.normalised(peer) else { return peer }
        guard addresses.contains(normalisedPeer) else { return normalisedPeer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            // A hop our proxy wrote is an address; anything else means we cannot tell, and the proxy counts as the client.
            guard let address = Self.normalised(hop) else { return normalisedPeer }
            if !addresses.contains(address) { return address }
        }
        return normalisedPeer
    }

    /// An IP address in one spelling (`::1`, `2001:db8::1`, `192.0.2.1`), with a port or IPv6 brackets taken off; nil for anything else.
    static func normalised(_ text: String) -> String? {
        var host = text.trimmingCharacters(in: .whitespaces)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            host = String(host[..<colon])
        }
        guard !host.isEmpty, host.count <= 64, let address = try? SocketAddress(ipAddress: host, port: 0) else { return nil }
        return address.ipAddress
    }
}

extension Application {
    private struct TrustedProxiesKey: StorageKey { typealias Value = TrustedProxies }

    var trustedProxies: TrustedProxies {
        get { storage[TrustedProxiesKey.self] ?? .none }
        set { storage[TrustedProxiesKey.self] = newValue }
    }
}

extension Request {
    /// The address of the person asking (`TrustedProxies`): what limits per address count.
    var clientAddress: String? {
        application.trustedProxies.clientAddress(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor])
    }
}
