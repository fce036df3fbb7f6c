/**
 * The minimal shapes of spouts and bolts the builder needs, and the collection of their declared
 * output streams. The full Spout and Bolt interfaces (open/nextTuple/ack, prepare/execute) extend
 * these; the builder only asks a component which streams and fields it emits.
 */
import { InvalidIdError, InvalidStreamDeclarationError } from './errors.js';
import { DEFAULT_STREAM_ID, MAX_FIELDS_PER_STREAM, MAX_ID_LENGTH, MAX_STREAMS_PER_COMPONENT, RESERVED_ID_PREFIX } from './limits.js';

export interface StreamOptions {
  /** Receivers are chosen by the emitter (emitDirect); subscribers must use directGrouping. */
  readonly direct?: boolean;
}

export interface OutputFieldsDeclarer {
  /** Declares the default stream. */
  declare(fields: readonly string[], options?: StreamOptions): void;
  declareStream(streamId: string, fields: readonly string[], options?: StreamOptions): void;
}

export interface ComponentLike {
  declareOutputFields(declarer: OutputFieldsDeclarer): void;
}

export type SpoutLike = ComponentLike;
export type BoltLike = ComponentLike;

export interface StreamDefinition {
  readonly streamId: string;
  readonly fields: readonly string[];
  readonly direct: boolean;
}

/** Throws InvalidIdError unless `id` is a usable component or stream id. */
export function checkId(componentId: string, id: string, what: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new InvalidIdError(componentId, String(id), `${what} id must be a string of 1 to ${MAX_ID_LENGTH} characters`);
  }
  if (id.startsWith(RESERVED_ID_PREFIX)) {
    throw new InvalidIdError(componentId, id, `${what} id '${id}' starts with '${RESERVED_ID_PREFIX}', which is reserved for system components and streams`);
  }
}

function checkFields(componentId: string, streamId: string, fields: readonly string[]): void {
  if (!Array.isArray(fields) || fields.length > MAX_FIELDS_PER_STREAM) {
    throw new InvalidStreamDeclarationError(componentId, streamId, `fields must be an array of at most ${MAX_FIELDS_PER_STREAM} names`);
  }
  for (const field of fields) {
    if (typeof field !== 'string' || field.length === 0 || field.length > MAX_ID_LENGTH) {
      throw new InvalidStreamDeclarationError(componentId, streamId, `field ${JSON.stringify(field)} is not a name of 1 to ${MAX_ID_LENGTH} characters`);
    }
  }
  if (new Set(fields).size !== fields.length) {
    throw new InvalidStreamDeclarationError(componentId, streamId, `declares a field twice: [${fields.join(', ')}]`);
  }
}

/** Asks `component` for its output streams and checks them. */
export function collectStreams(componentId: string, component: ComponentLike): readonly StreamDefinition[] {
  const streams: StreamDefinition[] = [];
  const declareStream = (streamId: string, fields: readonly string[], options: StreamOptions = {}): void => {
    checkId(componentId, streamId, 'stream');
    checkFields(componentId, streamId, fields);
    if (streams.some((stream) => stream.streamId === streamId)) {
      throw new InvalidStreamDeclarationError(componentId, streamId, 'is declared twice');
    }
    if (streams.length >= MAX_STREAMS_PER_COMPONENT) {
      throw new InvalidStreamDeclarationError(componentId, streamId, `more than ${MAX_STREAMS_PER_COMPONENT} streams declared`);
    }
    streams.push(Object.freeze({ streamId, fields: Object.freeze([...fields]), direct: options.direct === true }));
  };
  component.declareOutputFields({
    declare: (fields, options) => declareStream(DEFAULT_STREAM_ID, fields, options),
    declareStream,
  });
  return Object.freeze(streams);
}
