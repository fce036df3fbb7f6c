/** Whether a topology reading a topic has caught up: its committed offsets against the topic's ends. */
import type { KafkaEndpoint } from '../../core/log/client/kafka-connection.js';
import { listOffset } from '../../core/log/client/log-admin.js';
import type { OffsetStore } from '../../spouts/offset-store.js';

/** The end (next offset to be written) of each of `partitions` partitions of `topic`. */
export function endOffsets(bootstrap: KafkaEndpoint, topic: string, partitions: number): Promise<number[]> {
  return Promise.all(Array.from({ length: partitions }, (_, partition) => listOffset(bootstrap, 'coffee-shop', topic, partition, 'latest')));
}

/** Whether every partition of `topic` has a committed offset at (or past) its end in `ends`. */
export async function committedThrough(store: OffsetStore, topic: string, ends: readonly number[]): Promise<boolean> {
  for (const [partition, end] of ends.entries()) if (((await store.read(topic, partition)) ?? 0) < end) return false;
  return true;
}
