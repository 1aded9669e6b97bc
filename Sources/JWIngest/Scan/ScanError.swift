import Foundation

/// Why a folder could not be scanned or its manifest written.
///
/// The codes are an open set, like ``ItemKind``: a caller tells usage errors (a missing folder, a bad
/// `--metadata` file, an output in an unknown format) from a failed write by ``code``.
public struct ScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure it is.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The name of the code.
        public var rawValue: String
        /// Creates a code named `rawValue`.
        ///
        /// - Parameter rawValue: The name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The text shown in messages.
        public var description: String { rawValue }

        /// The folder to scan is missing, not a folder, or unreadable.
        public static let folder = Code(rawValue: "folder")
        /// The output's name or folder is unusable: an unknown extension, a missing folder.
        public static let output = Code(rawValue: "output")
        /// The metadata CSV is unreadable or malformed.
        public static let metadata = Code(rawValue: "metadata")
        /// An option is malformed: a glob, an id prefix.
        public static let options = Code(rawValue: "options")
        /// Writing the manifest failed part way (a full disk, a closed pipe).
        public static let write = Code(rawValue: "write")
    }

    /// What kind of failure it is.
    public var code: Code
    /// What went wrong and, where it helps, what to do.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of failure it is.
    ///   - message: What went wrong.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// Whether the failure is the caller's (exit status 2 in the CLI) rather than the machine's.
    public var isUsageError: Bool { code != .write }
}
