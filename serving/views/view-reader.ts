/**
 * The query side of a view: batch ⊕ realtime, with the log offsets the answer reflects.
 *
 * get(view, key) reads the pointer (live version N and its cut-offs C), then N's batch value of
 * the key and the key's realtime record, and combines the batch value with the realtime buckets
 * above C. The answer reports, per partition, the highest offset it reflects, max(C, the record's
 * lastOffset), and the offset up to which it misses nothing, max(C, the record's settled floor).
 * Batch buckets and realtime buckets never overlap (cut-offs end a bucket), and the realtime record
 * holds each offset at most once (realtime-state.ts), so the answer never counts an offset twice
 * and equals a recount of the key's records up to the reflected offsets whenever each key's deltas
 * arrived in offset order (one process, or whole-process crashes: then settled = reflected). After
 * a partial failure (a worker died holding tuples while the spout lived on) it may lack deltas
 * between the settled and the reflected offset until their replay lands, and is then exact again;
 * up to the settled offsets it is always complete. Two races are detected and retried (MAX_VIEW_READ_ATTEMPTS):
 * - the record was pruned beyond C: N was retired after this reader read the pointer;
 * - N's batch value is absent: either the key has none, or N's values were deleted by a sweep;
 *   the pointer is read again and the read starts over unless N is still retained.
 * Exactness holds when a keyspace read sees every write completed before it (MemoryKeyspace, a
 * strict quorum); with a sloppy quorum a read may see an older record, which is still exact, but
 * for fewer offsets.
 *
 * top(view, n) ranks keys by their merged value (sum, max, min: highest first, ties by key
 * bytes). It is computed by scanning: one SCAN of the keyspace collects the view's keys (live
 * version's batch keys and realtime records), then each is read as get() does, at most
 * MAX_CONCURRENT_SWEEP_OPERATIONS at once. That costs O(keys in the store) per call — fine for
 * dashboards, `barista query` and `barista dev`, not for a hot path; a precomputed ranking is a
 * batch-job concern.
 */
import { forEachBounded } from '../../core/async/bounded-concurrency.js';
import type { ViewDefinition, ViewsOptions } from './catalog.js';
import { ViewCatalog } from './catalog.js';
import { CorruptViewRecordError, InvalidViewArgumentError, TooManyViewKeysError, ViewContentionError, ViewError, ViewNotOrderedError } from './errors.js';
import { MAX_CONCURRENT_SWEEP_OPERATIONS, MAX_TOP_CANDIDATE_KEYS, MAX_TOP_N, MAX_VIEW_READ_ATTEMPTS, SCAN_PAGE_KEYS } from './limits.js';
import { cutOffOf, type CutOffs } from './log-position.js';
import type { PresentedValue } from './monoids/monoid.js';
import { readPointer, retains, type BatchPointer } from './pointer.js';
import { decodeRealtimeState, EMPTY_REALTIME_STATE, foldAbove } from './realtime-state.js';
import { batchKey, parseViewDataKey, printable, realtimeKey, viewKeyBytes } from './view-keys.js';

export interface ViewAnswer {
  /** batch ⊕ realtime, a canonical value of the view's monoid (bigint for sum, ...). */
  value: unknown;
  /** The value as replies show it (topn: its N highest items). */
  presented: PresentedValue;
  /** The live batch version read; undefined before the first publish. */
  batchVersion: number | undefined;
  /** That version's cut-offs: partition → last offset the batch value covers. */
  cutOffs: CutOffs;
  /** Per partition, the highest offset the value reflects (cut-off or realtime, whichever is
   * higher); partitions never seen are absent. Sorted by partition. */
  realtimeOffsets: CutOffs;
  /** Per partition, the offset up to which the value misses no record of the key (cut-off or the
   * realtime record's settled floor, whichever is higher); ≤ realtimeOffsets, equal to it unless
   * deltas in between are still in flight (replays after a worker failure). Same partitions. */
  settledOffsets: CutOffs;
}

export interface RankedKey {
  key: Buffer;
  value: unknown;
  score: bigint;
}

type KeyRead = { stale: true } | { stale: false; answer: ViewAnswer; batchAbsent: boolean };

export class ViewReader {
  private readonly catalog: ViewCatalog;

  constructor(private readonly options: ViewsOptions) {
    this.catalog = options.catalog ?? new ViewCatalog(options);
  }

  /** The definition and live pointer of a view (VIEW.INFO); throws UnknownViewError. */
  async describe(view: string): Promise<{ definition: ViewDefinition; pointer: BatchPointer | undefined }> {
    const definition = await this.catalog.get(view);
    return { definition, pointer: (await readPointer(this.options, definition)).pointer };
  }

  async get(view: string, key: Buffer | string): Promise<ViewAnswer> {
    const definition = await this.catalog.get(view);
    const keyBytes = viewKeyBytes(key);
    for (let attempt = 1; attempt <= MAX_VIEW_READ_ATTEMPTS; attempt += 1) {
      const { pointer } = await readPointer(this.options, definition);
      const read = await this.readKey(definition, pointer, keyBytes);
      if (read.stale) continue;
      if (read.batchAbsent && !(await this.stillRetained(definition, pointer))) continue;
      return read.answer;
    }
    throw new ViewContentionError(`read of view '${view}'`, MAX_VIEW_READ_ATTEMPTS);
  }

