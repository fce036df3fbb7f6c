/**
 * Runs a BaseWindowedBolt as a plain Bolt (Storm's WindowedBoltExecutor): tuples go into the
 * window manager, tick tuples advance time (the executor asks for them through
 * getComponentConfiguration), and each fired window is handed to the bolt's execute.
 *
 * Guarantees:
 * - Each input tuple is acked once it has left every window it belongs to (after the windows that
 *   hold it have executed), or failed instead if execute threw on one of its windows or the bolt
 *   failed it. Emits without anchors inside execute are anchored to the whole window.
 * - Late tuples (event time below the watermark) go to the late-tuple stream when one is set, else
 *   are acked and dropped; both are counted in `stats`.
 * - Memory is bounded: beyond the buffer bound the oldest tuples are failed and a
 *   WindowOverflowError is reported; a bad timestamp fails its tuple and reports an
 *   InvalidTimestampError. The bolt keeps serving its other tuples.
 * - prepare refuses (typed errors naming the component) windows a tuple would outlive its message
 *   timeout in, and inconsistent settings.
 * - Each task runs its own copy of the windowed bolt, made at prepare the way the runtime copies
 *   components: the runtime copies this executor per task but shares class instances it holds, so
 *   without the copy every task would prepare and execute one shared bolt.
 */
import type { Bolt, OutputCollector } from '../api/bolt.js';
import type { ResolvedConfig, TopologyConfig } from '../api/config.js';
import type { TopologyContext } from '../api/context.js';
import { isTickTuple, type Tuple } from '../api/tuple.js';
import type { OutputFieldsDeclarer } from '../builder/components.js';
import { copyComponent } from '../runtime/component-copy.js';
import { WindowExecuteError, WindowOverflowError } from './errors.js';
import { LATE_TUPLE_FIELDS } from './limits.js';
import { WindowAnchoringCollector } from './window-collector.js';
import { checkAgainstTimeout, planWindows, tickSeconds, type WindowPlan } from './window-config.js';
import { createWindowDriver, type Clock, type WindowDriver } from './window-drivers.js';
import type { TupleWindow, WindowAdvance } from './window.js';
import type { BaseWindowedBolt } from './windowed-bolt.js';

export interface WindowedExecutorOptions {
  /** Monotonic ms for processing time (and count windows' timestamps); default performance.now. */
  readonly clock?: Clock;
}

export interface WindowStats {
  windowsFired: number;
  lateEmitted: number;
  lateDropped: number;
  overflowFailed: number;
  rejected: number;
}

/**
 * A class instance on purpose: the runtime deep-copies a component's plain-object properties into
 * each task copy but shares class instances, so every task adds to the registered executor's
 * figures (as a plain object, each copy counted into its own, and `stats` stayed 0 in a cluster).
 */
class WindowCounters implements WindowStats {
  windowsFired = 0;
  lateEmitted = 0;
  lateDropped = 0;
  overflowFailed = 0;
  rejected = 0;
}

export class WindowedBoltExecutor implements Bolt {
  /** Summed over the executor's tasks. */
  readonly stats: WindowStats = new WindowCounters();
  private readonly clock: Clock;
  private driver: WindowDriver | undefined;
  private collector: OutputCollector | undefined;
  private plan: WindowPlan | undefined;
  private componentId = '(unprepared)';
  /** This task's copy of `bolt`. */
  private taskBolt: BaseWindowedBolt | undefined;
  /** Tuples to fail rather than ack when they expire. */
  private readonly toFail = new Set<Tuple>();

