/**
 * Drives one spout or bolt by hand, outside any cluster, for unit tests of a component's own
 * logic (Storm's testing utilities do the same): a context, and collectors that record what the
 * component emitted, acked and failed. Whole-topology behaviour (routing, acking across tasks,
 * replays) is tested on a real LocalCluster instead.
 */
import { silentLogger } from '../../telemetry/logger.js';
import { resolveConfig, type ResolvedConfig, type TopologyConfig } from '../api/config.js';
import type { TopologyContext } from '../api/context.js';
import type { Anchors, BasicOutputCollector, OutputCollector } from '../api/bolt.js';
import type { SpoutOutputCollector } from '../api/spout.js';
import type { Tuple } from '../api/tuple.js';
import { DEFAULT_STREAM_ID } from '../builder/limits.js';
import { collectStreams, type ComponentLike } from '../builder/components.js';

export interface ContextOptions {
  readonly componentId?: string;
  readonly taskId?: number;
  readonly taskIndex?: number;
  readonly componentTaskIds?: readonly number[];
  readonly config?: TopologyConfig;
  readonly topologyName?: string;
}

/** A context for `component` (its declared streams answer outputFields). */
export function createTestContext(component: ComponentLike, options: ContextOptions = {}): TopologyContext {
  const componentId = options.componentId ?? 'component';
  const taskId = options.taskId ?? 1;
  const streams = collectStreams(componentId, component);
  const config: ResolvedConfig = resolveConfig(options.config);
  const componentTaskIds = options.componentTaskIds ?? [taskId];
  return {
    topologyName: options.topologyName ?? 'test',
    componentId,
    taskId,
    taskIndex: options.taskIndex ?? Math.max(0, componentTaskIds.indexOf(taskId)),
    componentTaskIds,
    config,
    logger: silentLogger(),
    taskIdsOf: (id) => (id === componentId ? componentTaskIds : []),
    outputFields(streamId = DEFAULT_STREAM_ID) {
      const stream = streams.find((candidate) => candidate.streamId === streamId);
      if (stream === undefined) throw new RangeError(`component '${componentId}' declares no stream '${streamId}'`);
      return stream.fields;
    },
  };
}

export interface RecordedEmit {
  readonly streamId: string;
  readonly values: readonly unknown[];
  /** Spouts: the message id given (undefined when unreliable). */
  readonly messageId?: unknown;
  /** Bolts: the anchors given. */
  readonly anchors?: readonly Tuple[];
  /** emitDirect: the chosen task. */
  readonly directTaskId?: number;
}

export class RecordingSpoutCollector implements SpoutOutputCollector {
  readonly emitted: RecordedEmit[] = [];
  readonly errors: unknown[] = [];
  /** Message ids emitted and not yet passed to `settle`. */
  readonly pending = new Set<unknown>();

  get pendingCount(): number {
    return this.pending.size;
  }

  emit(values: readonly unknown[], messageId?: unknown): number {
    return this.emitStream(DEFAULT_STREAM_ID, values, messageId);
  }

  emitStream(streamId: string, values: readonly unknown[], messageId?: unknown): number {
    this.emitted.push({ streamId, values, messageId });
    if (messageId !== undefined) this.pending.add(messageId);
    return 1;
  }

  emitDirect(taskId: number, values: readonly unknown[], messageId?: unknown, streamId = DEFAULT_STREAM_ID): number {
    this.emitted.push({ streamId, values, messageId, directTaskId: taskId });
    if (messageId !== undefined) this.pending.add(messageId);
    return 1;
  }

  reportError(error: unknown): void {
    this.errors.push(error);
  }

  /** Forget a message id (call alongside spout.ack/fail in a test). */
  settle(messageId: unknown): void {
    this.pending.delete(messageId);
  }
}

function anchorList(anchors: Anchors): readonly Tuple[] {
  if (anchors === null) return [];
  return Array.isArray(anchors) ? (anchors as readonly Tuple[]) : [anchors as Tuple];
}

export class RecordingOutputCollector implements OutputCollector {
  readonly emitted: RecordedEmit[] = [];
  readonly acked: Tuple[] = [];
  readonly failed: Tuple[] = [];
  readonly errors: unknown[] = [];

  emit(anchors: Anchors, values: readonly unknown[]): number {
    return this.emitStream(DEFAULT_STREAM_ID, anchors, values);
  }

  emitStream(streamId: string, anchors: Anchors, values: readonly unknown[]): number {
    this.emitted.push({ streamId, values, anchors: anchorList(anchors) });
    return 1;
  }

  emitDirect(taskId: number, anchors: Anchors, values: readonly unknown[], streamId = DEFAULT_STREAM_ID): number {
    this.emitted.push({ streamId, values, anchors: anchorList(anchors), directTaskId: taskId });
    return 1;
  }

  ack(input: Tuple): void {
    this.acked.push(input);
  }

  fail(input: Tuple): void {
    this.failed.push(input);
  }

  reportError(error: unknown): void {
    this.errors.push(error);
  }
}

export class RecordingBasicCollector implements BasicOutputCollector {
  readonly emitted: RecordedEmit[] = [];
  readonly errors: unknown[] = [];

  emit(values: readonly unknown[]): number {
    return this.emitStream(DEFAULT_STREAM_ID, values);
  }

  emitStream(streamId: string, values: readonly unknown[]): number {
    this.emitted.push({ streamId, values });
    return 1;
  }

  emitDirect(taskId: number, values: readonly unknown[], streamId = DEFAULT_STREAM_ID): number {
    this.emitted.push({ streamId, values, directTaskId: taskId });
    return 1;
  }

  reportError(error: unknown): void {
    this.errors.push(error);
  }
}

/** A RecordingOutputCollector a test can await: settled(n) resolves once n inputs are acked or failed
 * (for bolts that ack later, from a write's callback). */
export class SettlingCollector extends RecordingOutputCollector {
  private waiters: { count: number; resolve: () => void }[] = [];

  override ack(input: Tuple): void {
    super.ack(input);
    this.wake();
  }

  override fail(input: Tuple): void {
    super.fail(input);
    this.wake();
  }

  settled(count: number): Promise<void> {
    if (this.acked.length + this.failed.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private wake(): void {
    const done = this.acked.length + this.failed.length;
    this.waiters = this.waiters.filter((waiter) => (waiter.count <= done ? (waiter.resolve(), false) : true));
  }
}