  /** The n keys with the highest merged values (see the module header for the cost). */
  async top(view: string, n: number): Promise<RankedKey[]> {
    const definition = await this.catalog.get(view);
    const { rank } = definition.monoid;
    if (rank === undefined) throw new ViewNotOrderedError(view, definition.monoid.spec);
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_TOP_N) throw new InvalidViewArgumentError('top count', n, `an integer from 0 to ${MAX_TOP_N}`);
    for (let attempt = 1; attempt <= MAX_VIEW_READ_ATTEMPTS; attempt += 1) {
      const { pointer } = await readPointer(this.options, definition);
      const keys = await this.keysOf(definition, pointer);
      const ranked: RankedKey[] = [];
      let stale = false;
      let batchAbsent = false;
      await forEachBounded(keys, MAX_CONCURRENT_SWEEP_OPERATIONS, async (key) => {
        const read = stale ? undefined : await this.readKey(definition, pointer, key);
        if (read === undefined || read.stale) {
          stale = true;
          return;
        }
        batchAbsent ||= read.batchAbsent;
        const score = rank(read.answer.value);
        if (score !== undefined) ranked.push({ key, value: read.answer.value, score });
      });
      if (stale || (batchAbsent && !(await this.stillRetained(definition, pointer)))) continue;
      ranked.sort((a, b) => (a.score !== b.score ? (a.score > b.score ? -1 : 1) : Buffer.compare(a.key, b.key)));
      return ranked.slice(0, n);
    }
    throw new ViewContentionError(`ranking of view '${view}'`, MAX_VIEW_READ_ATTEMPTS);
  }

  private async stillRetained(definition: ViewDefinition, pointer: BatchPointer | undefined): Promise<boolean> {
    if (pointer === undefined) return true;
    return retains((await readPointer(this.options, definition)).pointer, pointer.version);
  }

  private async readKey(definition: ViewDefinition, pointer: BatchPointer | undefined, key: Buffer): Promise<KeyRead> {
    const { keyspace, consistency } = this.options;
    const { monoid, name } = definition;
    const recordKey = realtimeKey(name, key);
    const [batchEntry, realtimeEntry] = await Promise.all([pointer === undefined ? undefined : keyspace.get(batchKey(name, pointer.version, key), consistency), keyspace.get(recordKey, consistency)]);
    const cutOffs = pointer?.cutOffs ?? {};
    const state = realtimeEntry === undefined ? EMPTY_REALTIME_STATE : decodeRealtimeState(definition, realtimeEntry, printable(recordKey));
    const fold = foldAbove(definition, state, cutOffs);
    if (fold.stale) return { stale: true };
    let batchValue = monoid.zero;
    if (batchEntry !== undefined) {
      try {
        batchValue = monoid.decode(batchEntry.value);
      } catch (error) {
        if (error instanceof ViewError) throw new CorruptViewRecordError(printable(batchKey(name, pointer!.version, key)), error.message);
        throw error;
      }
    }
    const value = monoid.combine(batchValue, fold.value);
    const partitions = new Set([...Object.keys(cutOffs), ...fold.reflected.keys()]);
    const perPartition = (offsets: Map<string, number>): CutOffs =>
      Object.fromEntries(
        [...partitions].sort().flatMap((partition): Array<[string, number]> => {
          const offset = offsets.get(partition) ?? cutOffOf(cutOffs, partition);
          return offset >= 0 ? [[partition, offset]] : [];
        }),
      );
    const answer: ViewAnswer = { value, presented: monoid.present(value), batchVersion: pointer?.version, cutOffs, realtimeOffsets: perPartition(fold.reflected), settledOffsets: perPartition(fold.settled) };
    return { stale: false, answer, batchAbsent: pointer !== undefined && batchEntry === undefined };
  }

  /** The distinct keys of the view with a batch value in the live version or a realtime record. */
  private async keysOf(definition: ViewDefinition, pointer: BatchPointer | undefined): Promise<Buffer[]> {
    const keys = new Map<string, Buffer>();
    let cursor = '0';
    do {
      const page = await this.options.keyspace.scan(cursor, SCAN_PAGE_KEYS);
      for (const keyspaceKey of page.keys) {
        const parsed = parseViewDataKey(definition.name, keyspaceKey);
        if (parsed === undefined || (parsed.kind === 'batch' && parsed.version !== pointer?.version)) continue;
        keys.set(parsed.key.toString('latin1'), parsed.key);
        if (keys.size > MAX_TOP_CANDIDATE_KEYS) throw new TooManyViewKeysError(definition.name, MAX_TOP_CANDIDATE_KEYS);
      }
      cursor = page.cursor;
    } while (cursor !== '0');
    return [...keys.values()];
  }
}
