/**
 * Runs one spout task: calls nextTuple while the spout may emit, and implements the spout side of
 * at-least-once — a reliable emit (one with a message id) gets a random root id and one edge id
 * per receiving task; the acker is told the XOR of those edges; the tree is pending until the
 * acker reports it complete (→ ack) or failed (→ fail), or until `topology.message.timeout.secs`
 * passes here (→ fail), whichever comes first; the other is then ignored.
 *
 * The spout holds back (nextTuple is not called) while it is inactive, its pending trees reach
 * `topology.max.spout.pending`, an input queue of the topology is full, its last async nextTuple
 * has not settled, or it emitted nothing on its last call (then it sleeps
 * `topology.sleep.spout.wait.strategy.time.ms`).
 */
import { UserCodeError } from '../api/errors.js';
import type { ResolvedConfig } from '../api/config.js';
import type { Spout, SpoutOutputCollector } from '../api/spout.js';
import { RuntimeTuple } from '../api/tuple.js';
import { DEFAULT_STREAM_ID } from '../builder/limits.js';
import { isPromise } from './bolt-executor.js';
import type { ComponentStats } from './component-stats.js';
import { Inbox } from './inbox.js';
import { SPOUT_CALLS_PER_TURN } from './limits.js';
import { AckerMessageKind, type SpoutEvent } from './messages.js';
import type { OutputStreams } from './output-streams.js';
import type { Executor, RuntimeHost } from './runtime-host.js';
import { Transfer } from './transfer.js';
import { xorIds } from '../acker/tuple-id.js';

interface PendingTree {
  readonly messageId: unknown;
  readonly startMs: number;
}

export class SpoutExecutor implements Executor {
  readonly inbox: Inbox<SpoutEvent>;
  readonly transfer: Transfer;
  readonly collector: SpoutOutputCollector;
  scheduled = false;
  active = false;
  private busy = false;
  private closed = false;
  /** The async nextTuple in progress, if any. */
  private inFlight: Promise<void> | undefined;
  /** Monotonic ms before which nextTuple is not called (it emitted nothing last time). */
  sleepUntilMs = 0;
  private readonly pending = new Map<number, PendingTree>();
  /** Message ids to ack at the end of this turn (no receivers, or reliability off). */
  private readonly ackedAtOnce: unknown[] = [];
  private emittedInCall = 0;
  private readonly reliable: boolean;
  private readonly maxPending: number;
  private readonly timeoutMs: number;
  private readonly waitMs: number;

