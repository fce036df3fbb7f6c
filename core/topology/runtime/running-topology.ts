/**
 * One submitted topology in this process: an executor per task (a private copy of its component),
 * acker tasks, the scheduler, tick and timeout timers. Implements RuntimeHost for its executors.
 *
 * Lifecycle: start() opens spouts and prepares bolts (all of them, or none: a throw in any stops
 * those already started and fails the submit with the component named), then activates spouts.
 * stop() deactivates spouts and optionally waits for pending trees to finish; then bolts stop
 * taking input, finish any async execute and run cleanup while acks still flow (a sink flushing
 * in cleanup gets its inputs acked, and the spouts hear of it); then scheduling stops, spouts
 * finish any async nextTuple and close (committing what was acked). Tuples still queued are
 * dropped un-acked, so their trees fail (or time out) and a reliable source replays them.
 */
import { performance } from 'node:perf_hooks';
import { Subject } from 'rxjs';
import type { Logger } from '../../telemetry/logger.js';
import { createTupleIdGenerator } from '../acker/tuple-id.js';
import { isBasicBolt, type AnyBolt } from '../api/bolt.js';
import { resolveConfig, type ResolvedConfig, type TopologyConfig } from '../api/config.js';
import { InvalidComponentError, TopologyStartError, UserCodeError } from '../api/errors.js';
import { LIFECYCLE_TIMEOUT_MS } from '../api/limits.js';
import type { Spout } from '../api/spout.js';
import { createTickTuple, type RuntimeTuple } from '../api/tuple.js';
import type { ComponentDefinition, TopologyDefinition } from '../builder/topology-definition.js';
import { AckerExecutor } from './acker-executor.js';
import { BoltExecutor } from './bolt-executor.js';
import { copyComponent } from './component-copy.js';
import { ComponentStats, type ComponentStatsSnapshot } from './component-stats.js';
import { ACKER_COMPONENT_ID, ACKER_TASK_ID_BASE, MAX_RECENT_ERRORS, SETTLE_ACKS_MS, TIMEOUT_CHECK_INTERVAL_MS } from './limits.js';
import type { AckerMessage, SpoutEvent } from './messages.js';
import { OutputStreams } from './output-streams.js';
import type { Executor, RuntimeHost } from './runtime-host.js';
import { Scheduler } from './scheduler.js';
import { SpoutExecutor } from './spout-executor.js';
import { createTaskContext } from './task-context.js';
import type { Transfer } from './transfer.js';

/** Where tasks of other processes are reached (distributed mode); see core/topology/distributed. */
export interface RemoteDelivery {
  sendTuples(taskId: number, batch: RuntimeTuple[]): void;
  sendAckerMessages(ackerTaskId: number, batch: AckerMessage[]): void;
  sendSpoutEvents(spoutTaskId: number, batch: SpoutEvent[]): void;
}

export interface TaskPlacement {
  /** Tasks (acker tasks included) this process runs; the others are remote. */
  readonly localTasks: ReadonlySet<number>;
  readonly remote: RemoteDelivery;
}

export interface RunningTopologyOptions {
  readonly logger: Logger;
  /** Run only some tasks here (a worker of a distributed topology); default: every task. */
  readonly placement?: TaskPlacement;
  /** Monotonic ms (default performance.now). */
  readonly nowMs?: () => number;
  /** Start with spouts inactive (Storm's submit-as-inactive). */
  readonly inactive?: boolean;
}

export class RunningTopology implements RuntimeHost {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly ackerTaskIds: readonly number[];
  readonly errors$ = new Subject<UserCodeError>();
  readonly recentErrors: UserCodeError[] = [];
  private readonly spouts: SpoutExecutor[] = [];
  private readonly bolts = new Map<number, BoltExecutor>();
  private readonly ackers = new Map<number, AckerExecutor>();
  private readonly spoutsByTask = new Map<number, SpoutExecutor>();
  private readonly stats = new Map<string, ComponentStats>();
  private readonly scheduler: Scheduler;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly nextId = createTupleIdGenerator();
  private fullQueues = 0;
  private stopped = false;
  readonly nowMs: () => number;

  constructor(
    readonly topologyName: string,
    readonly topology: TopologyDefinition,
    config: TopologyConfig,
    private readonly options: RunningTopologyOptions,
  ) {
    this.config = resolveConfig(config);
    this.logger = options.logger.child({ topology: topologyName });
    this.nowMs = options.nowMs ?? (() => performance.now());
    this.scheduler = new Scheduler(this.nowMs);
    const ackers = this.config['topology.acker.executors'];
    this.ackerTaskIds = Array.from({ length: ackers }, (_, index) => ACKER_TASK_ID_BASE + index);
  }

  get backpressure(): boolean {
    return this.fullQueues > 0;
  }

  nextTupleId(): number {
    return this.nextId();
  }

