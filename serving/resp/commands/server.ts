/**
 * Server commands: INFO (server, clients, memory, persistence, stats, replication, keyspace),
 * COMMAND (the table itself, COUNT, INFO, LIST, DOCS — empty, which is all redis-cli needs —
 * and HELP), CONFIG GET (read-only view of the settings clients such as redis-benchmark ask
 * for). Replies follow Redis 7.0's shapes.
 */
import os from 'node:os';
import { globMatch } from '../glob.js';
import { REDIS_COMPATIBLE_VERSION } from '../version.js';
import { EMPTY_ARRAY, NULL, array, bulk, integer, map, set, simple, verbatim, type Reply } from '../reply.js';
import { helpReply } from './connection.js';
import type { CommandTable } from './table.js';
import type { CommandContext, CommandSpec, KeyAccess } from './types.js';

const DEFAULT_INFO_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'keyspace'] as const;
type InfoSection = (typeof DEFAULT_INFO_SECTIONS)[number];

async function infoSection(section: InfoSection, context: CommandContext): Promise<Record<string, string | number> | undefined> {
  const { server } = context;
  const uptimeSeconds = Math.floor((context.nowMs() - server.startedAtMs) / 1000);
  switch (section) {
    case 'server':
      return {
        redis_version: REDIS_COMPATIBLE_VERSION,
        redis_mode: 'standalone',
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        arch_bits: 64,
        process_id: process.pid,
        tcp_port: server.port,
        uptime_in_seconds: uptimeSeconds,
        uptime_in_days: Math.floor(uptimeSeconds / 86_400),
      };
    case 'clients':
      return { connected_clients: server.clients().length, maxclients: server.maxClients };
    case 'memory':
      return { used_memory: process.memoryUsage().heapUsed, used_memory_rss: process.memoryUsage.rss() };
    case 'persistence':
      return { loading: 0 };
    case 'stats':
      return { total_connections_received: server.stats.connectionsReceived, total_commands_processed: server.stats.commandsProcessed, rejected_connections: server.stats.rejectedConnections };
    case 'replication':
      return { role: 'master', connected_slaves: 0 };
    case 'keyspace': {
      const keys = await context.keyspace.size();
      // The keyspace does not count expiring keys; Redis's expires and avg_ttl read 0.
      return keys > 0 ? { db0: `keys=${keys},expires=0,avg_ttl=0` } : {};
    }
  }
}

/** INFO [section ...]: Redis's "# Section" blocks of "field:value" lines, CRLF-separated. */
async function info(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const asked = args.slice(1).map((argument) => argument.toString('latin1').toLowerCase());
  const everything = asked.length === 0 || asked.some((name) => name === 'all' || name === 'everything' || name === 'default');
  const sections = DEFAULT_INFO_SECTIONS.filter((section) => everything || asked.includes(section));
  const blocks: string[] = [];
  for (const section of sections) {
    const fields = await infoSection(section, context);
    const lines = Object.entries(fields ?? {}).map(([name, value]) => `${name}:${value}\r\n`);
    blocks.push(`# ${section[0]!.toUpperCase()}${section.slice(1)}\r\n${lines.join('')}`);
  }
  return verbatim(blocks.join('\r\n'));
}

function keyPositions(keys: KeyAccess): [number, number, number] {
  return typeof keys === 'string' ? [0, 0, 0] : [keys.first, keys.last, keys.step];
}

/** COMMAND INFO's ten fields (tips and key specs are not modelled and come back empty). */
function commandInfo(spec: CommandSpec): Reply {
  return array([
    bulk(spec.name),
    integer(spec.arity),
    set(spec.flags.map(simple)),
    ...keyPositions(spec.keys).map((position) => integer(position)),
    set(spec.categories.map(simple)),
    set([]),
    EMPTY_ARRAY,
    array((spec.subcommands ?? []).map(commandInfo)),
  ]);
}

function commandCommands(table: () => CommandTable): CommandSpec {
  const sub = (name: string, arity: number, handler: CommandSpec['handler']): CommandSpec => ({ name: `command|${name}`, arity, flags: ['loading', 'stale'], categories: ['@connection', '@slow'], keys: 'none', handler });
  const spec: CommandSpec = {
    name: 'command',
    arity: -1,
    flags: ['loading', 'stale'],
    categories: ['@connection', '@slow'],
    keys: 'none',
    handler: () => array(table().all().map(commandInfo)),
    subcommands: [
      sub('count', 2, () => integer(table().size)),
      sub('list', -2, () => array(table().all().map((command) => bulk(command.name)))),
      sub('info', -2, (args) => {
        if (args.length === 2) return array(table().all().map(commandInfo));
        return array(args.slice(2).map((name) => {
          const found = table().get(name.toString('latin1'));
          return found === undefined ? NULL : commandInfo(found);
        }));
      }),
      sub('docs', -2, () => map([])),
      sub('help', 2, () => helpReply(spec)),
    ],
  };
  return spec;
}

function configCommand(): CommandSpec {
  const spec: CommandSpec = {
    name: 'config',
    arity: -2,
    flags: [],
    categories: [],
    keys: 'none',
    subcommands: [
      {
        name: 'config|get',
        arity: -3,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        categories: ['@admin', '@slow', '@dangerous'],
        keys: 'none',
        handler: (args, context) => {
          const settings = Object.entries(context.server.config);
          const found = new Map<string, string>();
          for (const pattern of args.slice(2)) {
            for (const [name, value] of settings) if (globMatch(pattern, Buffer.from(name), true)) found.set(name, value);
          }
          return map([...found].map(([name, value]) => [bulk(name), bulk(value)] as const));
        },
      },
      { name: 'config|help', arity: 2, flags: ['loading', 'stale'], categories: ['@slow'], keys: 'none', handler: () => helpReply(spec) },
    ],
  };
  return spec;
}

/** The server family; COMMAND reads the finished table through `table`. */
export function serverCommands(table: () => CommandTable): readonly CommandSpec[] {
  return [
    { name: 'info', arity: -1, flags: ['loading', 'stale'], categories: ['@slow', '@dangerous'], keys: 'all', handler: info },
    commandCommands(table),
    configCommand(),
  ];
}
