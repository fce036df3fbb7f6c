/**
 * A sink for tests: stores every tuple it receives in a CollectedTuples store, which the test reads
 * and awaits (`await store.waitFor(10)`), with no polling and no sleeps.
 *
 * The runtime gives each task its own copy of a bolt, deep-copying plain data but sharing class
 * instances; so the store is a class instance passed to the constructor, and every task of the sink
 * adds to the one store the test holds. The store is bounded: beyond its capacity a tuple fails
 * (CollectionFullError) instead of growing memory without end.
 */
import { BaseBasicBolt, isTickTuple, type ResolvedConfig, type TopologyContext, type Tuple } from '../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { checkInteger, CollectionFullError, CollectTimeoutError } from './errors.js';
import { DEFAULT_COLLECT_WAIT_MS, DEFAULT_COLLECTED_TUPLES } from './limits.js';

export interface CollectedTuple {
  readonly sourceComponent: string;
  readonly sourceStreamId: string;
  readonly sourceTask: number;
  readonly fields: readonly string[];
  readonly values: readonly unknown[];
  /** Task id of the sink task that received it. */
  readonly sinkTaskId: number;
}

interface Waiter {
  readonly done: (tuples: readonly CollectedTuple[]) => boolean;
  readonly resolve: () => void;
}

export class CollectedTuples {
  private readonly tuples: CollectedTuple[] = [];
  private waiters: Waiter[] = [];

  constructor(readonly capacity = DEFAULT_COLLECTED_TUPLES) {
    checkInteger('CollectedTuples', 'capacity', capacity, 1, DEFAULT_COLLECTED_TUPLES);
  }

  get size(): number {
    return this.tuples.length;
  }

  /** Every tuple collected, in arrival order. */
  all(): readonly CollectedTuple[] {
    return this.tuples;
  }

  /** The values of every tuple collected, in arrival order. */
  values(): (readonly unknown[])[] {
    return this.tuples.map((tuple) => tuple.values);
  }

  add(tuple: CollectedTuple): void {
    if (this.tuples.length >= this.capacity) throw new CollectionFullError(this.capacity);
    this.tuples.push(tuple);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.done(this.tuples)) return true;
      waiter.resolve();
      return false;
    });
  }

  clear(): void {
    this.tuples.length = 0;
  }

  /** Resolves with the tuples once at least `count` are collected. */
  waitFor(count: number, timeoutMs = DEFAULT_COLLECT_WAIT_MS): Promise<readonly CollectedTuple[]> {
    return this.waitUntil(`${count} tuples`, (tuples) => tuples.length >= count, timeoutMs);
  }

  /** Resolves with the tuples once `done` holds for them (checked now and after every add). */
  waitUntil(what: string, done: (tuples: readonly CollectedTuple[]) => boolean, timeoutMs = DEFAULT_COLLECT_WAIT_MS): Promise<readonly CollectedTuple[]> {
    if (done(this.tuples)) return Promise.resolve(this.tuples);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((each) => each !== waiter);
        reject(new CollectTimeoutError(what, this.tuples.length, timeoutMs));
      }, timeoutMs);
      const waiter: Waiter = {
        done,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.tuples);
        },
      };
      this.waiters.push(waiter);
    });
  }
}

export class CollectSink extends BaseBasicBolt {
  private sinkTaskId = 0;

  constructor(readonly store: CollectedTuples) {
    super();
  }

  declareOutputFields(_declarer: OutputFieldsDeclarer): void {}

  override prepare(_config: ResolvedConfig, context: TopologyContext): void {
    this.sinkTaskId = context.taskId;
  }

  execute(input: Tuple): void {
    if (isTickTuple(input)) return;
    this.store.add({
      sourceComponent: input.sourceComponent,
      sourceStreamId: input.sourceStreamId,
      sourceTask: input.sourceTask,
      fields: input.fields,
      values: input.values,
      sinkTaskId: this.sinkTaskId,
    });
  }
}
