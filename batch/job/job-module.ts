/**
 * Batch jobs are modules, the way Spark ships a jar: the default export receives a BatchContext
 * and the job's arguments, builds RDDs and runs actions; what it returns is the run's result.
 *
 *   // examples/wordcount/batch.ts
 *   export default async function wordCount(sc: BatchContext, args: JobArguments) {
 *     const counts = sc.textFile(args.input ?? RAVEN).flatMap(tokenize).map((w) => [w, 1]).reduceByKey((a, b) => a + b);
 *     return { top: await counts.top(10, byCount) };
 *   }
 *
 * Executor threads import the same module and run it again to rebuild the same lineage (so user
 * closures need no serialisation); code between actions therefore runs on executors too — keep
 * side effects in actions, or guard them with `sc.isDriver`.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { BatchContext, type BatchContextOptions } from '../context/batch-context.js';

/** Arguments of a run: strings from the command line (`--arg key=value`), plus anything a caller adds. */
export type JobArguments = Readonly<Record<string, string>>;

export type JobFunction = (sc: BatchContext, args: JobArguments) => unknown;

export class InvalidJobModuleError extends Error {
  readonly code = 'INVALID_JOB_MODULE';
  constructor(readonly modulePath: string, detail: string) {
    super(`job module ${modulePath}: ${detail}`);
    this.name = 'InvalidJobModuleError';
  }
}

/** Imports a job module and returns its default export, checked. */
export async function loadJobModule(modulePath: string): Promise<JobFunction> {
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(resolve(modulePath)).href)) as { default?: unknown };
  } catch (error) {
    throw new InvalidJobModuleError(modulePath, `cannot be imported: ${(error as Error).message}`);
  }
  if (typeof loaded.default !== 'function') throw new InvalidJobModuleError(modulePath, 'has no default export function (sc, args) => …');
  return loaded.default as JobFunction;
}

export interface JobRunResult {
  readonly result: unknown;
  readonly jobs: number;
  readonly durationMs: number;
}

/** Runs a job module in a fresh context (driver side), stopping the context afterwards. */
export async function runJobModule(modulePath: string, args: JobArguments = {}, options: BatchContextOptions = {}): Promise<JobRunResult> {
  const job = await loadJobModule(modulePath);
  const startedMs = Date.now();
  const sc = new BatchContext({ ...options, job: { modulePath: resolve(modulePath), args } });
  try {
    const result = await job(sc, args);
    return { result, jobs: sc.jobs, durationMs: Date.now() - startedMs };
  } finally {
    await sc.stop();
  }
}
