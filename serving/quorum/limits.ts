/**
 * Limits and defaults of quorum replication: versioned values, request coordination, hinted
 * handoff and failure detection (names carry units; see STYLE.md). Every number that arrives from a
 * peer, from storage or from a client option is checked against one of these.
 */

/** Version of the binary form of a versioned value; a reader refuses versions it does not know. */
export const VERSIONED_VALUE_FORMAT_VERSION = 1;

/** Largest value a versioned value may carry: 512 MiB, Redis's proto-max-bulk-len and the storage
 * layer's own limit, so a decoded copy from a peer never asks for more memory than a client could. */
export const MAX_VALUE_BYTES = 512 * 1024 * 1024;

/** Most siblings a stored or received DVV copy may hold. Writes are refused earlier, at core/clock's
 * DEFAULT_MAX_SIBLINGS; this bound only protects the decoder from a hostile or corrupt copy. */
export const MAX_STORED_SIBLINGS = 1024;

/** Default time a tombstone is kept before it may be collected: 10 days, Cassandra's
 * gc_grace_seconds. A replica that was down longer than this can resurrect deleted data, so repair
 * (anti-entropy) must run more often than this. */
export const DEFAULT_TOMBSTONE_GRACE_MS = 10 * 24 * 60 * 60 * 1000;

/** Largest replication factor N a request may ask for. */
export const MAX_REPLICATION_FACTOR = 16;

/** Dynamo's usual N, R, W: every read overlaps every acknowledged write (R + W > N). */
export const DEFAULT_N = 3;
export const DEFAULT_R = 2;
export const DEFAULT_W = 2;

/** Default time a coordinator waits for replicas before counting the silent ones as timed out. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 2_000;

/** Longest request timeout accepted: a minute; longer only keeps dead requests' state alive. */
export const MAX_REQUEST_TIMEOUT_MS = 60_000;

/** Default most hints one node keeps for one intended replica (Cassandra bounds hints by time;
 * a count bound keeps a long outage of one node from filling the disk with its hints). */
export const MAX_HINTS_PER_TARGET = 100_000;

/** Default most bytes all hints of one node may take; past it the oldest hints are dropped (and
 * counted): anti-entropy repairs what they would have carried. */
export const MAX_HINT_QUEUE_BYTES = 256 * 1024 * 1024;

/** Bytes charged per hint on top of key and value: ids, timestamps, map entries. */
export const HINT_OVERHEAD_BYTES = 64;

/** Longest key a hint may name: 64 KiB, the storage layer's key limit. */
export const MAX_HINT_KEY_BYTES = 64 * 1024;

/** Default age after which an unreplayed hint is dropped: 3 hours, Cassandra's max_hint_window.
 * A node down for longer is rebuilt by anti-entropy, not by replaying hours of writes. */
export const DEFAULT_MAX_HINT_AGE_MS = 3 * 60 * 60 * 1000;

/** Default most hints, and bytes, sent to a recovered node in one replay batch, so replay does not
 * flood a node that just came back. */
export const DEFAULT_REPLAY_BATCH_HINTS = 128;
export const DEFAULT_REPLAY_BATCH_BYTES = 4 * 1024 * 1024;

/** Default time a replayed hint stays "in flight" before it is offered again if not acknowledged. */
export const DEFAULT_REPLAY_TIMEOUT_MS = 10_000;

/** Default phi above which a node is suspected: 8, Cassandra's phi_convict_threshold and Akka's
 * default (about one false suspicion in 10^8 under the normal model). */
export const DEFAULT_PHI_THRESHOLD = 8;

/** Default and largest number of heartbeat intervals remembered per node. */
export const DEFAULT_HEARTBEAT_WINDOW = 1000;
export const MAX_HEARTBEAT_WINDOW = 10_000;

/** Default floor of the interval standard deviation: without it, perfectly regular heartbeats
 * make phi jump to infinity at the first late one. */
export const DEFAULT_MIN_STD_DEVIATION_MS = 100;

/** Default pause tolerated on top of the mean interval (GC pauses, a busy event loop). */
export const DEFAULT_ACCEPTABLE_HEARTBEAT_PAUSE_MS = 1_000;

/** Assumed mean interval while a node has sent only one heartbeat. */
export const DEFAULT_FIRST_HEARTBEAT_ESTIMATE_MS = 1_000;

/** Most nodes a failure detector tracks: the ring's MAX_RING_NODES. */
export const MAX_TRACKED_NODES = 1024;
