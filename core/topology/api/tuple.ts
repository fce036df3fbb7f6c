/**
 * Tuples: the values a component emitted on one stream, with their field names and origin.
 * Field look-ups go through the stream's schema (one Map shared by every tuple of the stream), so
 * a tuple costs one small object plus its values array.
 *
 * The at-least-once bookkeeping rides on the tuple too (set by the runtime, read by the
 * collectors): for each spout tuple tree it belongs to, the root id and the id of the edge it
 * travelled on; and the XOR of the edges later anchored to it, sent to the acker with its ack.
 */
import { UnknownFieldError } from './errors.js';

/** Component id of the system's own tuples (ticks), as in Storm. */
export const SYSTEM_COMPONENT_ID = '__system';
/** Stream of tick tuples. */
export const TICK_STREAM_ID = '__tick';
/** Task id of system tuples. */
export const SYSTEM_TASK_ID = -1;

/** The declared shape of one stream: its fields and where they sit in a tuple. */
export class StreamSchema {
  private readonly index = new Map<string, number>();

  constructor(
    readonly componentId: string,
    readonly streamId: string,
    readonly fields: readonly string[],
  ) {
    fields.forEach((field, position) => this.index.set(field, position));
  }

  fieldIndex(field: string): number {
    const position = this.index.get(field);
    if (position === undefined) throw new UnknownFieldError(this.componentId, this.streamId, field, this.fields);
    return position;
  }

  contains(field: string): boolean {
    return this.index.has(field);
  }
}

export interface Tuple {
  readonly values: readonly unknown[];
  readonly fields: readonly string[];
  readonly sourceComponent: string;
  readonly sourceStreamId: string;
  /** Task that emitted it (SYSTEM_TASK_ID for ticks). */
  readonly sourceTask: number;
  getValue(position: number): unknown;
  /** Throws UnknownFieldError naming the stream's fields when `field` is not one of them. */
  getValueByField(field: string): unknown;
  getStringByField(field: string): string;
  getNumberByField(field: string): number;
  contains(field: string): boolean;
  fieldIndex(field: string): number;
  /** The values of `fields`, in that order. */
  select(fields: readonly string[]): unknown[];
}

export class RuntimeTuple implements Tuple {
  /** Root ids of the spout tuple trees this tuple belongs to; empty when unanchored. */
  roots: number[] = NO_IDS;
  /** Edge id per root (same positions as `roots`). */
  edges: number[] = NO_IDS;
  /** XOR of the edges anchored to this tuple so far. */
  ackVal = 0;
  /** Set once acked or failed, so a second ack/fail is ignored instead of corrupting the tree. */
  settled = false;
  /** Monotonic ms when it entered its task's queue (for execute/process latency). */
  arrivedAtMs = 0;

  constructor(
    readonly schema: StreamSchema,
    readonly values: readonly unknown[],
    readonly sourceTask: number,
  ) {}

  get fields(): readonly string[] {
    return this.schema.fields;
  }

  get sourceComponent(): string {
    return this.schema.componentId;
  }

  get sourceStreamId(): string {
    return this.schema.streamId;
  }

  getValue(position: number): unknown {
    return this.values[position];
  }

  getValueByField(field: string): unknown {
    return this.values[this.schema.fieldIndex(field)];
  }

  getStringByField(field: string): string {
    return String(this.getValueByField(field));
  }

  getNumberByField(field: string): number {
    return Number(this.getValueByField(field));
  }

  contains(field: string): boolean {
    return this.schema.contains(field);
  }

  fieldIndex(field: string): number {
    return this.schema.fieldIndex(field);
  }

  select(fields: readonly string[]): unknown[] {
    return fields.map((field) => this.getValueByField(field));
  }

  toString(): string {
    return `source: ${this.sourceComponent}:${this.sourceTask}, stream: ${this.sourceStreamId}, values: ${JSON.stringify(this.values, bigintSafe)}`;
  }
}

const NO_IDS: number[] = [];

const TICK_SCHEMA = new StreamSchema(SYSTEM_COMPONENT_ID, TICK_STREAM_ID, []);

/** A tick tuple, as the runtime delivers them to components configured with a tick frequency. */
export function createTickTuple(): RuntimeTuple {
  return new RuntimeTuple(TICK_SCHEMA, [], SYSTEM_TASK_ID);
}

export function isTickTuple(tuple: Tuple): boolean {
  return tuple.sourceComponent === SYSTEM_COMPONENT_ID && tuple.sourceStreamId === TICK_STREAM_ID;
}

/** A free-standing tuple for tests of a component's logic (no acking attached). */
export function createTuple(componentId: string, streamId: string, fields: readonly string[], values: readonly unknown[], sourceTask = 1): Tuple {
  return new RuntimeTuple(new StreamSchema(componentId, streamId, fields), values, sourceTask);
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}
