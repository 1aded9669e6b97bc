/// The rules of a v2 multipart upload (docs.jwplayer.com "Multipart resumable upload"; the official Python
/// client's `upload.py`): up to 10,000 parts numbered from 1, every part but the last at least 5 MiB, the
/// whole at most 25 GB as the client counts it.
enum V2PartRules {
    /// Parts every multipart upload offers ("all multipart uploads start with 10,000 parts").
    static let partCount = 10_000
    /// The smallest part but the last: 5 MiB (`MIN_PART_SIZE`).
    static let minimumPartSize: Int64 = 5 * 1024 * 1024
    /// The largest part, and the largest direct upload: 5 GiB, as S3.
    static let maximumPartSize: Int64 = 5 * 1024 * 1024 * 1024
    /// The largest file: `MAX_FILE_SIZE = 25*1000*1024*1024` bytes.
    static let maximumFileSize: Int64 = 25 * 1000 * 1024 * 1024
    /// Parts listed per page by default, and at most.
    static let defaultPageLength = 10
    static let maximumPageLength = 1000

    /// Checks the parts stored (number and size) before a complete.
    ///
    /// - Throws: ``V2Error`` `400 parts_missing` when no part arrived or parts 1 to the highest are not all
    ///   there (naming the missing numbers), `400 part_too_small` when a part before the last is under
    ///   5 MiB (naming them), `400 file_too_large` when the parts add up to more than 25 GB.
    static func check(_ sizes: [Int: Int64]) throws(V2Error) {
        guard let last = sizes.keys.max() else {
            throw V2Error(400, "parts_missing", "no part was uploaded; upload parts 1 to N, then complete")
        }
        let missing = (1...last).filter { sizes[$0] == nil }
        guard missing.isEmpty else {
            throw V2Error(
                400, "parts_missing",
                "\(missing.count == 1 ? "part" : "parts") \(describe(missing)) \(missing.count == 1 ? "is" : "are") "
                    + "missing: every part from 1 to \(last), the highest uploaded, must be uploaded before completing")
        }
        let small = (1..<last).filter { sizes[$0, default: 0] < minimumPartSize }
        guard small.isEmpty else {
            throw V2Error(
                400, "part_too_small",
                "\(small.count == 1 ? "part" : "parts") \(describe(small)) \(small.count == 1 ? "is" : "are") under "
                    + "5 MiB (\(minimumPartSize) bytes); only the last part (\(last)) may be smaller")
        }
        let total = sizes.values.reduce(0, +)
        guard total <= maximumFileSize else {
            throw V2Error(
                400, "file_too_large", "the parts add up to \(total) bytes, over the \(maximumFileSize) bytes allowed")
        }
    }

    /// `2, 4, 7-9`, at most 20 items, then `…`.
    static func describe(_ numbers: [Int]) -> String {
        var runs: [String] = []
        var index = 0
        while index < numbers.count {
            var end = index
            while end + 1 < numbers.count, numbers[end + 1] == numbers[end] + 1 { end += 1 }
            runs.append(end == index ? "\(numbers[index])" : "\(numbers[index])-\(numbers[end])")
            index = end + 1
        }
        return runs.count > 20 ? runs.prefix(20).joined(separator: ", ") + ", …" : runs.joined(separator: ", ")
    }
}
