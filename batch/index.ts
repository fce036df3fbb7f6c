/** batch/: the Spark-like layer — lazy RDDs, the DAG scheduler, shuffle with spill, sources. */
export * from './context/batch-context.js';
export { RDD, type RddPlan } from './rdd/rdd.js';
export * from './rdd/errors.js';
export type { LogEntry } from './rdd/plans/sources.js';
export type { StorageLevel } from './rdd/task-context.js';
export { JobFailedError, ContextStoppedError } from './scheduler/errors.js';
export type { StageProgress } from './scheduler/dag-scheduler.js';
export { HashPartitioner, RangePartitioner, defaultOrdering, type Partitioner } from './partitioning/index.js';
