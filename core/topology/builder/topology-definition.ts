/**
 * The immutable result of TopologyBuilder.createTopology(): components sorted by id, each with its
 * task ids (1..n, assigned in that order, so every worker that rebuilds the same topology agrees on
 * them without talking), its declared streams, and for bolts the subscriptions with their
 * grouping specs. Plus the look-ups a runtime needs to prepare groupings.
 */
import type { GroupingSpec, GroupingTarget } from '../groupings/index.js';
import type { AnyBolt } from '../api/bolt.js';
import type { Spout } from '../api/spout.js';
import type { StreamDefinition } from './components.js';
import { InvalidParallelismError, UnknownComponentError } from './errors.js';
import { MAX_PARALLELISM } from './limits.js';

export interface SubscriptionDefinition {
  readonly sourceComponentId: string;
  readonly streamId: string;
  readonly grouping: GroupingSpec;
}

interface ComponentCommon {
  readonly id: string;
  readonly parallelism: number;
  /** Consecutive task ids of this component, ascending. */
  readonly taskIds: readonly number[];
  readonly streams: readonly StreamDefinition[];
  /** Configuration overrides declared with the component (checked when submitted). */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface SpoutDefinition extends ComponentCommon {
  readonly kind: 'spout';
  readonly spout: Spout;
}

export interface BoltDefinition extends ComponentCommon {
  readonly kind: 'bolt';
  readonly bolt: AnyBolt;
  readonly inputs: readonly SubscriptionDefinition[];
}

export type ComponentDefinition = SpoutDefinition | BoltDefinition;

export interface TopologyDefinition {
  /** Sorted by id (UTF-16 code unit order). */
  readonly components: readonly ComponentDefinition[];
  /** Tasks are numbered 1..taskCount. */
  readonly taskCount: number;
}

export function findComponent(topology: TopologyDefinition, componentId: string): ComponentDefinition | undefined {
  return topology.components.find((component) => component.id === componentId);
}

/** The component running `taskId`, if any. */
export function componentOfTask(topology: TopologyDefinition, taskId: number): ComponentDefinition | undefined {
  return topology.components.find((component) => component.taskIds.includes(taskId));
}

export interface Subscriber {
  readonly bolt: BoltDefinition;
  readonly subscription: SubscriptionDefinition;
}

/** The bolts subscribed to `streamId` of `componentId`, in component order. */
export function subscribersOf(topology: TopologyDefinition, componentId: string, streamId: string): Subscriber[] {
  const subscribers: Subscriber[] = [];
  for (const component of topology.components) {
    if (component.kind !== 'bolt') continue;
    for (const subscription of component.inputs) {
      if (subscription.sourceComponentId === componentId && subscription.streamId === streamId) {
        subscribers.push({ bolt: component, subscription });
      }
    }
  }
  return subscribers;
}

/** What createGrouping needs for one subscription of a validated topology. */
export function groupingTargetOf(topology: TopologyDefinition, subscriber: Subscriber): GroupingTarget {
  const { bolt, subscription } = subscriber;
  const stream = findComponent(topology, subscription.sourceComponentId)?.streams.find((candidate) => candidate.streamId === subscription.streamId);
  if (stream === undefined) {
    throw new RangeError(`topology invariant: '${bolt.id}' subscribes to undeclared stream '${subscription.streamId}' of '${subscription.sourceComponentId}'`);
  }
  return {
    componentId: bolt.id,
    sourceComponentId: subscription.sourceComponentId,
    streamId: subscription.streamId,
    targetTasks: bolt.taskIds,
    sourceFields: stream.fields,
  };
}

/**
 * The same topology with some components' parallelism changed (LocalCluster.rebalance): task ids
 * are renumbered in component order exactly as createTopology numbers them.
 */
export function withParallelism(topology: TopologyDefinition, parallelism: Readonly<Record<string, number>>): TopologyDefinition {
  let nextTaskId = 1;
  const components = topology.components.map((component): ComponentDefinition => {
    const requested = parallelism[component.id] ?? component.parallelism;
    if (!Number.isInteger(requested) || requested < 1 || requested > MAX_PARALLELISM) {
      throw new InvalidParallelismError(component.id, requested, MAX_PARALLELISM);
    }
    const taskIds = Object.freeze(Array.from({ length: requested }, (_, index) => nextTaskId + index));
    nextTaskId += requested;
    return Object.freeze({ ...component, parallelism: requested, taskIds });
  });
  for (const id of Object.keys(parallelism)) {
    if (!topology.components.some((component) => component.id === id)) throw new UnknownComponentError(id);
  }
  return Object.freeze({ components: Object.freeze(components), taskCount: nextTaskId - 1 });
}
