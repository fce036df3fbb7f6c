/**
 * Typed errors of the topology builder. Each carries a stable `code`, the offending component id
 * and what to change, so a mistake in a topology surfaces at build time, not as lost tuples.
 */
import type { GroupingError } from '../groupings/index.js';

export type TopologyErrorCode =
  | 'INVALID_ID'
  | 'DUPLICATE_COMPONENT'
  | 'INVALID_PARALLELISM'
  | 'TOO_MANY_COMPONENTS'
  | 'TOO_MANY_TASKS'
  | 'SPOUT_AS_BOLT'
  | 'INVALID_STREAM_DECLARATION'
  | 'UNKNOWN_SOURCE_COMPONENT'
  | 'UNKNOWN_STREAM'
  | 'INVALID_GROUPING'
  | 'DIRECT_GROUPING_MISMATCH'
  | 'DUPLICATE_SUBSCRIPTION'
  | 'BOLT_WITHOUT_INPUTS'
  | 'UNKNOWN_COMPONENT';

export class TopologyError extends Error {
  constructor(
    readonly code: TopologyErrorCode,
    readonly componentId: string,
    message: string,
  ) {
    super(`component '${componentId}': ${message}`);
    this.name = new.target.name;
  }
}

/** Empty, too long, or reserved component/stream id. */
export class InvalidIdError extends TopologyError {
  declare readonly code: 'INVALID_ID';
  constructor(componentId: string, readonly id: string, detail: string) {
    super('INVALID_ID', componentId, detail);
  }
}

export class DuplicateComponentError extends TopologyError {
  declare readonly code: 'DUPLICATE_COMPONENT';
  constructor(componentId: string) {
    super('DUPLICATE_COMPONENT', componentId, 'is already declared; give every spout and bolt its own id');
  }
}

export class InvalidParallelismError extends TopologyError {
  declare readonly code: 'INVALID_PARALLELISM';
  constructor(componentId: string, readonly parallelism: unknown, readonly maxParallelism: number) {
    super('INVALID_PARALLELISM', componentId, `parallelism ${String(parallelism)} is not an integer from 1 to ${maxParallelism}`);
  }
}

/** The topology exceeds MAX_COMPONENTS or MAX_TOPOLOGY_TASKS. */
export class TopologyTooLargeError extends TopologyError {
  constructor(code: 'TOO_MANY_COMPONENTS' | 'TOO_MANY_TASKS', componentId: string, detail: string) {
    super(code, componentId, detail);
  }
}

/** The same object was registered as a spout and as a bolt: a spout is never a bolt's target. */
export class SpoutAsBoltError extends TopologyError {
  declare readonly code: 'SPOUT_AS_BOLT';
  constructor(componentId: string, readonly otherComponentId: string) {
    super('SPOUT_AS_BOLT', componentId, `is the same object as '${otherComponentId}'; a spout cannot be a bolt (nor subscribe to streams)`);
  }
}

/** declareOutputFields declared a stream twice, with bad fields, or too many streams. */
export class InvalidStreamDeclarationError extends TopologyError {
  declare readonly code: 'INVALID_STREAM_DECLARATION';
  constructor(componentId: string, readonly streamId: string, detail: string) {
    super('INVALID_STREAM_DECLARATION', componentId, `stream '${streamId}': ${detail}`);
  }
}

export class UnknownSourceComponentError extends TopologyError {
  declare readonly code: 'UNKNOWN_SOURCE_COMPONENT';
  constructor(componentId: string, readonly sourceComponentId: string) {
    super('UNKNOWN_SOURCE_COMPONENT', componentId, `subscribes to '${sourceComponentId}', which is neither a spout nor a bolt of this topology`);
  }
}

export class UnknownStreamError extends TopologyError {
  declare readonly code: 'UNKNOWN_STREAM';
  constructor(componentId: string, readonly sourceComponentId: string, readonly streamId: string, readonly declaredStreams: readonly string[]) {
    super(
      'UNKNOWN_STREAM',
      componentId,
      `subscribes to stream '${streamId}' of '${sourceComponentId}', which declares only [${declaredStreams.join(', ')}]`,
    );
  }
}

/** A grouping cannot be prepared on its stream (e.g. fields grouping on an undeclared field). */
export class InvalidGroupingError extends TopologyError {
  declare readonly code: 'INVALID_GROUPING';
  constructor(componentId: string, override readonly cause: GroupingError) {
    super('INVALID_GROUPING', componentId, cause.message);
  }
}

/** directGrouping on a stream not declared direct, or another grouping on a direct stream. */
export class DirectGroupingMismatchError extends TopologyError {
  declare readonly code: 'DIRECT_GROUPING_MISMATCH';
  constructor(componentId: string, readonly sourceComponentId: string, readonly streamId: string, streamIsDirect: boolean) {
    super(
      'DIRECT_GROUPING_MISMATCH',
      componentId,
      streamIsDirect
        ? `stream '${streamId}' of '${sourceComponentId}' is declared direct; subscribe with directGrouping`
        : `directGrouping on stream '${streamId}' of '${sourceComponentId}', which is not declared direct; declare it with { direct: true }`,
    );
  }
}

export class DuplicateSubscriptionError extends TopologyError {
  declare readonly code: 'DUPLICATE_SUBSCRIPTION';
  constructor(componentId: string, readonly sourceComponentId: string, readonly streamId: string) {
    super('DUPLICATE_SUBSCRIPTION', componentId, `subscribes twice to stream '${streamId}' of '${sourceComponentId}'; keep one grouping`);
  }
}

export class BoltWithoutInputsError extends TopologyError {
  declare readonly code: 'BOLT_WITHOUT_INPUTS';
  constructor(componentId: string) {
    super('BOLT_WITHOUT_INPUTS', componentId, 'is a bolt with no inputs; subscribe it to a stream, e.g. .shuffleGrouping(spoutId)');
  }
}

/** A component id named outside the builder (rebalance) is not in the topology. */
export class UnknownComponentError extends TopologyError {
  declare readonly code: 'UNKNOWN_COMPONENT';
  constructor(componentId: string) {
    super('UNKNOWN_COMPONENT', componentId, 'is not a component of this topology');
  }
}