  constructor(
    readonly taskId: number,
    readonly componentId: string,
    readonly spout: Spout,
    readonly config: ResolvedConfig,
    private readonly outputs: OutputStreams,
    private readonly stats: ComponentStats,
    private readonly host: RuntimeHost,
  ) {
    this.reliable = host.ackerTaskIds.length > 0;
    this.maxPending = config['topology.max.spout.pending'] ?? Number.POSITIVE_INFINITY;
    this.timeoutMs = config['topology.message.timeout.secs'] * 1000;
    this.waitMs = config['topology.sleep.spout.wait.strategy.time.ms'];
    this.transfer = new Transfer(host, config['topology.transfer.batch.size']);
    this.inbox = new Inbox(Number.MAX_SAFE_INTEGER, () => undefined, () => host.markReady(this));
    this.collector = this.createCollector();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** True while acker verdicts wait in the inbox. */
  get hasPendingEvents(): boolean {
    return !this.inbox.isEmpty;
  }

  /** True when nextTuple may be called now (ignoring the sleep). */
  get canEmit(): boolean {
    return this.active && !this.busy && !this.closed && this.pending.size < this.maxPending && !this.host.backpressure;
  }

  get hasWork(): boolean {
    return !this.closed && (!this.inbox.isEmpty || (this.canEmit && this.host.nowMs() >= this.sleepUntilMs));
  }

  runTurn(): boolean {
    if (this.closed) return false;
    this.transfer.inTurn = true;
    let worked = false;
    try {
      worked = this.handleEvents();
      if (this.canEmit && this.host.nowMs() >= this.sleepUntilMs) worked = this.callNextTuple() || worked;
      this.ackAtOnce();
    } finally {
      this.transfer.inTurn = false;
      this.transfer.flush();
    }
    return worked;
  }

  /** Fails the trees pending longer than the message timeout. */
  expireTimeouts(nowMs: number): void {
    if (this.closed || this.pending.size === 0) return;
    this.transfer.inTurn = true;
    try {
      for (const [rootId, tree] of this.pending) {
        if (nowMs - tree.startMs <= this.timeoutMs) break; // insertion order is emit order
        this.pending.delete(rootId);
        this.stats.failed++;
        this.callUser('fail', () => this.spout.fail?.(tree.messageId));
      }
    } finally {
      this.transfer.inTurn = false;
      this.transfer.flush();
    }
  }

  setActive(active: boolean): void {
    if (this.active === active || this.closed) return;
    this.active = active;
    this.callUser(active ? 'activate' : 'deactivate', () => (active ? this.spout.activate?.() : this.spout.deactivate?.()));
    if (active) this.host.markReady(this);
  }

  /** Resolves once no async nextTuple is in progress. */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  close(): void {
    this.closed = true;
    this.active = false;
    this.inbox.close();
  }

  private handleEvents(): boolean {
    let handled = false;
    for (let event = this.inbox.take(); event !== undefined; event = this.inbox.take()) {
      handled = true;
      const tree = this.pending.get(event.rootId);
      if (tree === undefined) continue; // timed out here already
      this.pending.delete(event.rootId);
      if (event.kind === 'complete') {
        this.stats.acked++;
        this.stats.completeLatency.record(event.latencyMs);
        this.callUser('ack', () => this.spout.ack?.(tree.messageId));
      } else {
        this.stats.failed++;
        this.callUser('fail', () => this.spout.fail?.(tree.messageId));
      }
    }
    return handled;
  }

  private callNextTuple(): boolean {
    let emitted = false;
    for (let call = 0; call < SPOUT_CALLS_PER_TURN; call++) {
      this.emittedInCall = 0;
      let result: void | Promise<void>;
      try {
        result = this.spout.nextTuple();
      } catch (error) {
        this.reportError('nextTuple', error);
        this.sleepUntilMs = this.host.nowMs() + this.waitMs;
        return emitted;
      }
      if (isPromise(result)) {
        this.awaitNextTuple(result);
        return true;
      }
      if (this.emittedInCall === 0) {
        this.sleepUntilMs = this.host.nowMs() + this.waitMs;
        return emitted;
      }
      emitted = true;
      if (!this.canEmit) break;
    }
    return emitted;
  }

  private awaitNextTuple(result: Promise<void>): void {
    this.busy = true;
    const emittedBefore = this.stats.emitted;
    this.inFlight = result
      .then(undefined, (error: unknown) => this.reportError('nextTuple', error))
      .finally(() => {
        this.inFlight = undefined;
        this.busy = false;
        if (this.stats.emitted === emittedBefore) this.sleepUntilMs = this.host.nowMs() + this.waitMs;
        this.transfer.flush();
        this.ackAtOnce();
        this.host.markReady(this);
      });
  }

  private ackAtOnce(): void {
    while (this.ackedAtOnce.length > 0) {
      const messageId = this.ackedAtOnce.shift();
      this.stats.acked++;
      this.callUser('ack', () => this.spout.ack?.(messageId));
    }
  }

  private emitTuple(streamId: string, values: readonly unknown[], messageId: unknown, directTaskId: number | undefined): number {
    const stream = this.outputs.stream(streamId, values.length);
    const targets = directTaskId === undefined ? this.outputs.targetsOf(stream, values, this.taskId) : this.outputs.directTarget(stream, directTaskId);
    this.emittedInCall++;
    stream.counter.emitted++;
    this.stats.transferred += targets.length;
    if (messageId === undefined || !this.reliable || targets.length === 0) {
      const tuple = new RuntimeTuple(stream.schema, values, this.taskId);
      for (const target of targets) this.transfer.sendTuple(target, tuple);
      if (messageId !== undefined) this.ackedAtOnce.push(messageId);
      return targets.length;
    }
    let rootId = this.host.nextTupleId();
    while (this.pending.has(rootId)) rootId = this.host.nextTupleId(); // two live trees must never share a root
    let initialXor = 0;
    for (const target of targets) {
      const edgeId = this.host.nextTupleId();
      const tuple = new RuntimeTuple(stream.schema, values, this.taskId);
      tuple.roots = [rootId];
      tuple.edges = [edgeId];
      initialXor = xorIds(initialXor, edgeId);
      this.transfer.sendTuple(target, tuple);
    }
    this.pending.set(rootId, { messageId, startMs: this.host.nowMs() });
    this.transfer.sendToAcker({ kind: AckerMessageKind.Init, rootId, xor: initialXor, spoutTaskId: this.taskId });
    return targets.length;
  }

  private callUser(method: string, call: () => unknown): void {
    try {
      call();
    } catch (error) {
      this.reportError(method, error);
    }
  }

  private reportError(method: string, error: unknown): void {
    this.stats.errors++;
    const wrapped = new UserCodeError(this.componentId, this.taskId, method, error);
    this.stats.lastError = wrapped.message;
    this.host.reportError(wrapped);
  }

  private createCollector(): SpoutOutputCollector {
    const pending = this.pending;
    return {
      emit: (values, messageId) => this.emitTuple(DEFAULT_STREAM_ID, values, messageId, undefined),
      emitStream: (streamId, values, messageId) => this.emitTuple(streamId, values, messageId, undefined),
      emitDirect: (taskId, values, messageId, streamId = DEFAULT_STREAM_ID) => this.emitTuple(streamId, values, messageId, taskId),
      reportError: (error) => this.reportError('reportError', error),
      get pendingCount() {
        return pending.size;
      },
    };
  }
}
