/**
 * Limits of single-decree Paxos per key (compare-and-set). Everything an acceptor reads from a peer
 * or from its persisted state is checked against these.
 */

/** Version of the persisted acceptor state and of encoded proposals. */
export const PAXOS_FORMAT_VERSION = 1;

/** Largest value a compare-and-set may write: 64 MiB. A proposal travels in prepare replies (as
 * in-progress and as latest commit) and is persisted with every acceptor state, so a huge value
 * multiplies; SET NX of larger values is refused rather than slowing every round on the key. */
export const MAX_PAXOS_VALUE_BYTES = 64 * 1024 * 1024;

/** Longest operation id (caller-chosen, e.g. `${nodeId}/${counter}`), in UTF-16 code units. */
export const MAX_OPERATION_ID_LENGTH = 128;

/** Operation ids of the latest chosen values kept in each commit. A proposer whose proposal's fate
 * was lost (replies dropped) learns it in a later round if fewer than this many values were chosen
 * on the key meanwhile; past that it reports an unknown outcome, as Cassandra always does. */
export const PAXOS_HISTORY_LENGTH = 16;

/** Default most rounds (prepare attempts) one compare-and-set may take before giving up. */
export const DEFAULT_MAX_CAS_ROUNDS = 32;

/** Largest number of rounds a caller may allow. */
export const MAX_CAS_ROUNDS = 10_000;

/** Most acceptors (replicas) of one key: the largest replication factor. */
export const MAX_PAXOS_REPLICAS = 16;
