/** Bounds of the batch scheduler (batch/cron), named so that every limit is visible in one place. */

/** Run records kept per job (in coord or in the state file); the oldest are deleted beyond this. */
export const MAX_RUN_RECORDS = 100;

/** A failed run's error message is cut to this many characters in its record (a znode holds ≤ 1 MB). */
export const MAX_RECORDED_ERROR_CHARS = 4_000;

/** Encoded size of one run record; larger `cutOffs` are refused rather than truncated silently. */
export const MAX_RUN_RECORD_BYTES = 256 * 1024;

/** Job names become znode and directory names: letters, digits, '.', '_' and '-', at most this long. */
export const MAX_JOB_NAME_CHARS = 100;

/** Without a terminal, a stage logs its progress at most this often (plus its start and end). */
export const PROGRESS_LOG_INTERVAL_MS = 5_000;

/** Where run records live in coord: `<root>/<job>/leader` (election) and `<root>/<job>/runs`. */
export const COORD_BATCH_ROOT = '/barista/batch';

/** Default state directory of a scheduler running without coord. */
export const DEFAULT_STATE_DIRECTORY = '.barista/batch';
