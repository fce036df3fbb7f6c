/**
 * Runs one operation sequence against a reference server (real ZooKeeper) and a candidate
 * (Barista) in lockstep: each operation goes to both, and the normalised outcomes must be equal.
 * The first difference ends the sequence (everything after it would differ as a consequence) and
 * is reported with what reproduces it: the seed, the operation's index and the operation.
 */
import type { Operation, Sequence } from './operations.js';
import { TargetRun, type Outcome, type TargetOptions } from './target-run.js';

export interface Mismatch {
  seed: number;
  /** Index of the operation, or 'events' / 'tree' for the checks after the last operation. */
  at: number | 'events' | 'tree';
  operation?: Operation;
  expected: unknown;
  actual: unknown;
  /** The operations up to and including the divergent one. */
  prefix: Operation[];
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

export async function runLockstep(sequence: Sequence, reference: TargetOptions, candidate: TargetOptions): Promise<LockstepReport> {
  const tally = new Map<string, number>();
  const [expectedRun, actualRun] = await Promise.all([TargetRun.open(reference, sequence), TargetRun.open(candidate, sequence)]);
  const mismatch = (at: Mismatch['at'], expected: unknown, actual: unknown, operation?: Operation): LockstepReport => ({
    mismatch: { seed: sequence.seed, at, operation, expected, actual, prefix: sequence.operations.slice(0, typeof at === 'number' ? at + 1 : undefined) },
    tally,
  });
  try {
    for (const [index, operation] of sequence.operations.entries()) {
      const [expected, actual] = await Promise.all([expectedRun.run(operation), actualRun.run(operation)]);
      const kind = resultKind(operation, expected);
      tally.set(kind, (tally.get(kind) ?? 0) + 1);
      if (JSON.stringify(expected) !== JSON.stringify(actual)) return mismatch(index, expected, actual, operation);
    }
    const [expected, actual] = await Promise.all([expectedRun.finish(), actualRun.finish()]);
    if (JSON.stringify(expected.events) !== JSON.stringify(actual.events)) return mismatch('events', expected.events, actual.events);
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
  const lines = [`seed ${mismatch.seed} (re-run alone with DIFF_SEEDS=${mismatch.seed}), diverges at ${typeof mismatch.at === 'number' ? `operation #${mismatch.at}` : `final ${mismatch.at}`}`];
  if (mismatch.operation) lines.push(`  operation: ${JSON.stringify(mismatch.operation)}`);
  lines.push(`  ZooKeeper: ${JSON.stringify(mismatch.expected)}`, `  Barista:   ${JSON.stringify(mismatch.actual)}`, '  operations so far:');
  for (const [index, operation] of mismatch.prefix.entries()) lines.push(`    #${index} ${JSON.stringify(operation)}`);
  return lines.join('\n');
}
