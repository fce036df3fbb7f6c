/**
 * Limits of the batch scheduler.
 */

/** Attempts of one task before its job fails (Spark's spark.task.maxFailures). */
export const DEFAULT_MAX_TASK_FAILURES = 4;

/** Times a stage is resubmitted after lost shuffle outputs before the job fails. */
export const MAX_STAGE_ATTEMPTS = 4;
