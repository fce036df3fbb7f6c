/**
 * Limits of the Raft state machine and its wire codec. Every list, byte string and number that
 * crosses the wire or the disk is checked against one of these, so a bug or a hostile peer cannot
 * make a node allocate absurd sizes or overflow the zxid layout.
 */

/** zxid = term << 32 | index (ZooKeeper's epoch/counter); indexes must fit in 32 bits. */
export const MAX_RAFT_INDEX = 0xffff_ffff;

/** ZooKeeper's zxid is a signed 64-bit long, so its epoch half (our term) must stay below 2^31. */
export const MAX_RAFT_TERM = 0x7fff_ffff;

/** Highest term a received message may jump to (2^30 - 1); above it a message's term may exceed
 * ours by at most MAX_TERM_STEP_ABOVE_MESSAGE_TERM. A node that adopted a term near MAX_RAFT_TERM
 * could never campaign again, and a hard cap would only move that cliff (nobody could campaign
 * past it); an ensemble never holds 2^30 elections, so a jump this high is garbage or hostile. */
export const MAX_MESSAGE_TERM = 0x3fff_ffff;

/** Above MAX_MESSAGE_TERM, how far a message's term may lead ours: enough for a member that missed
 * many elections to catch up, small enough that walking to MAX_RAFT_TERM takes a million messages. */
export const MAX_TERM_STEP_ABOVE_MESSAGE_TERM = 1_000;

/** Node ids travel as u32; 0 means "none" (no vote, no leader). */
export const MAX_NODE_ID = 0xffff_ffff;

/** Largest payload of one log entry. ZooKeeper's jute.maxbuffer is 1 MiB per znode; a `multi`
 * may carry several, so leave room. */
export const MAX_ENTRY_DATA_BYTES = 8 * 1024 * 1024;

/** Largest application snapshot carried in one InstallSnapshot or stored in one snapshot file. */
export const MAX_SNAPSHOT_BYTES = 1024 * 1024 * 1024;

/** Most entries one AppendEntries may carry on the wire (the decoder refuses more). */
export const MAX_ENTRIES_PER_MESSAGE = 4096;

/** Default entries per AppendEntries sent by a leader (RaftConfig.maxEntriesPerAppend). */
export const DEFAULT_MAX_ENTRIES_PER_APPEND = 64;

/** Payload bytes per AppendEntries beyond which the leader stops adding entries (at least one is
 * always sent, so a single large entry still makes progress). */
export const MAX_APPEND_BYTES = 4 * 1024 * 1024;

/** Default AppendEntries in flight to one follower before the leader waits for acknowledgements
 * (RaftConfig.maxInflightAppends). Bounds the memory a slow follower can pin on the leader. */
export const DEFAULT_MAX_INFLIGHT_APPENDS = 32;

/** Proposed but uncommitted entries a leader accepts before refusing proposals (backpressure
 * when the quorum cannot keep up; otherwise the leader's log grows without bound). */
export const MAX_UNCOMMITTED_ENTRIES = 10_000;

/** Largest cluster; a 7-voter ZooKeeper ensemble is already unusual. */
export const MAX_VOTERS = 9;

/** Sanity bounds on the tick configuration. */
export const MAX_ELECTION_TICKS = 10_000;
