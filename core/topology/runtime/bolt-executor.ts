/**
 * Runs one bolt task: takes tuples from its inbox in batches, calls execute, and implements the
 * bolt side of at-least-once — anchored emits, acks carrying the XOR of the edges anchored to the
 * input, fails. A BasicBolt's emits are anchored to the input, which is acked when execute
 * returns (or its promise resolves) and failed when it throws. A throw from user code fails the
 * input (so its spout replays it), is reported with the component and task, and the task goes on
 * with the next tuple: one bad tuple never stops the others.
 */
import { FailedException, InvalidAnchorError, UserCodeError } from '../api/errors.js';
import { isBasicBolt, type AnyBolt, type Anchors, type BasicOutputCollector, type OutputCollector } from '../api/bolt.js';
import { RuntimeTuple, type Tuple } from '../api/tuple.js';
import type { ResolvedConfig } from '../api/config.js';
import { DEFAULT_STREAM_ID } from '../builder/limits.js';
import { anchorList, anchorTuple, hasRoots } from './anchoring.js';
import type { ComponentStats } from './component-stats.js';
import { Inbox } from './inbox.js';
import { AckerMessageKind } from './messages.js';
import type { OutputStreams } from './output-streams.js';
import type { Executor, RuntimeHost } from './runtime-host.js';
import { Transfer } from './transfer.js';
import { xorIds } from '../acker/tuple-id.js';

export class BoltExecutor implements Executor {
  readonly inbox: Inbox<RuntimeTuple>;
  readonly transfer: Transfer;
  scheduled = false;
  private busy = false;
  private closed = false;
  /** The async execute in progress, if any. */
  private inFlight: Promise<void> | undefined;
  private readonly reliable: boolean;
  private readonly batchSize: number;
  private readonly collector: OutputCollector;
  /** BasicBolt: the input being executed, as the anchor list of every emit. */
  private currentAnchors: readonly RuntimeTuple[] = [];
  private readonly basicCollector: BasicOutputCollector;

  constructor(
    readonly taskId: number,
    readonly componentId: string,
    readonly bolt: AnyBolt,
    readonly config: ResolvedConfig,
    private readonly outputs: OutputStreams,
    private readonly stats: ComponentStats,
    private readonly host: RuntimeHost,
  ) {
    this.reliable = host.ackerTaskIds.length > 0;
    this.batchSize = config['topology.transfer.batch.size'];
    this.transfer = new Transfer(host, this.batchSize);
    this.inbox = new Inbox(config['topology.executor.receive.buffer.size'], (delta) => host.queueFullChanged(delta), () => host.markReady(this));
    this.collector = this.createCollector();
    this.basicCollector = this.createBasicCollector();
  }

  get hasWork(): boolean {
    return !this.busy && !this.closed && !this.inbox.isEmpty;
  }

  prepareArgs(): { collector: OutputCollector } {
    return { collector: this.collector };
  }

  runTurn(): boolean {
    if (this.busy || this.closed) return false;
    const startMs = this.host.nowMs();
    let executed = 0;
    this.transfer.inTurn = true;
    try {
      while (executed < this.batchSize) {
        const tuple = this.inbox.take();
        if (tuple === undefined) break;
        executed++;
        const pending = this.executeOne(tuple);
        if (pending !== undefined) {
          this.waitFor(pending);
          break;
        }
      }
    } finally {
      this.transfer.inTurn = false;
      this.transfer.flush();
    }
    this.stats.executed += executed;
    this.stats.executeMsTotal += this.host.nowMs() - startMs;
    return executed > 0;
  }

  /** Stops taking input; returns the tuples still queued (they are never acked, so they replay). */
  close(): RuntimeTuple[] {
    this.closed = true;
    return this.inbox.close();
  }

  /** Resolves once no async execute is in progress. */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  private waitFor(pending: Promise<void>): void {
    this.busy = true;
    this.inFlight = pending.finally(() => {
      this.inFlight = undefined;
      this.busy = false;
      this.transfer.flush();
      if (!this.closed && !this.inbox.isEmpty) this.host.markReady(this);
    });
  }

