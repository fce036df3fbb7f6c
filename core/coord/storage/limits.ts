/** Limits of Raft disk storage. */
import { MAX_ENTRY_DATA_BYTES, MAX_SNAPSHOT_BYTES } from '../raft/limits.js';

/** Length and CRC-32 in front of every record. */
export const RECORD_HEADER_BYTES = 8;

/** Largest record payload: one encoded entry (its data plus a small header). A larger declared
 * length can only be garbage, so recovery stops there instead of allocating it. */
export const MAX_RECORD_PAYLOAD_BYTES = MAX_ENTRY_DATA_BYTES + 64;

/** Largest hard state / snapshot file payload. */
export const MAX_STATE_FILE_BYTES = MAX_SNAPSHOT_BYTES + 64;

/** Segment size after which the log rolls to a new file; compaction deletes whole segments. */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
