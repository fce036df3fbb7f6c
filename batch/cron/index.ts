/** batch/cron: job modules on a node-cron schedule, one scheduler per job across machines (coord election), recorded runs. */
export * from './batch-scheduler.js';
export * from './coord-run-store.js';
export * from './cron-expression.js';
export * from './errors.js';
export * from './file-run-store.js';
export * from './limits.js';
export * from './progress.js';
export * from './recorded-run.js';
export * from './run-record.js';
export type * from './run-store.js';
