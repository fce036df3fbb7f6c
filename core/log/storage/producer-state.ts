/**
 * The idempotent producer's state in one partition, as Kafka's ProducerStateManager keeps it:
 * per producer id, the newest epoch and the sequence and offset ranges of its last
 * PRODUCER_BATCHES_KEPT batches. A pure table; the partition log feeds it every batch it
 * stores (as leader, as follower, and when rebuilding from the log on open or after a
 * truncation), so every replica of a partition holds the same table and dedup survives a
 * leader change and a restart.
 *
 * On a leader append (check), for a batch with a producer id:
 * - an exact repeat (same epoch, same first and last sequence) of one of the kept batches is a
 *   retry: it is not stored again, and the producer gets the original offsets;
 * - an older epoch is fenced (INVALID_PRODUCER_EPOCH);
 * - a newer epoch must start at sequence 0, the same epoch must continue at last + 1
 *   (wrapping after 2^31 - 1), else OUT_OF_ORDER_SEQUENCE_NUMBER;
 * - a producer id this partition does not know must start at sequence 0, else
 *   UNKNOWN_PRODUCER_ID (its state was lost, e.g. to retention: the producer resets).
 */
import { ProducerStateError } from './errors.js';
import type { RecordBatchHeader } from './record-batch.js';

/** Kafka keeps the last five batches per producer (max.in.flight.requests.per.connection <= 5). */
export const PRODUCER_BATCHES_KEPT = 5;
/** Producers remembered per partition; beyond it the one that wrote least recently is forgotten. */
export const MAX_PRODUCERS_PER_PARTITION = 100_000;
const MAX_SEQUENCE = 0x7fff_ffff;

export interface ProducerBatch {
  firstSequence: number;
  lastSequence: number;
  firstOffset: number;
  lastOffset: number;
}

export interface ProducerEntry {
  epoch: number;
  /** Oldest first, at most PRODUCER_BATCHES_KEPT. */
  batches: ProducerBatch[];
}

export type ProducerCheck = { kind: 'append' } | { kind: 'duplicate'; batch: ProducerBatch };

/** The batch's last sequence number, wrapping as Kafka's DefaultRecordBatch.incrementSequence. */
export function lastSequenceOf(header: Pick<RecordBatchHeader, 'baseSequence' | 'lastOffsetDelta'>): number {
  const { baseSequence, lastOffsetDelta } = header;
  return baseSequence > MAX_SEQUENCE - lastOffsetDelta ? lastOffsetDelta - (MAX_SEQUENCE - baseSequence) - 1 : baseSequence + lastOffsetDelta;
}

function inSequence(lastSequence: number, nextSequence: number): boolean {
  return nextSequence === lastSequence + 1 || (nextSequence === 0 && lastSequence === MAX_SEQUENCE);
}

export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  get size(): number {
    return this.producers.size;
  }

  entry(producerId: number): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  clear(): void {
    this.producers.clear();
  }

  /** What a leader does with a producer's batch (headers of one produce request's batches). */
  check(headers: readonly RecordBatchHeader[]): ProducerCheck {
    const idempotent = headers.filter((header) => header.producerId >= 0);
    if (idempotent.length === 0) return { kind: 'append' };
    if (headers.length !== 1) throw new ProducerStateError('INVALID_PRODUCER_BATCH', idempotent[0]!.producerId, `an idempotent produce carries exactly one batch per partition, not ${headers.length}`);
    const header = idempotent[0]!;
    const { producerId, producerEpoch, baseSequence } = header;
    if (baseSequence < 0 || producerEpoch < 0) throw new ProducerStateError('INVALID_PRODUCER_BATCH', producerId, `batch with producer id but sequence ${baseSequence}, epoch ${producerEpoch}`);
    const entry = this.producers.get(producerId);
    if (entry === undefined) {
      if (baseSequence !== 0) throw new ProducerStateError('UNKNOWN_PRODUCER_ID', producerId, `unknown to this partition and its first batch has sequence ${baseSequence}, not 0`);
      return { kind: 'append' };
    }
    if (producerEpoch < entry.epoch) throw new ProducerStateError('INVALID_PRODUCER_EPOCH', producerId, `epoch ${producerEpoch} is older than the current ${entry.epoch}`);
    if (producerEpoch > entry.epoch) {
      if (baseSequence !== 0) throw new ProducerStateError('OUT_OF_ORDER_SEQUENCE', producerId, `new epoch ${producerEpoch} must start at sequence 0, not ${baseSequence}`);
      return { kind: 'append' };
    }
    const lastSequence = lastSequenceOf(header);
    const duplicate = entry.batches.find((batch) => batch.firstSequence === baseSequence && batch.lastSequence === lastSequence);
    if (duplicate !== undefined) return { kind: 'duplicate', batch: duplicate };
    const previous = entry.batches.at(-1)?.lastSequence ?? -1;
    if (!inSequence(previous, baseSequence)) throw new ProducerStateError('OUT_OF_ORDER_SEQUENCE', producerId, `sequence ${baseSequence} does not follow ${previous} (epoch ${producerEpoch})`);
    return { kind: 'append' };
  }

  /** Records a stored batch (its offsets assigned). Lenient: replicas and recovery take what the leader wrote. */
  record(header: RecordBatchHeader): void {
    const { producerId, producerEpoch } = header;
    if (producerId < 0 || header.baseSequence < 0) return;
    let entry = this.producers.get(producerId);
    if (entry !== undefined && producerEpoch < entry.epoch) return;
    if (entry === undefined || producerEpoch > entry.epoch) entry = { epoch: producerEpoch, batches: [] };
    entry.batches.push({ firstSequence: header.baseSequence, lastSequence: lastSequenceOf(header), firstOffset: header.baseOffset, lastOffset: header.lastOffset });
    if (entry.batches.length > PRODUCER_BATCHES_KEPT) entry.batches.shift();
    // Map order is recency of writing: the first entry is the one to forget when full.
    this.producers.delete(producerId);
    this.producers.set(producerId, entry);
    if (this.producers.size > MAX_PRODUCERS_PER_PARTITION) this.producers.delete(this.producers.keys().next().value!);
  }
}
