/**
 * `barista topics create|list|describe|delete`: topic administration over the Kafka protocol,
 * with the flags of Kafka's kafka-topics.sh, through kafkajs's admin client so that it works
 * against any Kafka broker. Topics that are absent are reported before asking the broker to act
 * on them, because kafkajs retries UNKNOWN_TOPIC_OR_PARTITION for seconds instead of failing.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Admin, ConfigResourceTypes, ITopicConfig } from 'kafkajs';
import { addConnectionOptions, LogAdminCommandError, protocolErrorOf, withAdmin, type KafkaAdminOptions } from './kafka-admin.js';
import { formatTable } from './table.js';

/** How long the broker may take to create or delete a topic before it answers REQUEST_TIMED_OUT. */
const TOPIC_OPERATION_TIMEOUT_MS = 10_000;
/** Kafka marks its own topics (__consumer_offsets, __transaction_state) with this prefix. */
const INTERNAL_TOPIC_PREFIX = '__';
/** DescribeConfigs' resource type for a topic; kafkajs's ConfigResourceTypes enum is not a named export of its CommonJS module. */
const TOPIC_RESOURCE_TYPE = 2 as ConfigResourceTypes;

export interface CreateTopicOptions {
  topic: string;
  partitions: number;
  replicationFactor: number;
  config: Record<string, string>;
  ifNotExists?: boolean;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return parsed;
}

function collectConfig(value: string, previous: Record<string, string>): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}

async function requireTopic(admin: Admin, topic: string): Promise<void> {
  if (!(await admin.listTopics()).includes(topic)) throw new LogAdminCommandError('TOPIC_NOT_FOUND', `topic '${topic}' does not exist`);
}

/** Prints one line: what was done, or why nothing was. */
export async function createTopic(connection: KafkaAdminOptions, options: CreateTopicOptions): Promise<string> {
  return withAdmin(connection, async (admin) => {
    const config: ITopicConfig = {
      topic: options.topic,
      numPartitions: options.partitions,
      replicationFactor: options.replicationFactor,
      configEntries: Object.entries(options.config).map(([name, value]) => ({ name, value })),
    };
    let created: boolean;
    try {
      created = await admin.createTopics({ topics: [config], timeout: TOPIC_OPERATION_TIMEOUT_MS });
    } catch (error) {
      const refusal = protocolErrorOf(error);
      if (refusal === undefined) throw error;
      throw new LogAdminCommandError('REQUEST_FAILED', `cannot create topic '${options.topic}': ${refusal.type} (${refusal.message})`);
    }
    if (created) return `Created topic ${options.topic}.`;
    if (options.ifNotExists === true) return `Topic ${options.topic} already exists.`;
    throw new LogAdminCommandError('TOPIC_EXISTS', `topic '${options.topic}' already exists (pass --if-not-exists to accept that)`);
  });
}

export async function listTopicNames(connection: KafkaAdminOptions, options: { excludeInternal?: boolean }): Promise<string[]> {
  const names = await withAdmin(connection, (admin) => admin.listTopics());
  return names.filter((name) => options.excludeInternal !== true || !name.startsWith(INTERNAL_TOPIC_PREFIX)).sort();
}

/** The topic configs set away from their defaults, as "k=v,k=v"; empty when the broker cannot say. */
async function nonDefaultConfigs(admin: Admin, topics: string[]): Promise<Map<string, string>> {
  const configs = new Map<string, string>();
  try {
    const answer = await admin.describeConfigs({ resources: topics.map((name) => ({ type: TOPIC_RESOURCE_TYPE, name })), includeSynonyms: false });
    for (const resource of answer.resources) {
      const set = resource.configEntries.filter((entry) => !entry.isDefault && !entry.isSensitive);
      configs.set(resource.resourceName, set.map((entry) => `${entry.configName}=${entry.configValue}`).join(','));
    }
  } catch {
    // Configs are a courtesy of describe: a broker that cannot describe them still gets its partitions shown.
  }
  return configs;
}