  /** Executes one tuple; returns a promise when user code went async. */
  private executeOne(tuple: RuntimeTuple): Promise<void> | undefined {
    const bolt = this.bolt;
    if (isBasicBolt(bolt)) {
      this.currentAnchors = [tuple];
      let result: void | Promise<void>;
      try {
        result = bolt.execute(tuple, this.basicCollector);
      } catch (error) {
        this.basicFailed(tuple, error);
        return undefined;
      }
      if (isPromise(result)) {
        return result.then(
          () => this.ack(tuple),
          (error: unknown) => this.basicFailed(tuple, error),
        );
      }
      this.ack(tuple);
      return undefined;
    }
    let result: void | Promise<void>;
    try {
      result = bolt.execute(tuple);
    } catch (error) {
      this.userFailed(tuple, error);
      return undefined;
    }
    if (isPromise(result)) return result.then(undefined, (error: unknown) => this.userFailed(tuple, error));
    return undefined;
  }

  private basicFailed(tuple: RuntimeTuple, error: unknown): void {
    if (error instanceof FailedException) this.fail(tuple);
    else this.userFailed(tuple, error);
  }

  private userFailed(tuple: RuntimeTuple, error: unknown): void {
    this.reportError('execute', error);
    if (!tuple.settled) this.fail(tuple);
  }

  private reportError(method: string, error: unknown): void {
    this.stats.errors++;
    const wrapped = new UserCodeError(this.componentId, this.taskId, method, error);
    this.stats.lastError = wrapped.message;
    this.host.reportError(wrapped);
  }

  private emitTuple(streamId: string, anchors: readonly RuntimeTuple[], values: readonly unknown[], directTaskId: number | undefined): number {
    const stream = this.outputs.stream(streamId, values.length);
    const targets = directTaskId === undefined ? this.outputs.targetsOf(stream, values, this.taskId) : this.outputs.directTarget(stream, directTaskId);
    stream.counter.emitted++;
    this.stats.transferred += targets.length;
    if (targets.length === 0) return 0;
    if (!this.reliable || !hasRoots(anchors)) {
      const tuple = new RuntimeTuple(stream.schema, values, this.taskId);
      for (const target of targets) this.transfer.sendTuple(target, tuple);
    } else {
      for (const target of targets) {
        const tuple = new RuntimeTuple(stream.schema, values, this.taskId);
        anchorTuple(tuple, anchors, () => this.host.nextTupleId());
        this.transfer.sendTuple(target, tuple);
      }
    }
    return targets.length;
  }

  private ack(input: Tuple): void {
    const tuple = this.runtimeTuple(input);
    if (tuple.settled) return;
    tuple.settled = true;
    this.stats.acked++;
    if (!this.reliable) return;
    const { roots, edges, ackVal } = tuple;
    for (let index = 0; index < roots.length; index++) {
      this.transfer.sendToAcker({ kind: AckerMessageKind.Ack, rootId: roots[index] as number, xor: xorIds(edges[index] as number, ackVal), spoutTaskId: 0 });
    }
  }

  private fail(input: Tuple): void {
    const tuple = this.runtimeTuple(input);
    if (tuple.settled) return;
    tuple.settled = true;
    this.stats.failed++;
    if (!this.reliable) return;
    for (const rootId of tuple.roots) this.transfer.sendToAcker({ kind: AckerMessageKind.Fail, rootId, xor: 0, spoutTaskId: 0 });
  }

  private runtimeTuple(input: Tuple): RuntimeTuple {
    if (!(input instanceof RuntimeTuple)) throw new InvalidAnchorError(this.componentId, 'ack/fail take an input tuple given to execute');
    return input;
  }

  private createCollector(): OutputCollector {
    const id = this.componentId;
    return {
      emit: (anchors: Anchors, values) => this.emitTuple(DEFAULT_STREAM_ID, anchorList(id, anchors), values, undefined),
      emitStream: (streamId, anchors, values) => this.emitTuple(streamId, anchorList(id, anchors), values, undefined),
      emitDirect: (taskId, anchors, values, streamId = DEFAULT_STREAM_ID) => this.emitTuple(streamId, anchorList(id, anchors), values, taskId),
      ack: (input) => this.ack(input),
      fail: (input) => this.fail(input),
      reportError: (error) => this.reportError('reportError', error),
    };
  }

  private createBasicCollector(): BasicOutputCollector {
    return {
      emit: (values) => this.emitTuple(DEFAULT_STREAM_ID, this.currentAnchors, values, undefined),
      emitStream: (streamId, values) => this.emitTuple(streamId, this.currentAnchors, values, undefined),
      emitDirect: (taskId, values, streamId = DEFAULT_STREAM_ID) => this.emitTuple(streamId, this.currentAnchors, values, taskId),
      reportError: (error) => this.reportError('reportError', error),
    };
  }
}

export function isPromise(value: unknown): value is Promise<void> {
  return typeof (value as Promise<void> | undefined)?.then === 'function';
}
