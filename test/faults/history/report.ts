/** Human-readable accounts of a history: figures for a summary, excerpts around violations. */
import { describeOperation, type History, type Operation } from './history.js';
import type { Violation } from './violation.js';

export interface HistorySummary {
  operations: number;
  reads: number;
  syncs: number;
  cas: number;
  /** CAS operations acknowledged by the service. */
  acked: number;
  /** Operations (of any kind) whose outcome is unknown. */
  unknown: number;
  /** Operations that definitely failed (BADVERSION, for instance). */
  failed: number;
}

export function summarize(history: History): HistorySummary {
  const count = (test: (op: Operation) => boolean) => history.operations.filter(test).length;
  return {
    operations: history.operations.length,
    reads: count((op) => op.kind === 'read'),
    syncs: count((op) => op.kind === 'sync'),
    cas: count((op) => op.kind === 'cas'),
    acked: count((op) => op.kind === 'cas' && op.outcome.type === 'ok'),
    unknown: count((op) => op.outcome.type === 'unknown'),
    failed: count((op) => op.outcome.type === 'failed'),
  };
}

/** Each violation, then the operations involved with their neighbours in time (`around` on each side). */
export function describeViolations(history: History, violations: readonly Violation[], options: { limit?: number; around?: number } = {}): string {
  const { limit = 10, around = 3 } = options;
  const inTime = [...history.operations].sort((a, b) => a.invokedAtMs - b.invokedAtMs || a.id - b.id);
  const shown = new Set<number>();
  for (const violation of violations.slice(0, limit)) {
    for (const id of violation.operations) {
      const index = inTime.findIndex((op) => op.id === id);
      for (let i = Math.max(0, index - around); index >= 0 && i <= Math.min(inTime.length - 1, index + around); i += 1) shown.add(i);
    }
  }
  const lines = violations.slice(0, limit).map((violation) => `${violation.kind}: ${violation.message}`);
  if (violations.length > limit) lines.push(`… and ${violations.length - limit} more`);
  lines.push('history excerpt (by invocation time):');
  for (const index of [...shown].sort((a, b) => a - b)) lines.push(`  ${describeOperation(inTime[index]!)}`);
  return lines.join('\n');
}
