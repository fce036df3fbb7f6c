/**
 * The batch layer's side of a view: bulk-loads version N (immutable, keyed by version so it never
 * disturbs the live one), then publishes it by swapping the view pointer.
 *
 *   const load = await new BatchViewWriter({ keyspace }).begin('words', 7, { 'words-0': 4999 });
 *   for (const [word, count] of counts) await load.put(word, count);
 *   await load.publish();
 *
 * Guarantees:
 * - put: at most MAX_CONCURRENT_BATCH_WRITES keyspace writes in flight; put waits for a slot,
 *   so a fast job is slowed to the store's pace instead of queueing without bound. A failed write
 *   fails the load (every later put and publish throws BatchLoadClosedError with the cause).
 *   Zero values are not written (absent means zero). Each key is put at most once per version
 *   (a batch view is one value per key: reduceByKey's output).
 * - publish: waits for every write, then compareAndSets the pointer from what it read to
 *   {N, cut-offs, previous: the live version}. It refuses (StaleBatchVersionError) when the live
 *   version is N or newer — a slow or restarted job can never replace a newer view — and
 *   (CutOffRegressionError) when a cut-off is below the live one. Readers switch from N-1 to N in
 *   that one compareAndSet. Then it sweeps (version-sweeper.ts): versions before N-1 are deleted
 *   and realtime buckets covered by N-1 are dropped; N-1 is kept for readers still on it.
 * - cut-offs must end a realtime bucket of the view (alignCutOffs); begin checks.
 */
import type { ViewDefinition, ViewsOptions } from './catalog.js';
import { ViewCatalog } from './catalog.js';
import { updateEntry } from './compare-and-set.js';
import { BatchLoadClosedError, CutOffRegressionError, StaleBatchVersionError, ViewValueTooLargeError } from './errors.js';
import { MAX_CONCURRENT_BATCH_WRITES, MAX_ENCODED_VALUE_BYTES } from './limits.js';
import { alignCutOffs, checkCutOffs, checkOffset, cutOffOf, type CutOffs } from './log-position.js';
import { decodePointer, encodePointer, readPointer, type BatchPointer } from './pointer.js';
import { sweepView, type SweepOutcome } from './version-sweeper.js';
import { batchKey, pointerKey, viewKeyBytes } from './view-keys.js';

export interface PublishResult extends SweepOutcome {
  version: number;
  /** The version that was live before (kept until the next publish); undefined for the first. */
  previousVersion: number | undefined;
  /** Why the sweep after the swap stopped, if it did: the version is live regardless, and the
   * next publish sweeps again. */
  sweepFailure?: unknown;
}

/** Refuses a version that would not move the pointer forward. */
function checkSucceeds(definition: ViewDefinition, live: BatchPointer | undefined, version: number, cutOffs: CutOffs): void {
  if (live === undefined) return;
  if (live.version >= version) throw new StaleBatchVersionError(definition.name, version, live.version);
  for (const [partition, liveCutOff] of Object.entries(live.cutOffs)) {
    const cutOff = cutOffOf(cutOffs, partition);
    if (cutOff < liveCutOff) throw new CutOffRegressionError(definition.name, partition, cutOff, liveCutOff);
  }
}

export class BatchViewWriter {
  private readonly catalog: ViewCatalog;

  constructor(private readonly options: ViewsOptions) {
    this.catalog = options.catalog ?? new ViewCatalog(options);
  }

  /**
   * The cut-offs a job may use for `view` when it can read each partition up to `lastOffsets`
   * (inclusive: a Kafka high watermark minus one): each rounded down to the end of a realtime
   * bucket. The job reads its snapshot up to these, not up to `lastOffsets`.
   */
  async cutOffsFor(view: string, lastOffsets: CutOffs): Promise<CutOffs> {
    return alignCutOffs(lastOffsets, (await this.catalog.get(view)).bucketOffsets);
  }

  /** Starts loading `version` of `view`, covering the log up to `cutOffs` (partition → last offset). */
  async begin(view: string, version: number, cutOffs: CutOffs): Promise<BatchLoad> {
    const definition = await this.catalog.get(view);
    checkOffset('batch version', version);
    const checked = checkCutOffs(cutOffs, definition.bucketOffsets);
    const { pointer } = await readPointer(this.options, definition);
    checkSucceeds(definition, pointer, version, checked);
    return new BatchLoad(this.options, definition, version, checked);
  }
}

