import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The syntax of the manifest a scan writes.
public struct ScanManifestFormat: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The name: `yaml` or `csv`.
    public var rawValue: String
    /// Creates a format named `rawValue`.
    ///
    /// - Parameter rawValue: The name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The name.
    public var description: String { rawValue }

    /// YAML, as the README's "Manifests (schema version 1)" shows.
    public static let yaml = ScanManifestFormat(rawValue: "yaml")
    /// CSV: one row per item, one column per caption language.
    public static let csv = ScanManifestFormat(rawValue: "csv")

    /// The format an output path names by its extension: `.yaml` and `.yml` YAML, `.csv` CSV.
    ///
    /// - Parameter path: The output path.
    /// - Returns: The format, or `nil` for any other extension.
    public init?(path: String) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "yaml", "yml": self = .yaml
        case "csv": self = .csv
        default: return nil
        }
    }
}

extension FolderScanner {
    /// Scans the folder and writes its manifest, item by item as they are found.
    ///
    /// Paths in the manifest are relative to the manifest's folder (to the current folder when writing to
    /// standard output), so that the manifest is valid where it is written. A file is written under a
    /// temporary name beside `output` and renamed at the end: an interrupted scan leaves no half manifest.
    /// The manifest and its temporary files are not reported when they lie inside the scanned tree.
    ///
    /// - Parameters:
    ///   - output: The manifest to write; `nil` for standard output.
    ///   - format: The syntax; by default the extension of `output` picks it, and standard output is YAML.
    /// - Returns: The counts of items and of skipped files per reason, and warnings.
    /// - Throws: ``ScanError``: ``ScanError/Code/output`` for an unknown extension or a missing folder,
    ///   ``ScanError/Code/write`` when writing fails, and whatever ``scan(_:)`` throws.
    public func writeManifest(to output: URL?, format: ScanManifestFormat? = nil) throws -> ScanSummary {
        let chosen: ScanManifestFormat
        if let format {
            chosen = format
        } else if let output {
            guard let named = ScanManifestFormat(path: output.path) else {
                throw ScanError(
                    .output, "\(output.relativePath): unknown manifest format; end the name with .yaml, .yml or .csv")
            }
            chosen = named
        } else {
            chosen = .yaml
        }
        let folder = try Self.existingFolder(output?.deletingLastPathComponent())
        let top = try resolvedRoot()
        let prefix = Self.relativePrefix(from: folder, to: top.path)
        var scanner = self
        var destination = try ScanDestination(output: output, folder: folder)
        defer { destination.discard() }
        if let identity = destination.identity { scanner.ignored.insert(identity) }
        if let output, let identity = FileIdentity(path: output.path) { scanner.ignored.insert(identity) }
        let summary: ScanSummary
        if chosen == .csv {
            var spool = try ScanDestination(
                output: nil, folder: output == nil ? NSTemporaryDirectory() : folder, spool: true)
            defer { spool.discard() }
            if let identity = spool.identity { scanner.ignored.insert(identity) }
            var writer = CSVScanWriter(pathPrefix: prefix)
            summary = try scanner.scan { item in try spool.write(try writer.spoolLine(item)) }
            try spool.flush()
            try destination.write(Data(writer.header.utf8))
            let columns = writer.columns
            try spool.readLines { line in
                try destination.write(Data(try writer.row(fromSpool: line, columns: columns).utf8))
            }
        } else {
            var writer = YAMLScanWriter(pathPrefix: prefix)
            try destination.write(Data(writer.start().utf8))
            summary = try scanner.scan { item in try destination.write(Data(writer.write(item).utf8)) }
            try destination.write(Data(writer.finish().utf8))
        }
        try destination.commit()
        return summary
    }

    /// The real path of `folder` (the current folder when `nil`).
    static func existingFolder(_ folder: URL?) throws -> String {
        let path = folder?.path ?? FileManager.default.currentDirectoryPath
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, let resolved = realpath(path, nil) else {
            throw ScanError(.output, "the folder of the manifest, \(path), does not exist; create it first")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The way from the folder `from` to the folder `to` (both absolute, symlinks resolved), ending with
    /// `/` unless empty: `media/`, `../media/`, ``.
    static func relativePrefix(from: String, to: String) -> String {
        let source = from.split(separator: "/")
        let target = to.split(separator: "/")
        var common = 0
        while common < source.count, common < target.count, source[common] == target[common] { common += 1 }
        let parts = Array(repeating: "..", count: source.count - common) + target[common...].map(String.init)
        return parts.isEmpty ? "" : parts.joined(separator: "/") + "/"
    }
}

/// Where a manifest is written: standard output, or a temporary file beside the manifest renamed at the
/// end; or a spool file, unlinked as soon as it is open. Writes are buffered.
struct ScanDestination {
    private let descriptor: Int32
    private let temporary: String?
    private let final: String?
    private var buffer: [UInt8] = []
    private var committed = false
    /// The identity of the file written, when it is one.
    private(set) var identity: FileIdentity?

    init(output: URL?, folder: String, spool: Bool = false) throws {
        guard output != nil || spool else {
            descriptor = STDOUT_FILENO
            temporary = nil
            final = nil
            return
        }
        let name = output?.lastPathComponent ?? "jwingest-scan"
        let path = folder + "/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max))" + (spool ? ".rows" : ".tmp")
        let opened = open(path, O_CREAT | O_EXCL | (spool ? O_RDWR : O_WRONLY) | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw ScanError(.output, "cannot write in \(folder): \(String(cString: strerror(errno)))")
        }
        descriptor = opened
        var info = stat()
        if fstat(opened, &info) == 0 { identity = FileIdentity(info) }
        if spool {
            unlink(path)
            temporary = nil
        } else {
            temporary = path
        }
        final = output?.path
    }

    /// Appends `data`, writing when 256 KiB are buffered.
    mutating func write(_ data: Data) throws {
        buffer.append(contentsOf: data)
        if buffer.count >= 256 << 10 { try flush() }
    }

    /// Writes what is buffered.
    mutating func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw ScanError(.write, "cannot write the manifest: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads a spool from its start, one line at a time.
    func readLines(_ body: (Data) throws -> Void) throws {
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw ScanError(.write, "cannot read the spooled rows: \(String(cString: strerror(errno)))")
        }
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 256 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw ScanError(.write, "cannot read the spooled rows: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            pending.append(contentsOf: chunk[0..<count])
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                try body(pending[start..<newline])
                start = newline + 1
            }
            pending = Data(pending[start...])
        }
        if !pending.isEmpty { try body(pending) }
    }

    /// Flushes, closes and renames the temporary file to the manifest's name.
    mutating func commit() throws {
        try flush()
        guard let temporary, let final else { return }
        guard fsync(descriptor) == 0, rename(temporary, final) == 0 else {
            throw ScanError(.write, "cannot write \(final): \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    /// Closes the file, and removes the temporary one unless it was committed.
    mutating func discard() {
        guard descriptor != STDOUT_FILENO else { return }
        if !committed, let temporary { unlink(temporary) }
        close(descriptor)
    }
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
    #else
        Darwin.write(descriptor, bytes, count)
    #endif
}

private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, bytes, count)
    #else
        Darwin.read(descriptor, bytes, count)
    #endif
}
