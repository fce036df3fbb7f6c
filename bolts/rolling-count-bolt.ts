/**
 * Counts objects over a sliding window (Storm's RollingCountBolt of RollingTopWords): every input
 * adds one to its object in the current slot; every tick (every `emitFrequencySecs`, set as this
 * component's tick frequency) emits (obj, count, actualWindowLengthInSeconds) for each object of
 * the window, then slides the window by one slot. The window holds windowLengthSecs /
 * emitFrequencySecs slots. An object that left the window is emitted once with count 0, so the
 * rankings downstream can drop it.
 *
 * actualWindowLengthInSeconds is measured, not assumed: shorter than the window until it has
 * filled once after prepare, longer when ticks come late. The clock is injectable (`nowMs`) so
 * tests are exact. Counts live in the task: subscribe with fieldsGrouping on the object field.
 * Basic bolt: an input is acked once counted (emits on ticks are anchored to the tick only).
 */
import { BaseBasicBolt, isTickTuple, type BasicOutputCollector, type ResolvedConfig, type TopologyConfig, type TopologyContext, type Tuple } from '../core/topology/api/index.js';
import { MAX_TICK_FREQUENCY_SECS } from '../core/topology/api/limits.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { BoltNotPreparedError, checkFieldName, checkInteger, InvalidBoltOptionError, InvalidTupleValueError } from './errors.js';
import { DEFAULT_ROLLING_EMIT_FREQUENCY_SECS, DEFAULT_ROLLING_WINDOW_SECS, MAX_WINDOW_SLOTS, MIN_WINDOW_SLOTS } from './limits.js';
import { isRankableObject, type RankableObject } from './rankings.js';
import { ModificationTimeTracker, SlidingWindowCounter } from './slot-based-counter.js';

export interface RollingCountBoltOptions {
  /** Length of the window in seconds (default 300); a multiple of emitFrequencySecs. */
  windowLengthSecs?: number;
  /** Seconds between emits, and the length of one slot (default 60). */
  emitFrequencySecs?: number;
  /** Input field of the object to count (default: the tuple's first value, as in Storm). */
  inputField?: string;
  /** The clock, in ms (default Date.now). */
  nowMs?: () => number;
}

const NAME = 'RollingCountBolt';

interface WindowState {
  readonly counter: SlidingWindowCounter<RankableObject>;
  readonly tracker: ModificationTimeTracker;
}

export class RollingCountBolt extends BaseBasicBolt {
  readonly windowLengthSecs: number;
  readonly emitFrequencySecs: number;
  readonly inputField: string | undefined;
  readonly nowMs: () => number;
  private state: WindowState | undefined;

  constructor(options: RollingCountBoltOptions = {}) {
    super();
    this.emitFrequencySecs = checkInteger(NAME, 'emitFrequencySecs', options.emitFrequencySecs ?? DEFAULT_ROLLING_EMIT_FREQUENCY_SECS, 1, MAX_TICK_FREQUENCY_SECS);
    this.windowLengthSecs = checkInteger(NAME, 'windowLengthSecs', options.windowLengthSecs ?? DEFAULT_ROLLING_WINDOW_SECS, 1, MAX_WINDOW_SLOTS * this.emitFrequencySecs);
    const slots = this.windowLengthSecs / this.emitFrequencySecs;
    if (!Number.isInteger(slots) || slots < MIN_WINDOW_SLOTS) {
      throw new InvalidBoltOptionError(NAME, 'windowLengthSecs', this.windowLengthSecs, `a multiple (at least ${MIN_WINDOW_SLOTS}) of emitFrequencySecs ${this.emitFrequencySecs}`);
    }
    this.inputField = options.inputField === undefined ? undefined : checkFieldName(NAME, 'inputField', options.inputField);
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Slots of the window: windowLengthSecs / emitFrequencySecs. */
  get slots(): number {
    return this.windowLengthSecs / this.emitFrequencySecs;
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['obj', 'count', 'actualWindowLengthInSeconds']);
  }

  getComponentConfiguration(): TopologyConfig {
    return { 'topology.tick.tuple.freq.secs': this.emitFrequencySecs };
  }

  override prepare(_config: ResolvedConfig, _context: TopologyContext): void {
    this.state = { counter: new SlidingWindowCounter(this.slots), tracker: new ModificationTimeTracker(this.slots, this.nowMs()) };
  }

  execute(input: Tuple, collector: BasicOutputCollector): void {
    if (this.state === undefined) throw new BoltNotPreparedError(NAME);
    if (isTickTuple(input)) {
      this.emitCurrentWindowCounts(this.state, collector);
      return;
    }
    const object = this.inputField === undefined ? input.getValue(0) : input.getValueByField(this.inputField);
    if (!isRankableObject(object)) throw new InvalidTupleValueError(NAME, this.inputField ?? input.fields[0] ?? '(first)', object, 'a string, number, bigint or boolean');
    this.state.counter.increment(object);
  }

  private emitCurrentWindowCounts({ counter, tracker }: WindowState, collector: BasicOutputCollector): void {
    const counts = counter.countsThenAdvanceWindow();
    const nowMs = this.nowMs();
    const actualWindowLengthInSeconds = tracker.secondsSinceOldestModification(nowMs);
    tracker.markAsModified(nowMs);
    for (const [object, count] of counts) collector.emit([object, count, actualWindowLengthInSeconds]);
  }
}
