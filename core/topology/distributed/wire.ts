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
import { isTupleId, isXorValue } from '../acker/tuple-id.js';
import { AckerMessageKind, type AckerMessage, type SpoutEvent } from '../runtime/messages.js';
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
      // Checked here, not trusted: the acker and spouts assert their inputs, and an assertion
      // failing in a task's turn would take the whole worker down for one peer's bad frame.
      case TransferKind.AckerMessages:
        return { kind: TransferKind.AckerMessages, taskId, items: items.map(ackerMessage) };
      case TransferKind.SpoutEvents:
        return { kind: TransferKind.SpoutEvents, taskId, items: items.map(spoutEvent) };
      default:
        throw new WireFormatError(`unknown batch kind ${String(kind)}`);
    }
  }

  private tuple(item: unknown): RuntimeTuple {
    if (!Array.isArray(item) || item.length !== 5) throw new WireFormatError('a tuple is [stream, source task, values, roots, edges]');
    const [streamIndex, sourceTask, values, roots, edges] = item as WireTuple;
    const schema = this.streams.schemas[streamIndex];
    if (schema === undefined || !Array.isArray(values)) throw new WireFormatError(`stream ${String(streamIndex)} is not one of this topology's ${this.streams.schemas.length}: do the workers run the same module?`);
    if (!Number.isSafeInteger(sourceTask) || !Array.isArray(roots) || !Array.isArray(edges) || roots.length !== edges.length || !roots.every(isTupleId) || !edges.every(isXorValue)) {
      throw new WireFormatError('a tuple needs an integer source task and as many tuple-tree edges as roots, all tuple ids');
    }
    const tuple = new RuntimeTuple(schema, values, sourceTask);
    if (roots.length > 0) {
      tuple.roots = [...roots];
      tuple.edges = [...edges];
    }
    return tuple;
  }
}

const ACKER_MESSAGE_KINDS = new Set<unknown>([AckerMessageKind.Init, AckerMessageKind.Ack, AckerMessageKind.Fail]);
const FAILURE_REASONS = new Set<unknown>(['fail', 'timeout', 'evicted']);

function ackerMessage(item: unknown): AckerMessage {
  const message = item as Partial<AckerMessage> | null;
  if (typeof message !== 'object' || message === null || !ACKER_MESSAGE_KINDS.has(message.kind) || !isTupleId(message.rootId) || !isXorValue(message.xor) || !Number.isSafeInteger(message.spoutTaskId)) {
    throw new WireFormatError('an acker message is { kind: init|ack|fail, rootId: tuple id, xor: 0..2^52-1, spoutTaskId: integer }');
  }
  return message as AckerMessage;
}

function spoutEvent(item: unknown): SpoutEvent {
  const event = item as { kind?: unknown; rootId?: unknown; latencyMs?: unknown; reason?: unknown } | null;
  const valid =
    typeof event === 'object' && event !== null && isTupleId(event.rootId) &&
    ((event.kind === 'complete' && typeof event.latencyMs === 'number' && Number.isFinite(event.latencyMs)) || (event.kind === 'failed' && FAILURE_REASONS.has(event.reason)));
  if (!valid) throw new WireFormatError("a spout event is { kind: 'complete', rootId, latencyMs } or { kind: 'failed', rootId, reason }");
  return event as SpoutEvent;
}
