import Foundation

/// Where a run keeps its journal.
///
/// ```swift
/// configuration.journal = .besideManifest                      // .jwingest/journal.sqlite (the default)
/// configuration.journal = .file(URL(fileURLWithPath: "/var/lib/jwingest/journal.sqlite"))
/// configuration.journal = .custom(myJournal)                   // any IngestJournaling
/// configuration.journal = .none                                // no resume (a fresh sandbox)
/// ```
public struct JournalLocation: Sendable {
    enum Kind: Sendable {
        case besideManifest
        case file(URL)
        case custom(any IngestJournaling)
        case none
    }

    let kind: Kind

    /// `.jwingest/journal.sqlite` in the manifest's folder.
    public static let besideManifest = JournalLocation(kind: .besideManifest)

    /// An SQLite journal at `url`; one file may hold several manifests.
    public static func file(_ url: URL) -> JournalLocation { JournalLocation(kind: .file(url)) }

    /// A journal of one's own (or another backend).
    public static func custom(_ journal: any IngestJournaling) -> JournalLocation {
        JournalLocation(kind: .custom(journal))
    }

    /// No journal: every run starts from nothing (and relies on the remote check not to double).
    public static let none = JournalLocation(kind: .none)

    /// The journal for `manifest` run with `account` against `endpoint`, opened; `nil` for ``none``.
    ///
    /// - Throws: ``JournalError`` when an SQLite journal cannot be opened.
    public func open(manifest: URL, account: String, endpoint: String) throws -> (any IngestJournaling)? {
        switch kind {
        case .besideManifest:
            return try SQLiteJournal(
                path: SQLiteJournal.defaultPath(for: manifest), manifest: manifest, account: account, endpoint: endpoint
            )
        case .file(let url):
            return try SQLiteJournal(path: url, manifest: manifest, account: account, endpoint: endpoint)
        case .custom(let journal):
            return journal
        case .none:
            return nil
        }
    }

    /// The SQLite file this location names, if it names one.
    public func file(for manifest: URL) -> URL? {
        switch kind {
        case .besideManifest: return SQLiteJournal.defaultPath(for: manifest)
        case .file(let url): return url
        case .custom, .none: return nil
        }
    }
}