  constructor(
    readonly bolt: BaseWindowedBolt,
    options: WindowedExecutorOptions = {},
  ) {
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Tuples buffered in windows. */
  get bufferedTuples(): number {
    return this.driver?.size ?? 0;
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    this.bolt.declareOutputFields(declarer);
    const late = this.bolt.windowSettings.lateTupleStream;
    if (late !== undefined) declarer.declareStream(late, LATE_TUPLE_FIELDS);
  }

  /** The bolt's configuration plus the tick frequency its windows need (overriding the bolt's own). */
  getComponentConfiguration(): TopologyConfig | undefined {
    const own = this.bolt.getComponentConfiguration();
    let plan: WindowPlan;
    try {
      plan = planWindows(this.componentId, this.bolt.windowSettings);
    } catch {
      return own; // prepare throws the same error, naming the component
    }
    const tickSecs = tickSeconds(plan);
    return tickSecs === null ? own : { ...own, 'topology.tick.tuple.freq.secs': tickSecs };
  }

  prepare(config: ResolvedConfig, context: TopologyContext, collector: OutputCollector): void | Promise<void> {
    this.componentId = context.componentId;
    const plan = planWindows(context.componentId, this.bolt.windowSettings);
    checkAgainstTimeout(context.componentId, plan, config);
    this.plan = plan;
    this.driver = createWindowDriver(plan, this.clock, context.componentId);
    this.collector = collector;
    this.taskBolt = copyComponent(this.bolt);
    return this.taskBolt.prepare(config, context, collector);
  }

  execute(input: Tuple): void | Promise<void> {
    const driver = this.driver;
    const collector = this.collector;
    if (driver === undefined || collector === undefined) throw new RangeError(`windowed bolt '${this.componentId}' executed before prepare`);
    if (isTickTuple(input)) return this.settle(driver.onTick(), collector);
    const arrival = driver.onTuple(input);
    switch (arrival.kind) {
      case 'rejected':
        this.stats.rejected += 1;
        collector.reportError(arrival.error);
        collector.fail(input);
        return;
      case 'late':
        this.handleLate(input, arrival.timestampMs, collector);
        return;
      case 'accepted':
        this.failEvicted(arrival.evicted, collector);
        return this.settle(arrival.advance, collector);
    }
  }

  cleanup(): void | Promise<void> {
    // Tuples still in windows are neither acked nor failed: their trees time out and are replayed.
    return (this.taskBolt ?? this.bolt).cleanup();
  }

  private handleLate(input: Tuple, timestampMs: number, collector: OutputCollector): void {
    const stream = this.plan?.kind === 'event-time' ? this.plan.lateTupleStream : undefined;
    if (stream === undefined) {
      this.stats.lateDropped += 1;
    } else {
      collector.emitStream(stream, input, [input.sourceComponent, input.sourceStreamId, input.values, timestampMs]);
      this.stats.lateEmitted += 1;
    }
    collector.ack(input);
  }

  private failEvicted(evicted: readonly Tuple[], collector: OutputCollector): void {
    if (evicted.length === 0) return;
    for (const tuple of evicted) {
      this.toFail.delete(tuple);
      collector.fail(tuple);
    }
    this.stats.overflowFailed += evicted.length;
    collector.reportError(new WindowOverflowError(this.componentId, evicted.length, this.plan?.maxBufferedTuples ?? 0));
  }

  /** Runs the fired windows in order, then settles the expired tuples (acks after every emit anchored to them). */
  private settle(advance: WindowAdvance<Tuple>, collector: OutputCollector): void | Promise<void> {
    const finish = (): void => {
      for (const tuple of advance.expired) {
        if (this.toFail.delete(tuple)) collector.fail(tuple);
        else collector.ack(tuple);
      }
    };
    const running = this.runWindows(advance.fired, 0, collector);
    if (running === undefined) return finish();
    return running.then(finish);
  }

  private runWindows(windows: readonly TupleWindow[], from: number, collector: OutputCollector): Promise<void> | undefined {
    for (let index = from; index < windows.length; index += 1) {
      const running = this.runWindow(windows[index] as TupleWindow, collector);
      if (running !== undefined) return running.then(() => this.runWindows(windows, index + 1, collector));
    }
    return undefined;
  }

  private runWindow(window: TupleWindow, collector: OutputCollector): Promise<void> | undefined {
    this.stats.windowsFired += 1;
    const wrapped = new WindowAnchoringCollector(collector, window, (tuple) => this.toFail.add(tuple));
    const onError = (error: unknown): void => {
      collector.reportError(new WindowExecuteError(this.componentId, window.endTimestamp, error));
      for (const tuple of window.get()) this.toFail.add(tuple);
    };
    try {
      const result = (this.taskBolt ?? this.bolt).execute(window, wrapped);
      if (result instanceof Promise) return result.catch(onError);
    } catch (error) {
      onError(error);
    }
    return undefined;
  }
}

/** Wraps a windowed bolt so TopologyBuilder.setBolt and the runtime can run it like any bolt. */
export function windowed(bolt: BaseWindowedBolt, options: WindowedExecutorOptions = {}): WindowedBoltExecutor {
  return new WindowedBoltExecutor(bolt, options);
}
