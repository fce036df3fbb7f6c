/**
 * The serving (view) sink as a bolt: each input tuple is one view delta — (view, key, delta,
 * partition, offset, and optionally settled: the spout's settled offset of the partition when it
 * emitted the record, which lets the view count a replay arriving after later offsets of its key;
 * absent or null, the view relies on in-order delivery) — field names configurable, the view
 * optionally fixed — written through the
 * ServingSink engine (serving-sink.ts). The input is acked when the write resolves (the delta is in
 * the realtime view, or was already) and failed when it rejects, so the spout replays it; the
 * engine's ordering and hold-back rules make that replay count exactly once.
 *
 * A plain Bolt, not a basic one: acks come later, from the write's promise, while execute returns
 * at once so one task keeps many keys' writes in flight. At most MAX_SERVING_SINK_IN_FLIGHT_WRITES
 * per task; beyond it execute waits for one to settle (backpressure to the spout).
 *
 * The engine is made in the constructor and shared by every task copy (it is a class instance):
 * it keeps one ordered lane per (view, key), so even a grouping that spreads a key over several
 * tasks keeps that key's deltas in arrival order.
 */
import { BaseRichBolt, isTickTuple, type OutputCollector, type ResolvedConfig, type TopologyContext, type Tuple } from '../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { BoltNotPreparedError, checkFieldName, InvalidTupleValueError } from './errors.js';
import { MAX_SERVING_SINK_IN_FLIGHT_WRITES } from './limits.js';
import type { LogPosition } from '../serving/views/index.js';
import { HeldBackError, ServingSink, type ServingSinkOptions, type ViewDelta } from './serving-sink.js';

export interface DeltaFields {
  view: string;
  key: string;
  delta: string;
  partition: string;
  offset: string;
  /** Read only when the input stream declares it. */
  settled: string;
}

export const DEFAULT_DELTA_FIELDS: Readonly<DeltaFields> = Object.freeze({ view: 'view', key: 'key', delta: 'delta', partition: 'partition', offset: 'offset', settled: 'settled' });

export type ServingSinkBoltOptions = ({ sink: ServingSink } | ServingSinkOptions) & {
  /** Write every delta to this view (the view field is then not read). */
  view?: string;
  /** Input field names (defaults: DEFAULT_DELTA_FIELDS). */
  fields?: Partial<DeltaFields>;
};

const NAME = 'ServingSinkBolt';

interface TaskState {
  readonly collector: OutputCollector;
  inFlight: number;
  /** Resolved when a write settles, for an execute waiting on the in-flight limit. */
  slotFreed: (() => void) | undefined;
}

export class ServingSinkBolt extends BaseRichBolt {
  readonly sink: ServingSink;
  readonly view: string | undefined;
  readonly fields: Readonly<DeltaFields>;
  private task: TaskState | undefined;

  constructor(options: ServingSinkBoltOptions) {
    super();
    this.sink = 'sink' in options ? options.sink : new ServingSink(options);
    this.view = options.view;
    const fields = { ...DEFAULT_DELTA_FIELDS, ...options.fields };
    for (const [role, field] of Object.entries(fields)) checkFieldName(NAME, `fields.${role}`, field);
    this.fields = fields;
  }

  declareOutputFields(_declarer: OutputFieldsDeclarer): void {}

  prepare(_config: ResolvedConfig, _context: TopologyContext, collector: OutputCollector): void {
    this.task = { collector, inFlight: 0, slotFreed: undefined };
  }

  execute(input: Tuple): void | Promise<void> {
    const task = this.task;
    if (task === undefined) throw new BoltNotPreparedError(NAME);
    if (isTickTuple(input)) {
      task.collector.ack(input);
      return;
    }
    let delta: ViewDelta;
    try {
      delta = this.deltaOf(input);
    } catch (error) {
      task.collector.reportError(error);
      task.collector.fail(input);
      return;
    }
    task.inFlight += 1;
    this.sink.write(delta).then(
      () => task.collector.ack(input),
      (error: unknown) => {
        // A held-back delta is the expected echo of an earlier failure, already reported.
        if (!(error instanceof HeldBackError)) task.collector.reportError(error);
        task.collector.fail(input);
      },
    ).finally(() => {
      task.inFlight -= 1;
      task.slotFreed?.();
    });
    if (task.inFlight < MAX_SERVING_SINK_IN_FLIGHT_WRITES) return;
    // The runtime calls execute again only when this settles, so there is one waiter at most.
    return new Promise<void>((resolve) => (task.slotFreed = resolve)).finally(() => (task.slotFreed = undefined));
  }

  /** Writes in flight in this task. */
  get inFlight(): number {
    return this.task?.inFlight ?? 0;
  }

  private deltaOf(input: Tuple): ViewDelta {
    const view = this.view ?? input.getValueByField(this.fields.view);
    const key = input.getValueByField(this.fields.key);
    const partition = input.getValueByField(this.fields.partition);
    const offset = input.getValueByField(this.fields.offset);
    if (typeof view !== 'string') throw new InvalidTupleValueError(NAME, this.fields.view, view, 'a view name');
    if (typeof key !== 'string' && !Buffer.isBuffer(key)) throw new InvalidTupleValueError(NAME, this.fields.key, key, 'a string or Buffer key');
    if (typeof partition !== 'string') throw new InvalidTupleValueError(NAME, this.fields.partition, partition, "a partition name such as 'words-0'");
    if (!Number.isSafeInteger(offset) || (offset as number) < 0) throw new InvalidTupleValueError(NAME, this.fields.offset, offset, 'a non-negative integer offset');
    const settled = input.contains(this.fields.settled) ? input.getValueByField(this.fields.settled) : undefined;
    const position: LogPosition = { partition, offset: offset as number };
    if (settled !== undefined && settled !== null) {
      if (!Number.isSafeInteger(settled) || (settled as number) < 0) throw new InvalidTupleValueError(NAME, this.fields.settled, settled, 'a non-negative settled offset, or null');
      position.settled = settled as number;
    }
    return { view, key, delta: input.getValueByField(this.fields.delta), position };
  }
}
