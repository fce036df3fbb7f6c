/**
 * A topic's cleanup policy from its config overrides (controller/topic-configs.ts).
 * `__consumer_offsets` is always compacted, whatever is stored, as Kafka forces it for its
 * internal topic (and topics created before configs were stored have none).
 */
import { CLEANUP_POLICY, DELETE_RETENTION_MS, isCompacted, type TopicConfigs } from '../controller/topic-configs.js';
import { OFFSETS_TOPIC } from '../groups/limits.js';
import { DEFAULT_DELETE_RETENTION_MS } from './limits.js';
import type { CleanupPolicy } from './log-cleaner.js';

export function cleanupPolicyOf(topic: string, configs: TopicConfigs): CleanupPolicy {
  const deleteRetentionMs = configs[DELETE_RETENTION_MS] === undefined ? DEFAULT_DELETE_RETENTION_MS : Number(configs[DELETE_RETENTION_MS]);
  return { compact: topic === OFFSETS_TOPIC || isCompacted({ [CLEANUP_POLICY]: 'delete', ...configs }), deleteRetentionMs };
}
