/**
 * Runs one operation sequence against a reference server (real ZooKeeper) and a candidate
 * (Barista) in lockstep: each operation goes to both, and the normalised outcomes must be equal.
 * The first difference ends the sequence (everything after it would differ as a consequence) and
 * is reported with what reproduces it: the seed, the operation's index and the operation.
 */
import { INCLUDE_KNOWN_DIVERGENCES, type Operation, type Sequence } from './operations.js';
import { CLOSE_BEGINS, CLOSE_ENDS, TargetRun, type Outcome, type TargetOptions } from './target-run.js';

/** An answer slower than this is a divergence of its own (and would stall the whole run). */
const OPERATION_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T | { result: { err: string } }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ result: { err: string } }>((resolve) => {
    timer = setTimeout(() => resolve({ result: { err: `no answer to ${what} within ${OPERATION_TIMEOUT_MS} ms` } }), OPERATION_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Mismatch {
  seed: number;
  /** Index of the operation, or 'events' / 'tree' for the checks after the last operation. */
  at: number | 'events' | 'tree';
  operation?: Operation;
  /** Credentials each session added after connecting. */
  initialAuth: Sequence['initialAuth'];
  expected: unknown;
  actual: unknown;
  /** The operations up to and including the divergent one. */
  prefix: Operation[];
  /** Set by the caller: which generated sequence this was, to re-run variants of it. */
  sequenceIndex?: number;
  sequence?: Sequence;
  /** Set when this is a shrunk reproduction of the sequence with this seed. */
  shrunkFrom?: number;
}

export interface LockstepReport {
  mismatch?: Mismatch;
  /** How often each result kind occurred (e.g. "create NODEEXISTS"), to show what was covered. */
  tally: Map<string, number>;
}

function resultKind(operation: Operation, outcome: Outcome): string {
  const result = outcome.result as { err?: string; results?: Array<{ err?: string }> } | null;
  if (result && typeof result === 'object' && typeof result.err === 'string') return `${operation.op} ${result.err}`;
  if (operation.op === 'multi' && result?.results) {
    const failed = result.results.find((step) => step.err !== undefined && step.err !== 'OK');
    return `multi(${result.results.length}) ${failed ? `fails ${failed.err}` : 'commits'}`;
  }
  return `${operation.op} OK`;
}

/**
 * TODO(known divergence 7): ZooKeeper deletes a closing session's ephemerals in the iteration
 * order of a HashSet of their paths; Barista in creation order. So the events of that one
 * transaction (between the close markers) are compared as a set, in order elsewhere.
 */
function sortCloseEvents(log: string[]): string[] {
  const sorted: string[] = [];
  let segment: string[] | undefined;
  for (const event of log) {
    if (event.startsWith(CLOSE_BEGINS)) {
      sorted.push(event);
      segment = [];
    } else if (event === CLOSE_ENDS && segment) {
      sorted.push(...segment.sort(), event);
      segment = undefined;
    } else (segment ?? sorted).push(event);
  }
  return segment ? [...sorted, ...segment.sort()] : sorted;
}

function sameEvents(expectedLogs: string[][], actualLogs: string[][]): boolean {
  if (INCLUDE_KNOWN_DIVERGENCES) return JSON.stringify(expectedLogs) === JSON.stringify(actualLogs);
  const expected = expectedLogs.map(sortCloseEvents);
  const actual = actualLogs.map(sortCloseEvents);
  return JSON.stringify(expected) === JSON.stringify(actual);
}

export async function runLockstep(sequence: Sequence, reference: TargetOptions, candidate: TargetOptions): Promise<LockstepReport> {
  const tally = new Map<string, number>();
  const [expectedRun, actualRun] = await Promise.all([TargetRun.open(reference, sequence), TargetRun.open(candidate, sequence)]);
  const mismatch = (at: Mismatch['at'], expected: unknown, actual: unknown, operation?: Operation): LockstepReport => ({
    mismatch: { seed: sequence.seed, initialAuth: sequence.initialAuth, at, operation, expected, actual, prefix: sequence.operations.slice(0, typeof at === 'number' ? at + 1 : undefined) },
    tally,
  });
  try {
    for (const [index, operation] of sequence.operations.entries()) {
      const [expected, actual] = await Promise.all([withTimeout(expectedRun.run(operation), operation.op), withTimeout(actualRun.run(operation), operation.op)]);
      const kind = resultKind(operation, expected);
      tally.set(kind, (tally.get(kind) ?? 0) + 1);
      if (JSON.stringify(expected) !== JSON.stringify(actual)) return mismatch(index, expected, actual, operation);
    }
    const [expected, actual] = await Promise.all([withTimeout(expectedRun.finish(), 'the final sync and tree dump'), withTimeout(actualRun.finish(), 'the final sync and tree dump')]);
    if ('result' in expected || 'result' in actual) return mismatch('events', expected, actual);
    tally.set('watch events heard', (tally.get('watch events heard') ?? 0) + expected.events.flat().filter((event) => !event.startsWith('--')).length);
    if (!sameEvents(expected.events, actual.events)) return mismatch('events', expected.events, actual.events);
    if (JSON.stringify([expected.tree, expected.zxidOrder]) !== JSON.stringify([actual.tree, actual.zxidOrder])) {
      return mismatch('tree', { tree: expected.tree, zxidOrder: expected.zxidOrder }, { tree: actual.tree, zxidOrder: actual.zxidOrder });
    }
    return { tally };
  } finally {
    await Promise.all([expectedRun.close(), actualRun.close()]);
  }
}

/** A failure report a reader can act on: the seed to re-run, the divergent step, both results. */
export function formatMismatch(mismatch: Mismatch): string {
  const origin = mismatch.shrunkFrom === undefined ? `seed ${mismatch.seed} (re-run alone with DIFF_SEEDS=${mismatch.seed})` : `shrunk from seed ${mismatch.shrunkFrom} to ${mismatch.prefix.length} operations`;
  const lines = [`${origin}, diverges at ${typeof mismatch.at === 'number' ? `operation #${mismatch.at}` : `final ${mismatch.at}`}`];
  if (mismatch.operation) lines.push(`  operation: ${JSON.stringify(mismatch.operation)}`);
  lines.push(`  ZooKeeper: ${JSON.stringify(mismatch.expected)}`, `  Barista:   ${JSON.stringify(mismatch.actual)}`, `  initial addAuth per session: ${JSON.stringify(mismatch.initialAuth)}`, '  operations so far:');
  for (const [index, operation] of mismatch.prefix.entries()) lines.push(`    #${index} ${JSON.stringify(operation)}`);
  return lines.join('\n');
}
