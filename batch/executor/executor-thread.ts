/**
 * An executor thread: imports the job module, rebuilds the lineage of each job it gets tasks for
 * (by running the module in a capturing context up to that job), checks it matches the driver's,
 * and runs the tasks. One task at a time; results and errors go back as messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchContext } from '../context/batch-context.js';
import { loadJobModule, type JobFunction } from '../job/job-module.js';
import type { RDD } from '../rdd/rdd.js';
import { ShuffleFetchFailedError } from '../shuffle/index.js';
import { LocalBlockStore } from './block-store.js';
import { LineageMismatchError } from './errors.js';
import { indexLineage, lineageFingerprint, type LineageIndex } from './lineage.js';
import { runTask, type ResolvedTask } from './task-runner.js';
import type { ExecutorInit, ExecutorReply, RemoteError, TaskMessage } from './thread-messages.js';

/** Captured jobs kept per thread; older ones are dropped (their suspended module runs with them). */
const KEPT_CAPTURES = 2;

interface Capture {
  readonly index: LineageIndex;
  readonly fn: (values: Iterable<unknown>, partition: number) => unknown;
}

const init = workerData as ExecutorInit;
const blocks = new LocalBlockStore(init.workDirectory);
const priorResults: (readonly unknown[] | undefined)[] = [];
const captures = new Map<number, Promise<Capture>>();
let jobFunction: Promise<JobFunction> | undefined;

function capture(jobIndex: number): Promise<Capture> {
  let captured = captures.get(jobIndex);
  if (captured !== undefined) return captured;
  captured = (async () => {
    const job = await (jobFunction ??= loadJobModule(init.modulePath));
    return new Promise<Capture>((resolve, reject) => {
      const sc = new BatchContext({
        workDirectory: init.workDirectory,
        defaultParallelism: init.defaultParallelism,
        slots: 1,
        capture: {
          index: jobIndex,
          priorResults: priorResults as (readonly unknown[])[],
          onCapture: (rdd: RDD<unknown>, fn) => resolve({ index: indexLineage(rdd), fn }),
        },
      });
      Promise.resolve()
        .then(() => job(sc, init.args))
        .then(
          () => reject(new LineageMismatchError(`the module finished after ${sc.jobs} job(s) without reaching job ${jobIndex}`)),
          (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
        );
    });
  })();
  captures.set(jobIndex, captured);
  for (const index of captures.keys()) if (index < jobIndex - KEPT_CAPTURES) captures.delete(index);
  return captured;
}

function resolveTask(message: TaskMessage, captured: Capture): ResolvedTask {
  const rdd = captured.index.rdds.get(message.rddId);
  if (rdd === undefined) throw new LineageMismatchError(`RDD ${message.rddId} does not exist in the rebuilt lineage of job ${message.jobIndex}`);
  if (lineageFingerprint(rdd) !== message.fingerprint) throw new LineageMismatchError(`RDD ${message.rddId} (${rdd.plan.name}) has another lineage than on the driver`);
  if (message.kind === 'result') return { kind: 'result', stageId: message.stageId, rdd, partition: message.partition, attempt: message.attempt, fn: captured.fn };
  const dependency = captured.index.shuffles.get(message.shuffleId ?? -1);
  if (dependency === undefined) throw new LineageMismatchError(`shuffle ${String(message.shuffleId)} does not exist in the rebuilt lineage`);
  return { kind: 'shuffleMap', stageId: message.stageId, rdd, dependency, partition: message.partition, attempt: message.attempt };
}

function toRemoteError(error: unknown): RemoteError {
  const failure = error instanceof Error ? error : new Error(String(error));
  const remote: RemoteError = { name: failure.name, message: failure.message, ...(failure.stack === undefined ? {} : { stack: failure.stack }) };
  if (failure instanceof ShuffleFetchFailedError) {
    return { ...remote, fetchFailed: { shuffleId: failure.shuffleId, mapPartition: failure.mapPartition, path: failure.path, reason: failure.reason } };
  }
  return remote;
}

function reply(message: ExecutorReply): void {
  try {
    parentPort?.postMessage(message);
  } catch (error) {
    if (message.type !== 'done') throw error;
    const detail = `the task's result cannot be sent to the driver (${(error as Error).message}); return plain data: numbers, strings, arrays, plain objects, Maps`;
    parentPort?.postMessage({ type: 'failed', taskId: message.taskId, error: { name: 'ResultNotSerializableError', message: detail } } satisfies ExecutorReply);
  }
}

async function handle(message: TaskMessage): Promise<void> {
  message.priorResults.forEach((results, offset) => {
    priorResults[message.priorFrom + offset] = results;
  });
  try {
    const captured = await capture(message.jobIndex);
    const output = await runTask(resolveTask(message, captured), {
      workDirectory: init.workDirectory,
      memoryLimitBytes: init.memoryLimitBytes,
      blocks,
      mapOutputs: new Map(message.mapOutputs),
      checkpoints: new Map(message.checkpoints),
    });
    reply({ type: 'done', taskId: message.taskId, output });
  } catch (error) {
    reply({ type: 'failed', taskId: message.taskId, error: toRemoteError(error) });
  }
}

parentPort?.on('message', (message: TaskMessage) => {
  void handle(message);
});
