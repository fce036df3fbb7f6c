/**
 * Checks every bolt's subscriptions against the declared components and streams: the source
 * exists, the stream is declared, the grouping fits the stream (declared key fields, direct only
 * on direct streams), no subscription twice, every bolt has an input. Only bolts subscribe, and a
 * spout object can never be registered as a bolt, so no edge ever leads into a spout; cycles among
 * bolts are allowed, as in Storm (e.g. a bolt feeding retries back to itself).
 */
import { GroupingError, selectFieldIndexes } from '../groupings/index.js';
import type { StreamDefinition } from './components.js';
import {
  BoltWithoutInputsError,
  DirectGroupingMismatchError,
  DuplicateSubscriptionError,
  InvalidGroupingError,
  UnknownSourceComponentError,
  UnknownStreamError,
} from './errors.js';
import type { SubscriptionDefinition } from './topology-definition.js';

export interface DeclaredBolt {
  readonly id: string;
  readonly inputs: readonly SubscriptionDefinition[];
}

function checkGrouping(boltId: string, subscription: SubscriptionDefinition, stream: StreamDefinition): void {
  const { grouping, sourceComponentId, streamId } = subscription;
  if ((grouping.kind === 'direct') !== stream.direct) {
    throw new DirectGroupingMismatchError(boltId, sourceComponentId, streamId, stream.direct);
  }
  if (grouping.kind !== 'fields' && grouping.kind !== 'partialKey') return;
  try {
    selectFieldIndexes({ componentId: boltId, sourceComponentId, streamId, targetTasks: [], sourceFields: stream.fields }, grouping.fields);
  } catch (error) {
    if (error instanceof GroupingError) throw new InvalidGroupingError(boltId, error);
    throw error;
  }
}

/** @param streamsOf declared streams of every component, by id. */
export function validateSubscriptions(bolts: readonly DeclaredBolt[], streamsOf: ReadonlyMap<string, readonly StreamDefinition[]>): void {
  for (const bolt of bolts) {
    if (bolt.inputs.length === 0) throw new BoltWithoutInputsError(bolt.id);
    const seen = new Set<string>();
    for (const subscription of bolt.inputs) {
      const { sourceComponentId, streamId } = subscription;
      const streams = streamsOf.get(sourceComponentId);
      if (streams === undefined) throw new UnknownSourceComponentError(bolt.id, sourceComponentId);
      const stream = streams.find((candidate) => candidate.streamId === streamId);
      if (stream === undefined) {
        throw new UnknownStreamError(bolt.id, sourceComponentId, streamId, streams.map((candidate) => candidate.streamId));
      }
      const key = JSON.stringify([sourceComponentId, streamId]);
      if (seen.has(key)) throw new DuplicateSubscriptionError(bolt.id, sourceComponentId, streamId);
      seen.add(key);
      checkGrouping(bolt.id, subscription, stream);
    }
  }
}
