/// What a journal write must survive before ``IngestJournaling/record(_:status:fingerprint:error:durability:)``
/// returns.
///
/// A power cut can take a journal back to an earlier write of an item; the runner is built so that going
/// back is safe as long as every write a stage asks for survives. A stage's checkpoints
/// (``StageContext/checkpoint(_:)``) guard calls whose answer must not be lost, such as "create sent"
/// before a create: they are always ``powerCut``. The runner's own write after a stage is
/// ``processCrash`` only when every stage since the last write may be done again: a local one, or, on
/// v1, a video's `create` (the video is found again by its ingest id) and `upload` (the file is sent
/// again to the same video); and no create is in flight. A small video then costs one `fsync` instead of
/// three (issue 14). Every other write is ``powerCut``.
public enum JournalDurability: Sendable, Hashable {
    /// Survives a power cut of the machine that holds the journal (SQLite: `synchronous=FULL`).
    case powerCut
    /// Survives a crash or `kill -9` of the process; after a power cut, the item may be back at its last
    /// ``powerCut`` write (SQLite: `synchronous=NORMAL` in WAL mode; the next `FULL` commit makes it
    /// durable too).
    case processCrash
}
