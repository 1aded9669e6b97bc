import Foundation
import Testing

@testable import JWIngest

/// The run's events on their way to the observers: every event, once, in the order raised.
@Suite("event batches")
struct EventBatchesTests {
    @Test("events added from several tasks at once all arrive once, each task's in its order; nil after the end")
    func concurrentAdds() async {
        let batches = EventBatches()
        let delivered = Task {
            var all: [IngestEvent] = []
            while let batch = await batches.next() { all += batch }
            return all
        }
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<1000 {
                        batches.add(IngestEvent(.stageStarted(item: "w\(writer)", stage: "\(index)")))
                        if index % 100 == 0 { try? await Task.sleep(for: .milliseconds(3)) }
                    }
                }
            }
        }
        batches.finish()
        let all = await delivered.value
        #expect(all.count == 4000)
        for writer in 0..<4 {
            let stages = all.compactMap { event -> Int? in
                guard case .stageStarted("w\(writer)", let stage) = event.kind else { return nil }
                return Int(stage)
            }
            #expect(stages == Array(0..<1000), "writer \(writer)")
        }
        #expect(await batches.next() == nil)
    }

    @Test("a cancelled delivery task still gets every event, and waits between looks instead of spinning")
    func cancelledDelivery() async {
        let batches = EventBatches()
        let delivery = Task {
            var count = 0
            while let batch = await batches.next() { count += batch.count }
            return count
        }
        delivery.cancel()
        for index in 0..<5 {
            batches.add(IngestEvent(.itemStarted(item: "\(index)")))
            try? await Task.sleep(for: .milliseconds(30))
        }
        batches.finish()
        #expect(await delivery.value == 5)
        // About 150 ms at one look every 20 ms: a few looks, not the thousands of a spinning loop.
        #expect(batches.looks < 60, "\(batches.looks) looks")
    }

    @Test("events added before the end are handed over before the end is")
    func finishDrains() async {
        let batches = EventBatches()
        batches.add(IngestEvent(.itemStarted(item: "a")))
        batches.add(IngestEvent(.itemStarted(item: "b")))
        batches.finish()
        let first = await batches.next()
        #expect(first?.map(\.kind) == [.itemStarted(item: "a"), .itemStarted(item: "b")])
        #expect(await batches.next() == nil)
    }
}
