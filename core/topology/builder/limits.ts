/**
 * Limits of a topology definition. A topology is code from a user, checked once when it is built,
 * so the bounds here keep a typo (parallelism 1e6) from turning into a million executors later.
 */
import { MAX_GROUPING_TARGET_TASKS } from '../groupings/index.js';

/** The stream a component emits on when it names none (Storm's "default"). */
export const DEFAULT_STREAM_ID = 'default';

/** Parallelism when setSpout/setBolt is given none. */
export const DEFAULT_PARALLELISM = 1;

/** Most tasks of one component; a grouping must be able to route among all of them. */
export const MAX_PARALLELISM = Math.min(1_024, MAX_GROUPING_TARGET_TASKS);

/** Most components (spouts + bolts) in one topology. */
export const MAX_COMPONENTS = 1_024;

/** Most tasks in one topology, over all components. */
export const MAX_TOPOLOGY_TASKS = 16_384;

/** Longest component or stream id: ids travel in every tuple header and every metric name. */
export const MAX_ID_LENGTH = 128;

/** Ids starting with this are reserved for system components and streams (acker, ticks), as in Storm. */
export const RESERVED_ID_PREFIX = '__';

/** Most output streams one component may declare. */
export const MAX_STREAMS_PER_COMPONENT = 64;

/** Most fields in one stream's declaration. */
export const MAX_FIELDS_PER_STREAM = 256;
