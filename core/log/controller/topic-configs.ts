/**
 * Per-topic configuration overrides, stored in coord where ZooKeeper-era Kafka kept them:
 *   /config/topics/<topic>   {"version":1,"config":{"cleanup.policy":"compact",...}}
 * Only the settings this broker acts on are accepted; any other name is refused (INVALID_CONFIG)
 * rather than stored and ignored: a client must not believe it got settings it did not get.
 */
import type { CoordClient } from '../../coord/client/coord-client.js';
import { ZooKeeperError } from '../../coord/client/errors.js';
import { ErrorCode } from '../../coord/zookeeper-constants.js';

export const TOPIC_CONFIGS_PATH = '/config/topics';

export const CLEANUP_POLICY = 'cleanup.policy';
export const DELETE_RETENTION_MS = 'delete.retention.ms';
/** Per-topic overrides of the broker's log retention (broker/log-retention.ts); -1: no limit. */
export const RETENTION_MS = 'retention.ms';
export const RETENTION_BYTES = 'retention.bytes';

export type TopicConfigs = Readonly<Record<string, string>>;

export class InvalidTopicConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(
    readonly configName: string,
    readonly value: string | null,
    readonly reason: string,
  ) {
    super(`invalid topic config ${configName}=${String(value)}: ${reason}`);
    this.name = 'InvalidTopicConfigError';
  }
}

const VALIDATORS: Readonly<Record<string, (value: string) => boolean>> = {
  [CLEANUP_POLICY]: (value) => ['delete', 'compact', 'compact,delete', 'delete,compact'].includes(value.replaceAll(' ', '')),
  [DELETE_RETENTION_MS]: (value) => /^\d{1,15}$/.test(value),
  [RETENTION_MS]: (value) => /^(-1|\d{1,15})$/.test(value),
  [RETENTION_BYTES]: (value) => /^(-1|\d{1,15})$/.test(value),
};

/** The accepted overrides of a CreateTopics request; throws InvalidTopicConfigError on the first bad one. */
export function validateTopicConfigs(entries: readonly { name: string; value: string | null }[]): TopicConfigs {
  const configs: Record<string, string> = {};
  for (const { name, value } of entries) {
    const validate = VALIDATORS[name];
    if (validate === undefined) throw new InvalidTopicConfigError(name, value, `this broker supports only ${Object.keys(VALIDATORS).join(', ')}`);
    if (value === null || !validate(value)) throw new InvalidTopicConfigError(name, value, 'value out of range');
    configs[name] = value.replaceAll(' ', '');
  }
  return configs;
}

export function isCompacted(configs: TopicConfigs): boolean {
  return (configs[CLEANUP_POLICY] ?? 'delete').split(',').includes('compact');
}

export function topicConfigPath(topic: string): string {
  return `${TOPIC_CONFIGS_PATH}/${topic}`;
}

export function encodeTopicConfigs(configs: TopicConfigs): string {
  return JSON.stringify({ version: 1, config: configs });
}

export function decodeTopicConfigs(data: Buffer): TopicConfigs {
  const parsed = JSON.parse(data.toString('utf8')) as { config?: Record<string, unknown> };
  const configs: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed.config ?? {})) if (typeof value === 'string') configs[name] = value;
  return configs;
}

/** Writes a topic's overrides (none: removes any stale node left by an earlier topic of that name). */
export async function writeTopicConfigs(client: CoordClient, topic: string, configs: TopicConfigs): Promise<void> {
  const path = topicConfigPath(topic);
  if (Object.keys(configs).length === 0) {
    await client.delete(path).catch((error: unknown) => {
      if (!(error instanceof ZooKeeperError && error.code === ErrorCode.NONODE)) throw error;
    });
    return;
  }
  await client.mkdirp(TOPIC_CONFIGS_PATH);
  try {
    await client.create(path, encodeTopicConfigs(configs));
  } catch (error) {
    if (!(error instanceof ZooKeeperError && error.code === ErrorCode.NODEEXISTS)) throw error;
    await client.setData(path, encodeTopicConfigs(configs));
  }
}

/** A topic's overrides; none when it has no config node. */
export async function readTopicConfigs(client: CoordClient, topic: string): Promise<TopicConfigs> {
  try {
    return decodeTopicConfigs((await client.getData(topicConfigPath(topic))).data);
  } catch (error) {
    if (error instanceof ZooKeeperError && error.code === ErrorCode.NONODE) return {};
    throw error;
  }
}
