/**
 * `barista groups list|describe|delete`: consumer group administration over the Kafka protocol,
 * shaped like Kafka's kafka-consumer-groups.sh (describe prints each partition's committed
 * offset, log-end offset, lag and owning member), through kafkajs's admin client.
 */
import { type Command } from 'commander';
import { AssignerProtocol, type Admin, type GroupDescription } from 'kafkajs';
import { addConnectionOptions, LogAdminCommandError, protocolErrorType, withAdmin, type KafkaAdminOptions } from './kafka-admin.js';
import { formatTable } from './table.js';

/** The state a coordinator reports for a group it does not know. */
const UNKNOWN_GROUP_STATE = 'Dead';
/** Groups whose members' assignments kafkajs can decode (the consumer protocol's MemberAssignment). */
const CONSUMER_PROTOCOL_TYPE = 'consumer';
const NONE = '-';

export async function listGroups(connection: KafkaAdminOptions): Promise<string> {
  return withAdmin(connection, async (admin) => {
    const { groups } = await admin.listGroups();
    const ids = groups.map((group) => group.groupId).sort();
    // ListGroups (before v4) does not say the state: DescribeGroups does.
    const described = ids.length === 0 ? [] : (await admin.describeGroups(ids)).groups;
    const byId = new Map(described.map((group) => [group.groupId, group]));
    const rows = ids.map((id) => {
      const group = byId.get(id);
      return [id, group?.state ?? NONE, group?.protocolType || NONE, String(group?.members.length ?? 0)];
    });
    return formatTable(['GROUP', 'STATE', 'PROTOCOL-TYPE', 'MEMBERS'], rows);
  });
}

interface Owner {
  memberId: string;
  clientHost: string;
  clientId: string;
}

/** "topic:partition" → the member assigned it; empty for groups that are not consumer groups. */
function ownersOf(group: GroupDescription): Map<string, Owner> {
  const owners = new Map<string, Owner>();
  if (group.protocolType !== CONSUMER_PROTOCOL_TYPE) return owners;
  for (const member of group.members) {
    const decoded = member.memberAssignment.length === 0 ? null : AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
    for (const [topic, partitions] of Object.entries(decoded?.assignment ?? {})) {
      for (const partition of partitions) owners.set(`${topic}:${partition}`, member);
    }
  }
  return owners;
}

async function describeGroup(admin: Admin, groupId: string): Promise<GroupDescription> {
  try {
    const [group] = (await admin.describeGroups([groupId])).groups;
    if (group !== undefined) return group;
  } catch (error) {
    if (protocolErrorType(error) !== 'GROUP_ID_NOT_FOUND') throw error;
  }
  throw new LogAdminCommandError('GROUP_NOT_FOUND', `consumer group '${groupId}' does not exist`);
}

/** Log-end offsets (high watermarks) by "topic:partition"; a topic deleted since the commit is left out. */
async function logEndOffsets(admin: Admin, topics: Iterable<string>): Promise<Map<string, string>> {
  const ends = new Map<string, string>();
  const existing = new Set(await admin.listTopics());
  for (const topic of topics) {
    if (!existing.has(topic)) continue;
    for (const partition of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${partition.partition}`, partition.high);
  }
  return ends;
}

export async function describeGroupOffsets(connection: KafkaAdminOptions, groupId: string): Promise<string> {
  return withAdmin(connection, async (admin) => {
    const group = await describeGroup(admin, groupId);
    const committed = new Map<string, string>();
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
      for (const { partition, offset } of partitions) {
        if (Number(offset) >= 0) committed.set(`${topic}:${partition}`, offset);
      }
    }
    const owners = ownersOf(group);
    if (group.state === UNKNOWN_GROUP_STATE && committed.size === 0) throw new LogAdminCommandError('GROUP_NOT_FOUND', `consumer group '${groupId}' does not exist`);
    const keys = [...new Set([...committed.keys(), ...owners.keys()])].sort(compareTopicPartition);
    const ends = await logEndOffsets(admin, new Set(keys.map((key) => splitKey(key).topic)));
    const rows = keys.map((key) => {
      const { topic, partition } = splitKey(key);
      const current = committed.get(key);
      const end = ends.get(key);
      const lag = current === undefined || end === undefined ? NONE : String(BigInt(end) - BigInt(current));
      const owner = owners.get(key);
      return [groupId, topic, String(partition), current ?? NONE, end ?? NONE, lag, owner?.memberId ?? NONE, owner?.clientHost ?? NONE, owner?.clientId ?? NONE];
    });
    const summary = `Group: ${groupId}  State: ${group.state}  Protocol: ${group.protocol || NONE}  Members: ${group.members.length}`;
    const table = formatTable(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'], rows);
    return `${summary}\n${table}`;
  });
}

function splitKey(key: string): { topic: string; partition: number } {
  const colon = key.lastIndexOf(':');
  return { topic: key.slice(0, colon), partition: Number(key.slice(colon + 1)) };
}

function compareTopicPartition(a: string, b: string): number {
  const left = splitKey(a);
  const right = splitKey(b);
  return left.topic === right.topic ? left.partition - right.partition : left.topic.localeCompare(right.topic);
}

interface DeleteGroupsFailure {
  groups?: { groupId: string; error?: { type?: string } }[];
}

export async function deleteGroup(connection: KafkaAdminOptions, groupId: string): Promise<string> {
  return withAdmin(connection, async (admin) => {
    try {
      await admin.deleteGroups([groupId]);
    } catch (error) {
      const type = (error as DeleteGroupsFailure).groups?.find((group) => group.groupId === groupId)?.error?.type ?? protocolErrorType(error);
      if (type === 'NON_EMPTY_GROUP') throw new LogAdminCommandError('GROUP_NOT_EMPTY', `consumer group '${groupId}' has active members: stop its consumers before deleting it`);
      if (type === 'GROUP_ID_NOT_FOUND') throw new LogAdminCommandError('GROUP_NOT_FOUND', `consumer group '${groupId}' does not exist`);
      if (type !== undefined) throw new LogAdminCommandError('REQUEST_FAILED', `cannot delete consumer group '${groupId}': ${type}`);
      throw error;
    }
    return `Deleted consumer group ${groupId}.`;
  });
}

/** Registers `barista groups …`; the connection flags sit on `groups` and are accepted before or after the subcommand. */
export function addGroupsCommand(program: Command): void {
  const groups = addConnectionOptions(program.command('groups').description('list, describe (offsets and lag) and delete consumer groups on a Kafka-protocol broker (ours or any Kafka)'));
  const connectionOf = (command: Command) => command.optsWithGlobals<KafkaAdminOptions>();
  const print = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  groups
    .command('list')
    .description('list groups: id, state, protocol type, members')
    .action(async (_options: unknown, command: Command) => print(await listGroups(connectionOf(command))));
  groups
    .command('describe')
    .description('show a group\'s state and members, and per partition its committed offset, log-end offset, lag and owner')
    .requiredOption('--group <id>', 'group id')
    .action(async (options: { group: string }, command: Command) => print(await describeGroupOffsets(connectionOf(command), options.group)));
  groups
    .command('delete')
    .description('delete a group with no active members, and its committed offsets')
    .requiredOption('--group <id>', 'group id')
    .action(async (options: { group: string }, command: Command) => print(await deleteGroup(connectionOf(command), options.group)));
}
