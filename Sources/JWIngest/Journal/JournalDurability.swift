/// What a journal write must survive before ``IngestJournaling/record(_:status:fingerprint:error:durability:)``
/// returns.
///
/// A power cut can take a journal back to an earlier write of an item; the runner is built so that going
/// back is safe as long as every write a stage asks for survives. A stage's checkpoints (``StageContext/checkpoint(_:)``)
/// guard calls whose answer must not be lost, such as "create sent" before a create: they are always
/// ``powerCut``. The runner's own writes between stages and at an item's end record what can be found or
/// done again (a video's key is found by its ingest id, a file is sent again to the same asset), so they
/// are ``processCrash`` unless the state has a create in flight: one `fsync` an item instead of three
/// (issue 14).
public enum JournalDurability: Sendable, Hashable {
    /// Survives a power cut of the machine that holds the journal (SQLite: `synchronous=FULL`).
    case powerCut
    /// Survives a crash or `kill -9` of the process; after a power cut, the item may be back at its last
    /// ``powerCut`` write (SQLite: `synchronous=NORMAL` in WAL mode; the next `FULL` commit makes it
    /// durable too).
    case processCrash
}
