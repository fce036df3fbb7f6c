/**
 * The routing table of one emitting task: for each stream its component declares, the schema
 * tuples carry and the prepared grouping of every subscriber. `targetsOf` answers "which tasks
 * receive these values", checking what user code can get wrong (undeclared stream, wrong number
 * of values, direct emits to tasks that do not subscribe directly).
 */
import { FieldMismatchError, InvalidDirectEmitError, UndeclaredStreamError } from '../api/errors.js';
import { StreamSchema } from '../api/tuple.js';
import { groupingTargetOf, subscribersOf, type ComponentDefinition, type TopologyDefinition } from '../builder/topology-definition.js';
import { createGrouping, type Grouping, type GroupingRuntime } from '../groupings/index.js';
import type { ComponentStats, StreamCounter } from './component-stats.js';

export interface OutputStream {
  readonly schema: StreamSchema;
  readonly direct: boolean;
  /** Non-direct subscribers' groupings, prepared for this task. */
  readonly groupings: readonly Grouping[];
  /** Direct streams: the tasks allowed as emitDirect targets. */
  readonly directTargets: ReadonlySet<number>;
  /** The component's emit count on this stream (shared by its tasks). */
  readonly counter: StreamCounter;
}

export class OutputStreams {
  private readonly streams = new Map<string, OutputStream>();

  constructor(
    readonly component: ComponentDefinition,
    topology: TopologyDefinition,
    runtime: GroupingRuntime,
    stats: ComponentStats,
  ) {
    for (const stream of component.streams) {
      const groupings: Grouping[] = [];
      const directTargets = new Set<number>();
      for (const subscriber of subscribersOf(topology, component.id, stream.streamId)) {
        if (subscriber.subscription.grouping.kind === 'direct') {
          for (const taskId of subscriber.bolt.taskIds) directTargets.add(taskId);
        } else {
          groupings.push(createGrouping(subscriber.subscription.grouping, groupingTargetOf(topology, subscriber), runtime));
        }
      }
      this.streams.set(stream.streamId, {
        schema: new StreamSchema(component.id, stream.streamId, stream.fields),
        direct: stream.direct,
        groupings,
        directTargets,
        counter: stats.streamCounter(stream.streamId),
      });
    }
  }

  stream(streamId: string, valueCount: number): OutputStream {
    const stream = this.streams.get(streamId);
    if (stream === undefined) throw new UndeclaredStreamError(this.component.id, streamId);
    if (valueCount !== stream.schema.fields.length) throw new FieldMismatchError(this.component.id, streamId, stream.schema.fields, valueCount);
    return stream;
  }

  /** Receiving tasks of a regular emit (one task may appear once per subscribing component). */
  targetsOf(stream: OutputStream, values: readonly unknown[], sourceTaskId: number): readonly number[] {
    if (stream.direct) {
      throw new InvalidDirectEmitError(this.component.id, stream.schema.streamId, 'the stream is declared direct; use emitDirect');
    }
    const groupings = stream.groupings;
    if (groupings.length === 1) return (groupings[0] as Grouping).chooseTasks(values, sourceTaskId);
    const targets: number[] = [];
    for (const grouping of groupings) for (const task of grouping.chooseTasks(values, sourceTaskId)) targets.push(task);
    return targets;
  }

  /** Checks an emitDirect target and returns it as the receiver list. */
  directTarget(stream: OutputStream, taskId: number): readonly number[] {
    if (!stream.direct) {
      throw new InvalidDirectEmitError(this.component.id, stream.schema.streamId, 'emitDirect needs a stream declared with { direct: true }');
    }
    if (!stream.directTargets.has(taskId)) {
      const allowed = [...stream.directTargets].join(', ');
      throw new InvalidDirectEmitError(this.component.id, stream.schema.streamId, `task ${taskId} does not subscribe to it with directGrouping (tasks: ${allowed || 'none'})`);
    }
    return [taskId];
  }
}
