import Foundation
import JWTestSupport
import Testing

@testable import JWIngest

/// The checks that need no network, on the committed demo and broken manifests and on files made here.
@Suite("validation before any network call")
struct ManifestValidationTests {
    @Test("manifests/demo.yaml, migration.csv and nightly.yaml are valid")
    func committedManifestsAreValid() throws {
        for name in ["demo.yaml", "migration.csv", "nightly.yaml"] {
            let validation = ManifestValidation.run(IngestFixtures.manifests.appendingPathComponent(name))
            #expect(validation.problems.isEmpty, "\(name): \(validation.problems)")
            #expect((validation.manifest?.items.count ?? 0) >= 2)
        }
    }

    @Test("manifests/broken.yaml: the 1 s clip, the missing file, the duplicate id, the fake thumbnail, the typo")
    func brokenManifest() throws {
        let validation = ManifestValidation.run(IngestFixtures.manifests.appendingPathComponent("broken.yaml"))
        let byItem = Dictionary(grouping: validation.problems) { $0.itemID ?? "" }
        #expect(byItem["too-short"]?.first?.message.contains("lasts 1.00 s, shorter than min_duration 2 s") == true)
        #expect(byItem["missing-file"]?.first?.message.contains("does not exist") == true)
        #expect(byItem["harbour"]?.first?.message.contains("used twice") == true)
        #expect(byItem["fake-thumbnail"]?.first?.message.contains("is not a JPEG, PNG or WebP image") == true)
        #expect(byItem["misspelled-key"]?.first?.message.contains("did you mean 'title'") == true)
        #expect(validation.problems.allSatisfy { $0.position.line != nil })
    }

    @Test("content is judged by bytes, not names: a track that is not WebVTT/SRT, a video that is text")
    func contentNotNames() throws {
        let folder = try TestMedia.temporaryFolder("jwingest-validate")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("just some notes\n".utf8).write(to: folder.appendingPathComponent("notes.vtt"))
        try Data("not a video at all\n".utf8).write(to: folder.appendingPathComponent("clip.mp4"))
        try FileManager.default.copyItem(
            at: IngestFixtures.manifests.appendingPathComponent("media/intro.mp4"),
            to: folder.appendingPathComponent("good.mp4"))
        try FileManager.default.copyItem(
            at: IngestFixtures.manifests.appendingPathComponent("media/intro.en.vtt"),
            to: folder.appendingPathComponent("subs.txt"))
        let manifest = try IngestFixtures.write(
            """
            version: 1
            items:
              - {id: a, file: good.mp4, tracks: [{file: notes.vtt, language: en}, {file: subs.txt}]}
              - {id: b, file: clip.mp4}
              - {id: c, file: good.mp4, kind: image}
            """, named: "m.yaml", in: folder)
        let validation = ManifestValidation.run(manifest)
        let messages = validation.problems.map(\.description)
        #expect(messages.count == 3, "\(messages)")
        #expect(messages.contains { $0.contains("item 'a'") && $0.contains("notes.vtt is not WebVTT or SRT") })
        #expect(messages.contains { $0.contains("item 'b'") && $0.contains("not a video or audio file") })
        #expect(messages.contains { $0.contains("item 'c'") && $0.contains("not a JPEG, PNG or WebP image") })
        #expect(validation.checks["a"]?.media?.duration == 3.0)
    }

    @Test("max_size is checked before sending, with what to do")
    func tooLarge() throws {
        let folder = try TestMedia.temporaryFolder("jwingest-validate")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: IngestFixtures.manifests.appendingPathComponent("media/harbour.mp4"),
            to: folder.appendingPathComponent("h.mp4"))
        let manifest = try IngestFixtures.write(
            "version: 1\noptions: {max_size: 10KB}\nitems: [{id: h, file: h.mp4}]", named: "m.yaml", in: folder)
        let validation = ManifestValidation.run(manifest)
        #expect(validation.problems.count == 1)
        #expect(validation.problems.first?.message.contains("above max_size") == true)
    }
}