  async start(): Promise<void> {
    this.createExecutors();
    try {
      await this.openAll();
    } catch (error) {
      await this.stop(0);
      throw new TopologyStartError(this.topologyName, error);
    }
    this.scheduler.setSpouts(this.spouts);
    this.startTimers();
    if (this.options.inactive !== true) this.setActive(true);
  }

  setActive(active: boolean): void {
    for (const spout of this.spouts) spout.setActive(active);
    this.scheduler.wake();
  }

  /** Trees pending in spouts. */
  get pendingTrees(): number {
    let pending = 0;
    for (const spout of this.spouts) pending += spout.pendingCount;
    return pending;
  }

  async stop(waitMs: number): Promise<void> {
    if (this.stopped) return;
    this.setActive(false);
    const deadlineMs = this.nowMs() + waitMs;
    while (this.pendingTrees > 0 && this.nowMs() < deadlineMs) await new Promise((resolve) => setTimeout(resolve, 10));
    for (const bolt of this.bolts.values()) bolt.close();
    for (const bolt of this.bolts.values()) {
      await this.lifecycle(bolt.componentId, bolt.taskId, 'execute', () => bolt.settled());
      await this.lifecycle(bolt.componentId, bolt.taskId, 'cleanup', () => bolt.bolt.cleanup?.());
    }
    await this.settleAcks();
    this.stopped = true;
    this.scheduler.stop();
    for (const timer of this.timers) clearInterval(timer);
    for (const acker of this.ackers.values()) acker.close();
    for (const spout of this.spouts) {
      await this.lifecycle(spout.componentId, spout.taskId, 'nextTuple', () => spout.settled());
      spout.close();
      await this.lifecycle(spout.componentId, spout.taskId, 'close', () => spout.spout.close?.());
    }
    this.errors$.complete();
  }

  /** Lets acks made during cleanup reach the ackers and the spouts (bounded wait). */
  private async settleAcks(): Promise<void> {
    const deadlineMs = this.nowMs() + SETTLE_ACKS_MS;
    const busy = (): boolean =>
      [...this.ackers.values()].some((acker) => acker.hasWork) || this.spouts.some((spout) => spout.hasPendingEvents);
    do await new Promise((resolve) => setImmediate(resolve));
    while (busy() && this.nowMs() < deadlineMs);
  }

  statsSnapshot(): ComponentStatsSnapshot[] {
    return [...this.stats.values()].map((stats) => stats.snapshot());
  }

  // RuntimeHost

  deliverTuples(taskId: number, batch: RuntimeTuple[]): void {
    if (this.isLocal(taskId)) this.bolts.get(taskId)?.inbox.batches$.next(batch);
    else this.options.placement?.remote.sendTuples(taskId, batch);
  }

  deliverAckerMessages(ackerTaskId: number, batch: AckerMessage[]): void {
    if (this.isLocal(ackerTaskId)) this.ackers.get(ackerTaskId)?.inbox.batches$.next(batch);
    else this.options.placement?.remote.sendAckerMessages(ackerTaskId, batch);
  }

  deliverSpoutEvents(spoutTaskId: number, batch: SpoutEvent[]): void {
    if (this.isLocal(spoutTaskId)) this.spoutsByTask.get(spoutTaskId)?.inbox.batches$.next(batch);
    else this.options.placement?.remote.sendSpoutEvents(spoutTaskId, batch);
  }

  /** True when `taskId` runs in this process. */
  isLocal(taskId: number): boolean {
    return this.options.placement === undefined || this.options.placement.localTasks.has(taskId);
  }

  /** Task ids this process runs. */
  get localTaskIds(): number[] {
    return [...this.spoutsByTask.keys(), ...this.bolts.keys(), ...this.ackers.keys()];
  }

  requestFlush(transfer: Transfer): void {
    this.scheduler.requestFlush(transfer);
  }

  queueFullChanged(delta: 1 | -1): void {
    this.fullQueues += delta;
  }

  markReady(executor: Executor): void {
    if (!this.stopped) this.scheduler.markReady(executor);
  }

  reportError(error: UserCodeError): void {
    this.logger.warn({ err: error, component: error.componentId, task: error.taskId }, error.message);
    this.recentErrors.push(error);
    if (this.recentErrors.length > MAX_RECENT_ERRORS) this.recentErrors.shift();
    this.errors$.next(error);
  }

  private statsOf(component: ComponentDefinition): ComponentStats {
    let stats = this.stats.get(component.id);
    if (stats === undefined) {
      stats = new ComponentStats(component.id, component.kind);
      this.stats.set(component.id, stats);
    }
    return stats;
  }

  private componentConfig(component: ComponentDefinition): ResolvedConfig {
    const template = component.kind === 'spout' ? (component.spout as Partial<Spout>) : (component.bolt as Partial<AnyBolt>);
    return resolveConfig(this.config, template.getComponentConfiguration?.(), component.config);
  }

