/**
 * Spouts: the sources of a topology. The runtime calls nextTuple whenever the spout may emit
 * (it is active, its pending trees are below `topology.max.spout.pending`, and no queue
 * downstream is full), then ack or fail with the message id of each tree once its fate is known.
 * Emits without a message id are unreliable: never tracked, never replayed.
 */
import type { ComponentLike } from '../builder/components.js';
import type { ResolvedConfig, TopologyConfig } from './config.js';
import type { TopologyContext } from './context.js';

export interface SpoutOutputCollector {
  /** Emits on the default stream; with a message id the tuple tree is tracked and ack/fail follow.
   * Returns how many tasks received it. */
  emit(values: readonly unknown[], messageId?: unknown): number;
  emitStream(streamId: string, values: readonly unknown[], messageId?: unknown): number;
  /** Emits to one task of a directGrouping subscriber on a stream declared `direct`. */
  emitDirect(taskId: number, values: readonly unknown[], messageId?: unknown, streamId?: string): number;
  /** Reports an error in this spout (logged and counted; the task keeps running). */
  reportError(error: unknown): void;
  /** Trees this task has in flight. */
  readonly pendingCount: number;
}

export interface Spout<MessageId = unknown> extends ComponentLike {
  open(config: ResolvedConfig, context: TopologyContext, collector: SpoutOutputCollector): void | Promise<void>;
  /** Emit zero or more tuples. May be async (e.g. waiting on a fetch); it is not called again until it settles. */
  nextTuple(): void | Promise<void>;
  ack?(messageId: MessageId): void;
  fail?(messageId: MessageId): void;
  activate?(): void;
  deactivate?(): void;
  close?(): void | Promise<void>;
  getComponentConfiguration?(): TopologyConfig | undefined;
}

/** A spout with empty lifecycle methods to override. */
export abstract class BaseRichSpout<MessageId = unknown> implements Spout<MessageId> {
  abstract declareOutputFields(declarer: Parameters<ComponentLike['declareOutputFields']>[0]): void;
  abstract open(config: ResolvedConfig, context: TopologyContext, collector: SpoutOutputCollector): void | Promise<void>;
  abstract nextTuple(): void | Promise<void>;
  ack(_messageId: MessageId): void {}
  fail(_messageId: MessageId): void {}
  activate(): void {}
  deactivate(): void {}
  close(): void | Promise<void> {}
}
