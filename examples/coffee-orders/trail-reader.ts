/** Reads an order-events topic back: the trail as the log holds it, replays' duplicates included. */
import type { KafkaEndpoint } from '../../core/log/client/kafka-connection.js';
import { PartitionReader } from '../../core/log/client/partition-reader.js';
import { parseOrderEvent, type OrderEvent } from './order-events.js';

/** Every event of `partitions` partitions of `topic`, up to their high watermarks, partition by partition. */
export async function readOrderEvents(bootstrap: KafkaEndpoint, topic: string, partitions: number): Promise<OrderEvent[]> {
  const reader = new PartitionReader(bootstrap, 'coffee-trail-reader');
  const events: OrderEvent[] = [];
  try {
    for (let partition = 0; partition < partitions; partition += 1) {
      let offset = 0;
      for (;;) {
        const fetched = await reader.fetch(topic, partition, offset, { maxWaitMs: 0 });
        for (const record of fetched.records) {
          const event = parseOrderEvent(record.value?.toString('utf8') ?? null);
          if (event !== undefined) events.push(event);
        }
        if (fetched.nextOffset >= fetched.highWatermark || fetched.nextOffset === offset) break;
        offset = fetched.nextOffset;
      }
    }
  } finally {
    await reader.close();
  }
  return events;
}
