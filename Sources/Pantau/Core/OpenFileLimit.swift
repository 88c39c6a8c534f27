#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every connection holds a file descriptor. Many systems start a process with a soft limit of 1,024 although
/// its hard limit is far higher; `serve` raises the soft limit to the hard one, as Go and the JVM do, so that idle
/// or slow connections exhaust it later (README: "Connections and file descriptors").
public enum OpenFileLimit {
    /// Raises the soft limit to the hard one and returns the limit now in force (nil if it cannot be read).
    @discardableResult
    public static func raise() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return UInt64(limit.rlim_cur)
    }

    #if os(Linux)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
