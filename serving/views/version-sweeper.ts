/**
 * Housekeeping after a publish, by one SCAN of the keyspace (the keyspace has no prefix scan, so
 * this costs O(keys in the store); it runs once per batch run, off the query path):
 *
 * - deletes batch values of every version older than the live one except `previous` — the
 *   version retired by this publish's predecessor, and versions whose job never published;
 *   versions newer than the live one (a job still loading) are left alone;
 * - drops realtime buckets every retained version covers (pruneBounds), from records whose keys
 *   receive no more deltas and so would never be pruned lazily. One compareAndSet per record: a
 *   record a writer is changing right now is left to that writer's own lazy pruning.
 */
import { forEachBounded } from '../../core/async/bounded-concurrency.js';
import type { ViewDefinition, ViewsOptions } from './catalog.js';
import { MAX_CONCURRENT_SWEEP_OPERATIONS, SCAN_PAGE_KEYS } from './limits.js';
import { pruneBounds, type BatchPointer } from './pointer.js';
import { decodeRealtimeState, encodeRealtimeState, pruneState } from './realtime-state.js';
import { parseViewDataKey, printable } from './view-keys.js';

export interface SweepOutcome {
  /** Batch values deleted. */
  retiredKeys: number;
  /** Realtime records that had buckets dropped. */
  prunedRecords: number;
}

export async function sweepView(options: ViewsOptions, definition: ViewDefinition, pointer: BatchPointer): Promise<SweepOutcome> {
  const { keyspace, consistency } = options;
  const bounds = pruneBounds(pointer);
  const outcome: SweepOutcome = { retiredKeys: 0, prunedRecords: 0 };
  const sweepKey = async (key: Buffer): Promise<void> => {
    const parsed = parseViewDataKey(definition.name, key);
    if (parsed?.kind === 'batch') {
      if (parsed.version >= pointer.version || parsed.version === pointer.previous?.version) return;
      await keyspace.delete(key, consistency);
      outcome.retiredKeys += 1;
    } else if (parsed?.kind === 'realtime' && Object.keys(bounds).length > 0) {
      const entry = await keyspace.get(key, consistency);
      if (entry === undefined) return;
      const pruned = pruneState(definition, decodeRealtimeState(definition, entry, printable(key)), bounds);
      if (pruned === undefined) return;
      const { written } = await keyspace.compareAndSet(key, entry, encodeRealtimeState(definition, pruned), consistency);
      if (written) outcome.prunedRecords += 1;
    }
  };
  let cursor = '0';
  do {
    const page = await keyspace.scan(cursor, SCAN_PAGE_KEYS);
    await forEachBounded(page.keys, MAX_CONCURRENT_SWEEP_OPERATIONS, sweepKey);
    cursor = page.cursor;
  } while (cursor !== '0');
  return outcome;
}
