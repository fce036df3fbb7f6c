/**
 * The cleanup policy of each topic, read from coord (controller/topic-configs.ts) and cached for
 * POLICY_CACHE_TTL_MS: produce asks it for every request to a topic (keyless records are refused
 * on compacted topics), so it must not cost a coord round trip each time. A config change reaches
 * produce and the cleaner within the TTL. Concurrent misses for one topic share one read.
 */
import type { TopicConfigs } from '../controller/topic-configs.js';
import { POLICY_CACHE_TTL_MS } from './limits.js';
import type { CleanupPolicy } from './log-cleaner.js';
import { cleanupPolicyOf } from './policy.js';

interface Cached {
  policy: Promise<CleanupPolicy>;
  expiresAtMs: number;
}

export class CleanupPolicyCache {
  private readonly cached = new Map<string, Cached>();

  constructor(
    private readonly readConfigs: (topic: string) => Promise<TopicConfigs>,
    private readonly now: () => number = Date.now,
  ) {}

  policyOf(topic: string): Promise<CleanupPolicy> {
    const nowMs = this.now();
    const hit = this.cached.get(topic);
    if (hit !== undefined && hit.expiresAtMs > nowMs) return hit.policy;
    const policy = this.readConfigs(topic).then((configs) => cleanupPolicyOf(topic, configs));
    // A failed read is not cached: the next request tries again.
    policy.catch(() => this.cached.delete(topic));
    this.cached.set(topic, { policy, expiresAtMs: nowMs + POLICY_CACHE_TTL_MS });
    if (this.cached.size > MAX_CACHED_TOPICS) this.cached.delete(this.cached.keys().next().value!);
    return policy;
  }

  /** Drops a topic's entry (it was created or deleted here: the next request reads coord). */
  forget(topic: string): void {
    this.cached.delete(topic);
  }
}

const MAX_CACHED_TOPICS = 100_000;
