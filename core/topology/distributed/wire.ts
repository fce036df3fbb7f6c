/**
 * The worker-to-worker protocol of distributed topologies: a frame carries the batches one worker
 * had for another in one pass — tuples for bolt tasks, acker messages for acker tasks, acker
 * verdicts for spout tasks — as [int32 correlation id][v8-serialised list of batches]. A tuple
 * travels as its stream's number (both sides number the topology's streams alike), source task,
 * values and tuple-tree ids; the receiver rebuilds it against its own stream schemas. The answer
 * is an empty frame once the batches are queued.
 */
import { deserialize, serialize } from 'node:v8';
import { RuntimeTuple, StreamSchema } from '../api/tuple.js';
import type { TopologyDefinition } from '../builder/topology-definition.js';
import type { AckerMessage, SpoutEvent } from '../runtime/messages.js';
import { WireFormatError } from './errors.js';

export const TransferKind = { Tuples: 0, AckerMessages: 1, SpoutEvents: 2 } as const;
export type TransferKind = (typeof TransferKind)[keyof typeof TransferKind];

/** [stream index, source task, values, roots, edges]: streams are numbered alike in every worker
 * (component order, then declaration order), so names never travel. */
type WireTuple = [number, number, readonly unknown[], readonly number[], readonly number[]];

/** One batch: [kind, task id, items]. */
type WireBatch = [TransferKind, number, readonly unknown[]];

export type Transfer =
  | { readonly kind: typeof TransferKind.Tuples; readonly taskId: number; readonly items: RuntimeTuple[] }
  | { readonly kind: typeof TransferKind.AckerMessages; readonly taskId: number; readonly items: AckerMessage[] }
  | { readonly kind: typeof TransferKind.SpoutEvents; readonly taskId: number; readonly items: SpoutEvent[] };

/** The streams of a topology, numbered (the same numbering in every worker running it). */
export class StreamTable {
  readonly schemas: StreamSchema[] = [];
  private readonly indexes = new Map<string, number>();

  constructor(topology: TopologyDefinition) {
    for (const component of topology.components) {
      for (const stream of component.streams) {
        this.indexes.set(`${component.id}\u0000${stream.streamId}`, this.schemas.length);
        this.schemas.push(new StreamSchema(component.id, stream.streamId, stream.fields));
      }
    }
  }

  indexOf(componentId: string, streamId: string): number {
    const index = this.indexes.get(`${componentId}\u0000${streamId}`);
    if (index === undefined) throw new WireFormatError(`no stream '${streamId}' of component '${componentId}' in this topology: do the workers run the same module?`);
    return index;
  }
}

/** Encodes transfers for one frame: several batches (to tasks of one peer) travel together. */
export class TransferEncoder {
  constructor(private readonly streams: StreamTable) {}

  tuples(taskId: number, tuples: readonly RuntimeTuple[]): WireBatch {
    return [TransferKind.Tuples, taskId, tuples.map((tuple): WireTuple => [this.streams.indexOf(tuple.sourceComponent, tuple.sourceStreamId), tuple.sourceTask, tuple.values, tuple.roots, tuple.edges])];
  }

  ackerMessages(taskId: number, messages: readonly AckerMessage[]): WireBatch {
    return [TransferKind.AckerMessages, taskId, messages];
  }

  spoutEvents(taskId: number, events: readonly SpoutEvent[]): WireBatch {
    return [TransferKind.SpoutEvents, taskId, events];
  }

  /** [int32 correlation][v8 body]: one frame of batches. */
  frame(batches: readonly WireBatch[]): Buffer {
    const payload = serialize(batches);
    const out = Buffer.allocUnsafe(4 + payload.length);
    out.writeInt32BE(0, 0);
    payload.copy(out, 4);
    return out;
  }
}

export type { WireBatch };

/** Rebuilds transfers against the stream table of one topology. */
export class TransferDecoder {
  constructor(private readonly streams: StreamTable) {}

  decode(frameBytes: Buffer): Transfer[] {
    let batches: unknown;
    try {
      batches = deserialize(frameBytes.subarray(4));
    } catch (error) {
      throw new WireFormatError(`undecodable frame: ${(error as Error).message}`);
    }
    if (!Array.isArray(batches)) throw new WireFormatError('a frame is a list of batches');
    return batches.map((batch) => this.batch(batch));
  }

  private batch(batch: unknown): Transfer {
    if (!Array.isArray(batch) || batch.length !== 3 || !Number.isSafeInteger(batch[1]) || !Array.isArray(batch[2])) throw new WireFormatError('a batch is [kind, task, items]');
    const [kind, taskId, items] = batch as WireBatch;
    switch (kind) {
      case TransferKind.Tuples:
        return { kind: TransferKind.Tuples, taskId, items: items.map((item) => this.tuple(item)) };
      case TransferKind.AckerMessages:
        return { kind: TransferKind.AckerMessages, taskId, items: items as AckerMessage[] };
      case TransferKind.SpoutEvents:
        return { kind: TransferKind.SpoutEvents, taskId, items: items as SpoutEvent[] };
      default:
        throw new WireFormatError(`unknown batch kind ${String(kind)}`);
    }
  }

  private tuple(item: unknown): RuntimeTuple {
    if (!Array.isArray(item) || item.length !== 5) throw new WireFormatError('a tuple is [stream, source task, values, roots, edges]');
    const [streamIndex, sourceTask, values, roots, edges] = item as WireTuple;
    const schema = this.streams.schemas[streamIndex];
    if (schema === undefined || !Array.isArray(values)) throw new WireFormatError(`stream ${String(streamIndex)} is not one of this topology's ${this.streams.schemas.length}: do the workers run the same module?`);
    const tuple = new RuntimeTuple(schema, values, sourceTask);
    if (roots.length > 0) {
      tuple.roots = [...roots];
      tuple.edges = [...edges];
    }
    return tuple;
  }
}
