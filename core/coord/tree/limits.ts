/**
 * Limits and fixed encodings of the ZooKeeper data tree. The tree enforces no limit ZooKeeper 3.8
 * does not: path length and payload size are bounded by the server's packet limit
 * (jute.maxbuffer, MAX_DATA_BYTES in zookeeper-constants.ts), not here, so a request the real
 * server accepts is never refused by the tree alone.
 */

/** EphemeralType.TTL.maxValue(): TTLs live in the low 40 bits of ephemeralOwner (about 34 years). */
export const MAX_TTL_MS = 2 ** 40 - 1;

/** Digits of a sequential node's suffix: String.format("%010d", parentCversion). */
export const SEQUENTIAL_SUFFIX_DIGITS = 10;

/** Java int bounds: versions and cversion are 32-bit and wrap like Java's `int`. */
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

/** EphemeralType.CONTAINER_EPHEMERAL_OWNER (Long.MIN_VALUE), as a signed 64-bit value. */
export const CONTAINER_EPHEMERAL_OWNER = -(2n ** 63n);

/** EphemeralType's EXTENDED_MASK: the top byte all ones marks an extended type (TTL). */
export const EXTENDED_OWNER_MASK = 0xff00000000000000n;

/** Snapshot framing: magic, format version, and the checksum that guards the whole image. */
export const SNAPSHOT_MAGIC = 'BZT1';
export const SNAPSHOT_FORMAT_VERSION = 1;
export const SNAPSHOT_CHECKSUM_BYTES = 32;

/** Largest ACL list a snapshot may declare for one node (far above any real list; stops a corrupt
 * count from allocating wildly before the checksum would catch it). */
export const MAX_SNAPSHOT_ACL_ENTRIES = 1 << 20;
