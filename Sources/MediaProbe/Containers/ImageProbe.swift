/// Recognizes still images by their first bytes: JPEG (`FF D8 FF`), PNG (the 8-byte signature, then
/// `IHDR`) and WebP (`RIFF`, `WEBP`, then a `VP8 `, `VP8L` or `VP8X` chunk). Images have no duration.
public struct ImageProbe: ContainerProbe {
    /// Creates the reader.
    public init() {}

    /// Whether `head` starts like a JPEG, PNG or WebP file.
    public func recognizes(head: [UInt8]) -> Bool {
        Self.container(of: head) != nil
    }

    /// Names the image format. A PNG whose signature is not followed by an `IHDR` chunk is still an image,
    /// with a reason saying so.
    ///
    /// - Throws: ``ProbeFailure/malformed(_:)`` when `head` is not an image this reader knows.
    public func probe(_ reader: RandomAccessReader, head: [UInt8]) throws -> ContainerFindings {
        guard let container = Self.container(of: head) else {
            throw ProbeFailure.malformed("the first bytes are not a JPEG, PNG or WebP signature")
        }
        var reason: String?
        if container == .png && !head.hasASCII("IHDR", at: 12) {
            reason = "the PNG signature is not followed by an IHDR chunk at byte 8"
        }
        return ContainerFindings(container: container, kind: .image, reason: reason)
    }

    private static func container(of head: [UInt8]) -> Container? {
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.hasASCII("RIFF", at: 0), head.hasASCII("WEBP", at: 8),
            head.hasASCII("VP8 ", at: 12) || head.hasASCII("VP8L", at: 12) || head.hasASCII("VP8X", at: 12)
        {
            return .webp
        }
        return nil
    }
}
