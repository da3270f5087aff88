import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a data folder (`flexsched.lock`, `flock`), held while a server runs. Two
/// servers on one folder would each take the other's queued runs and mark its running ones
/// interrupted; the second one is refused instead, told who holds the folder. The kernel releases
/// the lock when the process ends, however it ends, so a killed server leaves no stale lock.
public final class DataFolderLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock and writes `holder` (who this server is) into the file for a second one to read.
    public init(directory: String, holder: String) throws {
        let path = (directory as NSString).appendingPathComponent("flexsched.lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreConflict("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let other = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw StoreConflict("another flexsched server is using \(directory)\(other.isEmpty ? "" : " (\(other))"); stop it first, or give another --data")
        }
        _ = ftruncate(fd, 0)
        let text = Array((holder + "\n").utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
