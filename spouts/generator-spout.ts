/**
 * A spout for tests and benchmarks: emits sentences (or the values of a user function) as a
 * deterministic function of a seed and a sequence number, so two runs with the same seed emit
 * the same tuples whatever the parallelism. Task i of n emits the sequence numbers congruent to
 * i mod n, below `total` when one is given (then it stops). Every emit is reliable (message id =
 * sequence number); a failed one is emitted again with the same values (they are regenerated
 * from the seed, so a user function must depend only on its arguments). An optional rate limit
 * (per task) paces emits with a token bucket. Counts go to a GeneratorStats instance, which the
 * runtime shares between the spout's task copies (class instances are not copied).
 */
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import type { ResolvedConfig } from '../core/topology/api/config.js';
import type { TopologyContext } from '../core/topology/api/context.js';
import { BaseRichSpout, type SpoutOutputCollector } from '../core/topology/api/spout.js';
import { checkIntegerOption, checkPositiveOption } from './errors.js';
import { DEFAULT_EMITS_PER_NEXT_TUPLE, DEFAULT_GENERATOR_SEED, GENERATOR_RATE_BURST_MS, MAX_EMITS_PER_NEXT_TUPLE, MAX_GENERATOR_RATE_PER_SECOND } from './limits.js';
import { mulberry32 } from '../core/random/mulberry32.js';

/** Storm's RandomSentenceSpout sentences. */
export const DEFAULT_SENTENCES: readonly string[] = Object.freeze([
  'the cow jumped over the moon',
  'an apple a day keeps the doctor away',
  'four score and seven years ago',
  'snow white and the seven dwarfs',
  'i am at two with nature',
]);

/** The non-empty lines of a text (a poem read from examples/wordcount/poems), trimmed. */
export function sentencesOf(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
}

/** Counts across all tasks of a generator spout. */
export class GeneratorStats {
  emitted = 0;
  /** Emits of a failed sequence number again (also counted in `emitted`). */
  replayed = 0;
  acked = 0;
  failed = 0;
}

/** Values for sequence number `sequence`; `random` is seeded by (seed, sequence) alone. */
export type GenerateValues = (sequence: number, random: () => number) => readonly unknown[];

export interface GeneratorSpoutOptions {
  /** Default 1. */
  readonly seed?: number;
  /** Tuples to emit across all tasks, then stop; default: no end. */
  readonly total?: number;
  /** Most first emits per second per task; default: as fast as nextTuple is called. */
  readonly ratePerSecond?: number;
  /** Sentences to pick from (uniformly by the seeded random); default DEFAULT_SENTENCES. */
  readonly sentences?: readonly string[];
  /** Replaces sentences: values of each tuple. Give `fields` to match. */
  readonly generate?: GenerateValues;
  /** Default ['sentence']. */
  readonly fields?: readonly string[];
  /** Most tuples per nextTuple call; default 64. */
  readonly emitsPerCall?: number;
  readonly stats?: GeneratorStats;
  /** Clock for the rate limit, in ms (tests); default performance.now. */
  readonly now?: () => number;
}


/** A random source depending only on (seed, sequence), so replays and other task counts agree. */
export function randomFor(seed: number, sequence: number): () => number {
  return mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(sequence + 1, 0xc2b2ae35));
}

export class GeneratorSpout extends BaseRichSpout<number> {
  readonly stats: GeneratorStats;
  private readonly seed: number;
  private readonly generate: GenerateValues;
  private collector: SpoutOutputCollector | undefined;
  private nextSequence = 0;
  private step = 1;
  private failedSequences: number[] = [];
  private tokens = 0;
  private lastRefillMs = 0;

  constructor(private readonly options: GeneratorSpoutOptions = {}) {
    super();
    checkIntegerOption('GeneratorSpout.total', options.total, 0, Number.MAX_SAFE_INTEGER);
    checkPositiveOption('GeneratorSpout.ratePerSecond', options.ratePerSecond, MAX_GENERATOR_RATE_PER_SECOND);
    checkIntegerOption('GeneratorSpout.emitsPerCall', options.emitsPerCall, 1, MAX_EMITS_PER_NEXT_TUPLE);
    checkIntegerOption('GeneratorSpout.seed', options.seed, 0, 0xffffffff);
    if (options.sentences !== undefined && options.sentences.length === 0) throw new RangeError('GeneratorSpout.sentences must not be empty');
    this.stats = options.stats ?? new GeneratorStats();
    this.seed = options.seed ?? DEFAULT_GENERATOR_SEED;
    const sentences = options.sentences ?? DEFAULT_SENTENCES;
    this.generate = options.generate ?? ((_sequence, random) => [sentences[Math.floor(random() * sentences.length)]!]);
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(this.options.fields ?? ['sentence']);
  }

  open(_config: ResolvedConfig, context: TopologyContext, collector: SpoutOutputCollector): void {
    this.collector = collector;
    this.step = Math.max(1, context.componentTaskIds.length);
    this.nextSequence = context.taskIndex;
    this.failedSequences = [];
    this.tokens = 0;
    this.lastRefillMs = this.now();
  }

  /** Whether this task has emitted its whole share and nothing is waiting for a replay. */
  get exhausted(): boolean {
    return this.failedSequences.length === 0 && !this.hasNext();
  }

  nextTuple(): void {
    const collector = this.collector;
    if (collector === undefined) return;
    const limit = this.options.emitsPerCall ?? DEFAULT_EMITS_PER_NEXT_TUPLE;
    let emits = 0;
    // Replays first and unpaced: they were paid for when first emitted.
    while (emits < limit && this.failedSequences.length > 0) {
      this.emit(collector, this.failedSequences.shift()!);
      this.stats.replayed += 1;
      emits += 1;
    }
    this.refill();
    while (emits < limit && this.hasNext() && this.takeToken()) {
      this.emit(collector, this.nextSequence);
      this.nextSequence += this.step;
      emits += 1;
    }
  }

  override ack(_sequence: number): void {
    this.stats.acked += 1;
  }

  override fail(sequence: number): void {
    this.stats.failed += 1;
    this.failedSequences.push(sequence);
  }

  /** The values of `sequence` (the same on every call and in every task). */
  valuesOf(sequence: number): readonly unknown[] {
    return this.generate(sequence, randomFor(this.seed, sequence));
  }

  private emit(collector: SpoutOutputCollector, sequence: number): void {
    collector.emit(this.valuesOf(sequence), sequence);
    this.stats.emitted += 1;
  }

  private hasNext(): boolean {
    return this.options.total === undefined || this.nextSequence < this.options.total;
  }

  private now(): number {
    return (this.options.now ?? performance.now.bind(performance))();
  }

  private refill(): void {
    const rate = this.options.ratePerSecond;
    if (rate === undefined) return;
    const nowMs = this.now();
    const burst = Math.max(1, (rate * GENERATOR_RATE_BURST_MS) / 1_000);
    this.tokens = Math.min(burst, this.tokens + ((nowMs - this.lastRefillMs) * rate) / 1_000);
    this.lastRefillMs = nowMs;
  }

  private takeToken(): boolean {
    if (this.options.ratePerSecond === undefined) return true;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
