import Foundation
import GRDB

/// Why a write could not be saved when the cause is the machine's, not the request's: callers
/// answer these with 503 and a plain sentence, never SQLite's own text.
public enum StorageFault: Sendable, Equatable {
    case diskFull
    case readOnly

    /// The sentence people are shown.
    public var message: String {
        switch self {
        case .diskFull: "the server's disk is full; nothing was saved"
        case .readOnly: "the server's data folder cannot be written to; nothing was saved"
        }
    }

    /// The fault behind a store error, if it is one of these.
    public init?(_ error: any Error) {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL: self = .diskFull
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: self = .readOnly
        // An I/O error on write is what a full disk looks like when SQLite finds out mid-write.
        case .SQLITE_IOERR: self = .diskFull
        default: return nil
        }
    }
}

extension Store {
    /// Caps the database at `pages` pages: writes that need more fail as on a full disk (SQLite's
    /// `max_page_count`). For tests of what a full disk does; nil when not GRDB.
    public func capSize(atPages pages: Int) async throws {
        guard let database = writer else { return }
        try await database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
    }

    /// The pages the database uses now.
    public func pageCount() async throws -> Int {
        guard let database = writer else { return 0 }
        return try await database.read { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
    }
}
