/**
 * Shrinks a diverging sequence to a short reproduction: greedily drops operations while the
 * sequence still diverges in the same way (at the same kind of operation, or in the final events
 * or tree). Operations name their choices, so any subsequence is still a valid sequence.
 */
import type { Mismatch } from './lockstep.js';
import type { Sequence } from './operations.js';

/** Shrinking stops after this long and returns the best reproduction so far. */
const SHRINK_BUDGET_MS = 20_000;

function sameDivergence(original: Mismatch, candidate: Mismatch | undefined, length: number): boolean {
  if (candidate === undefined) return false;
  if (typeof original.at === 'number') return candidate.at === length - 1 && candidate.operation?.op === original.operation?.op;
  return candidate.at === original.at;
}

export async function shrink(sequence: Sequence, mismatch: Mismatch, attempt: (sequence: Sequence) => Promise<Mismatch | undefined>): Promise<Mismatch> {
  const deadline = Date.now() + SHRINK_BUDGET_MS;
  let best = mismatch;
  let operations = typeof mismatch.at === 'number' ? sequence.operations.slice(0, mismatch.at + 1) : sequence.operations;
  for (let changed = true; changed && Date.now() < deadline; ) {
    changed = false;
    // The divergent operation itself (the last one) stays when the divergence is at an operation.
    const last = typeof mismatch.at === 'number' ? operations.length - 2 : operations.length - 1;
    for (let index = last; index >= 0 && Date.now() < deadline; index -= 1) {
      const candidate = operations.filter((_, position) => position !== index);
      const result = await attempt({ ...sequence, operations: candidate });
      if (sameDivergence(mismatch, result, candidate.length)) {
        operations = candidate;
        best = result!;
        changed = true;
      }
    }
  }
  return best;
}
