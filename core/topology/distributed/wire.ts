/**
 * The worker-to-worker protocol of distributed topologies: one frame per batch — tuples for a bolt
 * task, acker messages for an acker task, or acker verdicts for a spout task — as
 * [int32 correlation id][v8-serialised body]. Tuples travel as their stream's (component, stream)
 * names, values, source task and tuple-tree ids; the receiver rebuilds them against its own copy
 * of the topology's stream schemas. The answer is an empty frame once the batch is queued.
 */
import { deserialize, serialize } from 'node:v8';
import { RuntimeTuple, StreamSchema } from '../api/tuple.js';
import type { TopologyDefinition } from '../builder/topology-definition.js';
import type { AckerMessage, SpoutEvent } from '../runtime/messages.js';
import { WireFormatError } from './errors.js';

export const TransferKind = { Tuples: 0, AckerMessages: 1, SpoutEvents: 2 } as const;
export type TransferKind = (typeof TransferKind)[keyof typeof TransferKind];

interface WireTuple {
  readonly c: string;
  readonly s: string;
  readonly v: readonly unknown[];
  readonly t: number;
  readonly r: readonly number[];
  readonly e: readonly number[];
}

interface WireBatch {
  readonly k: TransferKind;
  readonly t: number;
  readonly i: readonly unknown[];
}

export type Transfer =
  | { readonly kind: typeof TransferKind.Tuples; readonly taskId: number; readonly items: RuntimeTuple[] }
  | { readonly kind: typeof TransferKind.AckerMessages; readonly taskId: number; readonly items: AckerMessage[] }
  | { readonly kind: typeof TransferKind.SpoutEvents; readonly taskId: number; readonly items: SpoutEvent[] };

function frame(body: WireBatch): Buffer {
  const payload = serialize(body);
  const out = Buffer.allocUnsafe(4 + payload.length);
  out.writeInt32BE(0, 0);
  payload.copy(out, 4);
  return out;
}

export function encodeTuples(taskId: number, tuples: readonly RuntimeTuple[]): Buffer {
  const items: WireTuple[] = tuples.map((tuple) => ({ c: tuple.sourceComponent, s: tuple.sourceStreamId, v: tuple.values, t: tuple.sourceTask, r: tuple.roots, e: tuple.edges }));
  return frame({ k: TransferKind.Tuples, t: taskId, i: items });
}

export function encodeAckerMessages(taskId: number, messages: readonly AckerMessage[]): Buffer {
  return frame({ k: TransferKind.AckerMessages, t: taskId, i: messages });
}

export function encodeSpoutEvents(taskId: number, events: readonly SpoutEvent[]): Buffer {
  return frame({ k: TransferKind.SpoutEvents, t: taskId, i: events });
}

/** Rebuilds transfers against the schemas of one topology. */
export class TransferDecoder {
  private readonly schemas = new Map<string, StreamSchema>();

  constructor(topology: TopologyDefinition) {
    for (const component of topology.components) {
      for (const stream of component.streams) this.schemas.set(`${component.id}\u0000${stream.streamId}`, new StreamSchema(component.id, stream.streamId, stream.fields));
    }
  }

  decode(frameBytes: Buffer): Transfer {
    let body: WireBatch;
    try {
      body = deserialize(frameBytes.subarray(4)) as WireBatch;
    } catch (error) {
      throw new WireFormatError(`undecodable batch: ${(error as Error).message}`);
    }
    if (typeof body !== 'object' || body === null || !Number.isSafeInteger(body.t) || !Array.isArray(body.i)) throw new WireFormatError('a batch needs a kind, a task and items');
    switch (body.k) {
      case TransferKind.Tuples:
        return { kind: TransferKind.Tuples, taskId: body.t, items: body.i.map((item) => this.tuple(item as WireTuple)) };
      case TransferKind.AckerMessages:
        return { kind: TransferKind.AckerMessages, taskId: body.t, items: body.i as AckerMessage[] };
      case TransferKind.SpoutEvents:
        return { kind: TransferKind.SpoutEvents, taskId: body.t, items: body.i as SpoutEvent[] };
      default:
        throw new WireFormatError(`unknown batch kind ${String(body.k)}`);
    }
  }

  private tuple(item: WireTuple): RuntimeTuple {
    const schema = this.schemas.get(`${item.c}\u0000${item.s}`);
    if (schema === undefined) throw new WireFormatError(`no stream '${item.s}' of component '${item.c}' in this topology: do the workers run the same module?`);
    const tuple = new RuntimeTuple(schema, item.v, item.t);
    if (item.r.length > 0) {
      tuple.roots = [...item.r];
      tuple.edges = [...item.e];
    }
    return tuple;
  }
}
