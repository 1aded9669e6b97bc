import Foundation
import JWPlatform
import JWTestSupport
import Testing

@testable import JWSandbox

/// The `bw` fault: each request body read no faster than a rate, every connection on its own (a slow link
/// per connection, as a far-away upload sees it).
@Suite("Fault SPEC: bw, a bandwidth per connection")
struct BandwidthFaultTests {
    @Test(
        "bw reads bytes a second in K, M, G or bytes, and prints back the same",
        arguments: [
            ("bw=20M", Int64(20 << 20), "bw=20M"), ("bw=512k", 512 << 10, "bw=512K"), ("bw=1000", 1000, "bw=1000"),
        ])
    func values(spec: String, rate: Int64, canonical: String) throws {
        let plan = try FaultPlan(spec: spec, seed: 1)
        #expect(plan.rules.first?.action == .bandwidth(bytesPerSecond: rate))
        #expect(plan.description == canonical)
        #expect(try FaultPlan(spec: plan.description, seed: 1).rules == plan.rules)
    }

    @Test(
        "a bw that is not a positive size, or on requests without a body, is refused",
        arguments: [
            ("bw", FaultSpecError.Code.missingValue), ("bw=", .missingValue), ("bw=0", .invalidBandwidth),
            ("bw=-5M", .invalidBandwidth), ("bw=fast", .invalidBandwidth), ("bw=99999999999G", .invalidBandwidth),
            ("bw=1M@api", .scopeWithoutBody),
        ])
    func refused(spec: String, code: FaultSpecError.Code) {
        let error = #expect(throws: FaultSpecError.self) { try FaultPlan(spec: spec, seed: 1) }
        #expect(error?.code == code, "\(String(describing: error))")
    }

    @Test("bw applies to bodies only, the slowest rule holds, and it draws nothing from the fault sequence")
    func decisions() throws {
        let plan = try FaultPlan(spec: "bw=4M@s3,bw=1M@s3,500=50%", seed: 3)
        #expect(plan.decide(for: .s3).bandwidth == 1 << 20)
        #expect(plan.decide(for: .call("/videos/show")).bandwidth == nil)
        // The failures drawn are those of the same SPEC without bw.
        let without = try FaultPlan(spec: "500=50%", seed: 3)
        for index in 0..<50 {
            #expect(
                plan.decision(for: .upload("/v1/videos/upload"), at: UInt64(index)).failure
                    == without.decision(for: .upload("/v1/videos/upload"), at: UInt64(index)).failure)
        }
    }

    @Test("an S3 PUT of 2 MiB under bw=1M takes at least about 2 s, and arrives whole")
    func throttled() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan(spec: "bw=1M@s3", seed: 1)
        let folder = try TestMedia.temporaryFolder("jwingest-bw")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = TestMedia.noisyWAV(seconds: Double(2 << 20) / 8000, seed: 5)
        let file = folder.appendingPathComponent("slow.wav")
        try Data(bytes).write(to: file)
        try await Sandbox.withSandbox(configuration) { sandbox in
            let client = APIClient(
                credentials: sandbox.credentials,
                configuration: APIClientConfiguration(endpoint: sandbox.endpoint, retry: .none))
            let created = try await client.createVideo(VideoMetadata(title: "slow"), method: .s3)
            let link = try #require(created.link)
            let started = ContinuousClock.now
            let result = try await client.upload(
                FileUpload(file: file, size: Int64(bytes.count), link: link, method: .s3))
            let elapsed = ContinuousClock.now - started
            #expect(result.matches)
            #expect(elapsed > .milliseconds(1800), "\(elapsed)")
        }
    }
}
