/**
 * Internal topics belong to the broker: `__consumer_offsets` is written only by the group
 * coordinator and its partition count decides which partition holds each group. Clients may
 * read it (Metadata, Fetch) but not write, trim, grow, create or delete it; Kafka answers such
 * requests from clients with INVALID_TOPIC_EXCEPTION, and so do we. Without this a client
 * could forge commits or groups, or move every group to another partition.
 */
import { OFFSETS_TOPIC } from '../groups/limits.js';

export function isInternalTopic(name: string): boolean {
  return name === OFFSETS_TOPIC;
}

export function internalTopicMessage(name: string, operation: string): string {
  return `'${name}' is an internal topic: clients may not ${operation} it`;
}
