/**
 * The clock for durations, timeouts and deadlines: milliseconds on the monotonic clock (Node's
 * performance.now(), which never steps), truncated to whole milliseconds like Date.now.
 *
 * Why not Date.now: the wall clock steps (an NTP step, a VM resumed, an operator's `date -s`),
 * and a deadline measured on it fires early or late by the size of the step — a client whose
 * clock stepped back stops pinging and loses its session; one stepped forward gives up at once.
 * Its values mean nothing across processes or restarts: use it only to compare two readings of
 * the same process. Wall time stays right for timestamps (records, TTLs, HLC, znode mtime).
 */
export type MonotonicClockMs = () => number;

export const monotonicNowMs: MonotonicClockMs = () => Math.floor(performance.now());
