/**
 * Limits and default timings of the topology cluster (nimbus, supervisors, submit). Every wait,
 * retry and size here is bounded by a named constant.
 */

/** Largest topology module a submission may upload (the bundle). Modules travel in coord
 * inside one `multi`, which must stay under the 1 MiB packet limit (jute.maxbuffer). */
export const MAX_MODULE_BYTES = 768 * 1024;

/** One znode of module content. */
export const MODULE_CHUNK_BYTES = 256 * 1024;

/** Most workers one topology may ask for. */
export const MAX_WORKERS_PER_TOPOLOGY = 256;

/** Most worker slots one supervisor may offer. */
export const MAX_SLOTS_PER_SUPERVISOR = 64;

/** Storm's supervisor.slots.ports start at 6700. */
export const DEFAULT_FIRST_SLOT_PORT = 6700;

/** Session timeout of supervisors: how long a crashed supervisor stays registered. Nimbus reassigns
 * its workers this long (plus the coord's expiry tick and the workers' restart) after it dies. 4 s
 * is ZooKeeper's least (2 × tickTime) and keeps a reassignment within the 10 s the fault suite
 * asks (6 s measured 7.3–13 s on a loaded machine); heartbeats go every third of it. */
export const DEFAULT_SUPERVISOR_SESSION_TIMEOUT_MS = 4_000;

/** Session timeout of nimbus: how long a crashed leader blocks a standby. */
export const DEFAULT_NIMBUS_SESSION_TIMEOUT_MS = 10_000;

/** Nimbus and supervisors reconcile on every watch event and at least this often (a safety net for
 * an event lost between a read and its re-armed watch). */
export const RECONCILE_INTERVAL_MS = 2_000;

/** A submission nimbus has not validated within this is reported as unanswered by `barista submit`. */
export const SUBMIT_TIMEOUT_MS = 30_000;

/** `barista kill` waits this long for nimbus to remove the topology. */
export const KILL_TIMEOUT_MS = 30_000;

/** Nimbus removes a killed topology's state once its workers are gone, or after this long anyway. */
export const KILL_WORKERS_WAIT_MS = 10_000;

/** A worker that exits unexpectedly is restarted after this delay, doubled per consecutive failure… */
export const WORKER_RESTART_DELAY_MS = 250;
/** …up to this. */
export const MAX_WORKER_RESTART_DELAY_MS = 10_000;

/** A worker that dies this many times in a row before becoming ready is reported dead to nimbus,
 * which moves it to another slot. */
export const MAX_WORKER_START_FAILURES = 3;

/** A worker not ready this long after its start is killed and counted as a failed start. */
export const WORKER_START_TIMEOUT_MS = 30_000;

/** Grace between SIGTERM and SIGKILL when a supervisor stops a worker. */
export const WORKER_STOP_GRACE_MS = 5_000;

/** How long a worker waits for its pending trees when told to stop. */
export const WORKER_STOP_WAIT_MS = 2_000;

/** A supervisor restarted under the same id waits this long at most for its old session's node to expire. */
export const REGISTRATION_WAIT_MS = 60_000;