const nodeList = (nodes: readonly number[]) => nodes.join(',');
/** Metadata's leader for a partition that has none (all its replicas down); Kafka's tool prints "none". */
const NO_LEADER = -1;
const leaderOf = (leader: number) => (leader === NO_LEADER ? 'none' : String(leader));

export async function describeTopics(connection: KafkaAdminOptions, options: { topic?: string }): Promise<string> {
  return withAdmin(connection, async (admin) => {
    let topics: string[];
    if (options.topic === undefined) topics = (await admin.listTopics()).sort();
    else {
      await requireTopic(admin, options.topic);
      topics = [options.topic];
    }
    if (topics.length === 0) return '';
    const metadata = await admin.fetchTopicMetadata({ topics });
    const configs = await nonDefaultConfigs(admin, topics);
    const sections = metadata.topics
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((topic) => {
        const partitions = topic.partitions.slice().sort((a, b) => a.partitionId - b.partitionId);
        const replicationFactor = partitions[0]?.replicas.length ?? 0;
        const summary = `Topic: ${topic.name}  PartitionCount: ${partitions.length}  ReplicationFactor: ${replicationFactor}  Configs: ${configs.get(topic.name) ?? ''}`.trimEnd();
        const rows = partitions.map((partition) => [topic.name, String(partition.partitionId), leaderOf(partition.leader), nodeList(partition.replicas), nodeList(partition.isr)]);
        return `${summary}\n${formatTable(['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'ISR'], rows)}`;
      });
    return sections.join('\n\n');
  });
}

export async function deleteTopic(connection: KafkaAdminOptions, options: { topic: string; ifExists?: boolean }): Promise<string> {
  return withAdmin(connection, async (admin) => {
    if (!(await admin.listTopics()).includes(options.topic)) {
      if (options.ifExists === true) return `Topic ${options.topic} does not exist.`;
      throw new LogAdminCommandError('TOPIC_NOT_FOUND', `topic '${options.topic}' does not exist (pass --if-exists to accept that)`);
    }
    await admin.deleteTopics({ topics: [options.topic], timeout: TOPIC_OPERATION_TIMEOUT_MS });
    return `Deleted topic ${options.topic}.`;
  });
}

const print = (text: string) => {
  if (text !== '') process.stdout.write(`${text}\n`);
};

/** Registers `barista topics …`; the connection flags sit on `topics` and are accepted before or after the subcommand. */
export function addTopicsCommand(program: Command): void {
  const topics = addConnectionOptions(program.command('topics').description('create, list, describe and delete topics on a Kafka-protocol broker (ours or any Kafka)'));
  const connectionOf = (command: Command) => command.optsWithGlobals<KafkaAdminOptions>();
  topics
    .command('create')
    .description('create a topic')
    .requiredOption('--topic <name>', 'topic name')
    .requiredOption('--partitions <n>', 'number of partitions', positiveInteger)
    .requiredOption('--replication-factor <n>', 'replicas per partition', positiveInteger)
    .addOption(new Option('--config <key=value>', 'topic config (repeatable), e.g. cleanup.policy=compact').argParser(collectConfig).default({}, 'none'))
    .option('--if-not-exists', 'succeed if the topic already exists')
    .action(async (options: CreateTopicOptions, command: Command) => print(await createTopic(connectionOf(command), options)));
  topics
    .command('list')
    .description('list topic names, one a line')
    .option('--exclude-internal', `leave out internal topics (${INTERNAL_TOPIC_PREFIX}consumer_offsets)`)
    .action(async (options: { excludeInternal?: boolean }, command: Command) => print((await listTopicNames(connectionOf(command), options)).join('\n')));
  topics
    .command('describe')
    .description('show partitions, leaders, replicas, ISR and non-default configs of one topic or all')
    .option('--topic <name>', 'topic to describe (default: every topic)')
    .action(async (options: { topic?: string }, command: Command) => print(await describeTopics(connectionOf(command), options)));
  topics
    .command('delete')
    .description('delete a topic and its data')
    .requiredOption('--topic <name>', 'topic name')
    .option('--if-exists', 'succeed if the topic does not exist')
    .action(async (options: { topic: string; ifExists?: boolean }, command: Command) => print(await deleteTopic(connectionOf(command), options)));
}
