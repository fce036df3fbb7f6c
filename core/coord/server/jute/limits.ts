/** Bounds on what a jute decoder accepts, so garbage cannot make the server allocate or loop. */
import { MAX_DATA_BYTES } from '../../zookeeper-constants.js';

/** Largest packet a client may send: jute.maxbuffer plus room for the request's other fields. */
export const MAX_PACKET_BYTES = MAX_DATA_BYTES + 64 * 1024;

/** Longest string (a path, a scheme) accepted. */
export const MAX_STRING_BYTES = MAX_PACKET_BYTES;

/** Most elements in one vector (ACL lists, watch lists in setWatches, multi ops). */
export const MAX_VECTOR_LENGTH = 1_000_000;
