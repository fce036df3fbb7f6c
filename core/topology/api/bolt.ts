/**
 * Bolts: the operators of a topology.
 *
 * A `Bolt` (Storm's IRichBolt) anchors and acks by hand through its OutputCollector, and may ack
 * later, from a callback (a sink acking once its write is durable). A `BasicBolt` (IBasicBolt)
 * has every emit anchored to the input and the input acked when execute returns (or its promise
 * resolves); throwing FailedException fails the input, any other throw fails it and is reported.
 */
import type { ComponentLike, OutputFieldsDeclarer } from '../builder/components.js';
import type { ResolvedConfig, TopologyConfig } from './config.js';
import type { TopologyContext } from './context.js';
import type { Tuple } from './tuple.js';

/** One anchor, several, or none (an unanchored emit starts no tree and is never replayed). */
export type Anchors = Tuple | readonly Tuple[] | null;

export interface OutputCollector {
  /** Emits on the default stream anchored to `anchors`. Returns how many tasks received it. */
  emit(anchors: Anchors, values: readonly unknown[]): number;
  emitStream(streamId: string, anchors: Anchors, values: readonly unknown[]): number;
  emitDirect(taskId: number, anchors: Anchors, values: readonly unknown[], streamId?: string): number;
  ack(input: Tuple): void;
  fail(input: Tuple): void;
  reportError(error: unknown): void;
}

export interface BasicOutputCollector {
  emit(values: readonly unknown[]): number;
  emitStream(streamId: string, values: readonly unknown[]): number;
  emitDirect(taskId: number, values: readonly unknown[], streamId?: string): number;
  reportError(error: unknown): void;
}

interface BoltCommon extends ComponentLike {
  cleanup?(): void | Promise<void>;
  getComponentConfiguration?(): TopologyConfig | undefined;
}

export interface Bolt extends BoltCommon {
  prepare(config: ResolvedConfig, context: TopologyContext, collector: OutputCollector): void | Promise<void>;
  /** Handles one tuple. If it returns a promise, the task takes its next tuple when it settles. */
  execute(input: Tuple): void | Promise<void>;
}

export interface BasicBolt extends BoltCommon {
  /** Marks the bolt as basic: the runtime anchors its emits and acks its inputs. */
  readonly autoAck: true;
  prepare?(config: ResolvedConfig, context: TopologyContext): void | Promise<void>;
  execute(input: Tuple, collector: BasicOutputCollector): void | Promise<void>;
}

export type AnyBolt = Bolt | BasicBolt;

export function isBasicBolt(bolt: AnyBolt): bolt is BasicBolt {
  return (bolt as Partial<BasicBolt>).autoAck === true;
}

export abstract class BaseRichBolt implements Bolt {
  abstract declareOutputFields(declarer: OutputFieldsDeclarer): void;
  abstract prepare(config: ResolvedConfig, context: TopologyContext, collector: OutputCollector): void | Promise<void>;
  abstract execute(input: Tuple): void | Promise<void>;
  cleanup(): void | Promise<void> {}
}

export abstract class BaseBasicBolt implements BasicBolt {
  readonly autoAck = true as const;
  abstract declareOutputFields(declarer: OutputFieldsDeclarer): void;
  prepare(_config: ResolvedConfig, _context: TopologyContext): void | Promise<void> {}
  abstract execute(input: Tuple, collector: BasicOutputCollector): void | Promise<void>;
  cleanup(): void | Promise<void> {}
}
