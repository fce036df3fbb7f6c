/**
 * Limits and defaults of the group coordinator, each a named constant (Kafka's broker setting in
 * brackets). Everything a client sends into a group is bounded here, so a hostile or buggy client
 * gets a protocol error instead of growing the coordinator's memory.
 */

/**
 * Partitions of `__consumer_offsets` [offsets.topic.num.partitions, Kafka: 50]. Ten here: a test
 * machine runs many one-broker clusters, each creating the topic on first use, and ten logs
 * open in a fraction of the time fifty do while still spreading groups over partitions.
 */
export const OFFSETS_TOPIC_PARTITIONS = 10;
export const OFFSETS_TOPIC = '__consumer_offsets';
/**
 * Replicas of `__consumer_offsets` [offsets.topic.replication.factor, Kafka: 3], capped by the
 * brokers live when the topic is created (Kafka refuses instead; here a one-broker cluster still
 * gets groups) and never below default.replication.factor. The topic used to follow
 * default.replication.factor alone: on a cluster left at its default of 1, the death of a
 * group's coordinator took the group's committed offsets with it.
 */
export const OFFSETS_TOPIC_REPLICATION_FACTOR = 3;

/** [group.min.session.timeout.ms, Kafka: 6 s]: lower here so tests can evict quickly. */
export const DEFAULT_MIN_SESSION_TIMEOUT_MS = 1_000;
/** [group.max.session.timeout.ms, Kafka: 30 min] */
export const DEFAULT_MAX_SESSION_TIMEOUT_MS = 30 * 60_000;
/** [group.initial.rebalance.delay.ms, Kafka: 3 s]: lets the first members of a new group join one generation. */
export const DEFAULT_INITIAL_REBALANCE_DELAY_MS = 3_000;
/**
 * [group.max.size, Kafka: unbounded]. With MAX_MEMBER_METADATA_BYTES this bounds a group's
 * metadata record (64 × 2 × 6 KiB = 768 KiB) below the log's largest batch (1 MiB), so storing
 * a group can never fail for its size.
 */
export const MAX_MEMBERS_PER_GROUP = 64;

/** Group ids, member ids, protocol names and types: Kafka has no limit; we do. */
export const MAX_GROUP_ID_LENGTH = 255;
export const MAX_NAME_LENGTH = 255;
/** Protocols (assignors) one member may offer. */
export const MAX_PROTOCOLS_PER_MEMBER = 16;
/** One member's subscription metadata (per protocol), and one member's assignment. */
export const MAX_MEMBER_METADATA_BYTES = 6 * 1024;
/** [offset.metadata.max.bytes, Kafka: 4096] */
export const MAX_OFFSET_METADATA_LENGTH = 4096;
/** Partitions one OffsetCommit may carry. */
export const MAX_PARTITIONS_PER_COMMIT = 100_000;
/** How long an OffsetCommit waits for its records to replicate. */
export const COMMIT_REPLICATION_TIMEOUT_MS = 5_000;
/** How long FindCoordinator waits for a new `__consumer_offsets` to get leaders. */
export const OFFSETS_TOPIC_CREATE_WAIT_MS = 5_000;