  private createExecutors(): void {
    for (const component of this.topology.components) {
      const config = this.componentConfig(component);
      checkShape(component);
      for (const taskId of component.taskIds) {
        if (!this.isLocal(taskId)) continue;
        const outputs = new OutputStreams(component, this.topology, {}, this.statsOf(component));
        if (component.kind === 'spout') {
          const executor = new SpoutExecutor(taskId, component.id, copyComponent(component.spout), config, outputs, this.statsOf(component), this);
          this.spouts.push(executor);
          this.spoutsByTask.set(taskId, executor);
        } else {
          const executor = new BoltExecutor(taskId, component.id, copyComponent(component.bolt), config, outputs, this.statsOf(component), this);
          this.bolts.set(taskId, executor);
        }
      }
    }
    const ackerStats = new ComponentStats(ACKER_COMPONENT_ID, 'acker');
    if (this.ackerTaskIds.length > 0) this.stats.set(ACKER_COMPONENT_ID, ackerStats);
    for (const taskId of this.ackerTaskIds) {
      if (!this.isLocal(taskId)) continue;
      const capacity = this.config['topology.executor.receive.buffer.size'];
      this.ackers.set(taskId, new AckerExecutor(taskId, ACKER_COMPONENT_ID, this.config['topology.transfer.batch.size'], capacity, ackerStats, this));
    }
  }

  private async openAll(): Promise<void> {
    for (const component of this.topology.components) {
      for (const taskId of component.taskIds) {
        if (!this.isLocal(taskId)) continue;
        if (component.kind === 'spout') {
          const executor = this.spoutsByTask.get(taskId) as SpoutExecutor;
          const context = createTaskContext(this.topologyName, this.topology, component, taskId, executor.config, this.logger);
          await this.lifecycle(component.id, taskId, 'open', () => executor.spout.open(executor.config, context, executor.collector), true);
        } else {
          const executor = this.bolts.get(taskId) as BoltExecutor;
          const context = createTaskContext(this.topologyName, this.topology, component, taskId, executor.config, this.logger);
          const bolt = executor.bolt;
          await this.lifecycle(component.id, taskId, 'prepare', () =>
            isBasicBolt(bolt) ? bolt.prepare?.(executor.config, context) : bolt.prepare(executor.config, context, executor.prepareArgs().collector),
          true);
        }
      }
    }
  }

  /** Runs one lifecycle call with a time limit; rethrows (wrapped) when `rethrow`, else reports. */
  private async lifecycle(componentId: string, taskId: number, method: string, call: () => unknown, rethrow = false): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(call),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not finish within ${LIFECYCLE_TIMEOUT_MS} ms`)), LIFECYCLE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      const wrapped = new UserCodeError(componentId, taskId, method, error);
      if (rethrow) throw wrapped;
      this.reportError(wrapped);
    } finally {
      clearTimeout(timer);
    }
  }

  private startTimers(): void {
    for (const component of this.topology.components) {
      if (component.kind !== 'bolt') continue;
      const executors = component.taskIds.flatMap((taskId) => this.bolts.get(taskId) ?? []);
      const tickSecs = executors[0]?.config['topology.tick.tuple.freq.secs'];
      if (tickSecs === null || tickSecs === undefined) continue;
      this.timers.push(setInterval(() => {
        for (const executor of executors) executor.inbox.batches$.next([createTickTuple()]);
      }, tickSecs * 1000));
    }
    const ackerTimeoutMs = Math.max(this.config['topology.message.timeout.secs'], ...this.spouts.map((spout) => spout.config['topology.message.timeout.secs'])) * 1000;
    const intervalMs = Math.min(TIMEOUT_CHECK_INTERVAL_MS, ackerTimeoutMs / 2);
    this.timers.push(setInterval(() => {
      const nowMs = this.nowMs();
      for (const spout of this.spouts) spout.expireTimeouts(nowMs);
      for (const acker of this.ackers.values()) acker.expire(nowMs, ackerTimeoutMs);
    }, intervalMs));
  }
}

function checkShape(component: ComponentDefinition): void {
  if (component.kind === 'spout') {
    const spout = component.spout as Partial<Spout>;
    if (typeof spout.nextTuple !== 'function' || typeof spout.open !== 'function') {
      throw new InvalidComponentError(component.id, 'a spout needs open() and nextTuple() methods');
    }
    return;
  }
  const bolt = component.bolt as Partial<AnyBolt>;
  if (typeof bolt.execute !== 'function') throw new InvalidComponentError(component.id, 'a bolt needs an execute() method');
  if (!isBasicBolt(bolt as AnyBolt) && typeof (bolt as { prepare?: unknown }).prepare !== 'function') {
    throw new InvalidComponentError(component.id, 'a Bolt needs prepare(config, context, collector) (or set autoAck: true for a BasicBolt)');
  }
}