type LoadState = 'open' | 'publishing' | 'published' | 'failed';

export class BatchLoad {
  private state: LoadState = 'open';
  private failure: { error: unknown } | undefined;
  private written = 0;
  /** Keyspace writes started and not finished; at most MAX_CONCURRENT_BATCH_WRITES. */
  private writing = 0;
  /** puts accepted and waiting for a write slot. */
  private waitingPuts = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: ViewsOptions,
    private readonly definition: ViewDefinition,
    readonly version: number,
    readonly cutOffs: CutOffs,
  ) {}

  get view(): string {
    return this.definition.name;
  }

  /** Values written so far (zeros are skipped and not counted). */
  get keysWritten(): number {
    return this.written;
  }

  /**
   * Writes the batch value of `key` (a value of the view's monoid). Resolves once the write has
   * started: while MAX_CONCURRENT_BATCH_WRITES writes are in flight, it waits for one to finish.
   */
  async put(key: Buffer | string, value: unknown): Promise<void> {
    this.checkOpen();
    const keyBytes = viewKeyBytes(key);
    const { monoid } = this.definition;
    const canonical = monoid.from(value);
    if (monoid.equals(canonical, monoid.zero)) return;
    const bytes = monoid.encode(canonical);
    if (bytes.length > MAX_ENCODED_VALUE_BYTES) throw new ViewValueTooLargeError(`batch value of view '${this.view}'`, bytes.length, MAX_ENCODED_VALUE_BYTES);
    this.waitingPuts += 1;
    try {
      while (this.writing >= MAX_CONCURRENT_BATCH_WRITES && this.failure === undefined) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    } finally {
      this.waitingPuts -= 1;
    }
    if (this.failure !== undefined) throw new BatchLoadClosedError(this.view, this.version, 'failed', { cause: this.failure.error });
    this.writing += 1;
    void this.options.keyspace
      .set(batchKey(this.view, this.version, keyBytes), { value: bytes }, this.options.consistency)
      .then(
        () => void (this.written += 1),
        (error: unknown) => {
          this.failure ??= { error };
          this.state = 'failed';
          for (const wake of this.slotWaiters.splice(0)) wake();
        },
      )
      .finally(() => {
        this.writing -= 1;
        this.slotWaiters.shift()?.();
        for (const wake of this.idleWaiters.splice(0)) wake();
      });
  }

  /** Makes this version live (see the module header); then retires older versions. */
  async publish(): Promise<PublishResult> {
    this.checkOpen();
    this.state = 'publishing';
    while (this.writing > 0 || this.waitingPuts > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (this.failure !== undefined) throw new BatchLoadClosedError(this.view, this.version, 'failed', { cause: this.failure.error });
    const nowMs = this.options.nowMs ?? Date.now;
    const target = { ...this.options, key: pointerKey(this.view), what: `pointer of view '${this.view}'` };
    let published: BatchPointer;
    try {
      ({ result: published } = await updateEntry(target, (current) => {
        const live = current === undefined ? undefined : decodePointer(this.definition, current);
        checkSucceeds(this.definition, live, this.version, this.cutOffs);
        const previous = live === undefined ? undefined : { version: live.version, cutOffs: live.cutOffs };
        const next: BatchPointer = { version: this.version, cutOffs: this.cutOffs, publishedAtMs: nowMs(), ...(previous && { previous }) };
        return { write: encodePointer(next), result: next };
      }));
    } catch (error) {
      this.state = 'failed';
      throw error;
    }
    this.state = 'published';
    const result: PublishResult = { version: this.version, previousVersion: published.previous?.version, retiredKeys: 0, prunedRecords: 0 };
    try {
      return { ...result, ...(await sweepView(this.options, this.definition, published)) };
    } catch (error) {
      return { ...result, sweepFailure: error };
    }
  }

  private checkOpen(): void {
    if (this.state !== 'open') throw new BatchLoadClosedError(this.view, this.version, this.state, this.failure && { cause: this.failure.error });
  }
}
