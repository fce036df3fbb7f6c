/**
 * Connection commands: PING, ECHO, SELECT, QUIT, HELLO, CLIENT (ID, GETNAME, SETNAME, SETINFO,
 * INFO, LIST, HELP). They read and change only the connection's own state, synchronously.
 * There is one database: SELECT 0 succeeds and any other index is out of range, as on a Redis
 * configured with `databases 1`. HELLO's AUTH accepts only Redis's passwordless "default" user.
 */
import { CommandError } from '../errors.js';
import { REDIS_COMPATIBLE_VERSION } from '../version.js';
import { NULL, OK, PONG, array, bulk, integer, mapOf, simple, verbatim, type Reply } from '../reply.js';
import { cText, int32Argument, integerArgument, optionName } from './arguments.js';
import type { ClientState, CommandContext, CommandSpec } from './types.js';

function ping(args: readonly Buffer[]): Reply {
  if (args.length > 2) throw new CommandError('ERR', "wrong number of arguments for 'ping' command");
  return args.length === 1 ? PONG : bulk(args[1]!);
}

function echo(args: readonly Buffer[]): Reply {
  return bulk(args[1]!);
}

function select(args: readonly Buffer[]): Reply {
  if (int32Argument(args[1]!) !== 0) throw new CommandError('ERR', 'DB index is out of range');
  return OK;
}

function quit(_args: readonly Buffer[], context: CommandContext): Reply {
  context.closeAfterReply();
  return OK;
}

/** clientSetName(): printable ASCII without spaces, or empty to clear. */
function setClientName(client: ClientState, name: Buffer): void {
  if (name.some((byte) => byte < 0x21 || byte > 0x7e)) throw new CommandError('ERR', 'Client names cannot contain spaces, newlines or special characters.');
  client.name = name.length === 0 ? undefined : Buffer.from(name);
}

function hello(args: readonly Buffer[], context: CommandContext): Reply {
  let protocol: bigint | undefined;
  if (args.length >= 2) {
    protocol = integerArgument(args[1]!, 'Protocol version is not an integer or out of range');
    if (protocol < 2n || protocol > 3n) throw new CommandError('NOPROTO', 'unsupported protocol version');
  }
  for (let index = 2; index < args.length; index += 1) {
    const option = optionName(args[index]!);
    const more = args.length - 1 - index;
    if (option === 'auth' && more >= 2) {
      if (args[index + 1]!.toString('latin1') !== 'default') throw new CommandError('WRONGPASS', 'invalid username-password pair or user is disabled.');
      index += 2;
    } else if (option === 'setname' && more >= 1) {
      // Redis names the client here, before later options are checked.
      setClientName(context.client, args[index + 1]!);
      index += 1;
    } else {
      throw new CommandError('ERR', `Syntax error in HELLO option '${cText(args[index]!)}'`);
    }
  }
  if (protocol !== undefined) context.client.protocol = protocol === 3n ? 3 : 2;
  return mapOf({
    server: bulk('redis'),
    version: bulk(REDIS_COMPATIBLE_VERSION),
    proto: integer(context.client.protocol),
    id: integer(context.client.id),
    mode: bulk('standalone'),
    role: bulk('master'),
    modules: array([]),
  });
}

/** One CLIENT LIST line: the fields Barista tracks, in Redis's format. */
export function clientInfoLine(client: ClientState, nowMs: number): string {
  const fields = [
    `id=${client.id}`,
    `addr=${client.remoteAddress}`,
    `laddr=${client.localAddress}`,
    `name=${client.name?.toString('latin1') ?? ''}`,
    `age=${Math.floor((nowMs - client.connectedAtMs) / 1000)}`,
    `idle=${Math.floor((nowMs - client.lastCommandAtMs) / 1000)}`,
    'db=0',
    `resp=${client.protocol}`,
    `lib-name=${client.libraryName?.toString('latin1') ?? ''}`,
    `lib-ver=${client.libraryVersion?.toString('latin1') ?? ''}`,
  ];
  return fields.join(' ');
}

/** CLIENT SETINFO (Redis 7.2; ioredis sends it on connect): library name and version. */
function clientSetInfo(args: readonly Buffer[], context: CommandContext): Reply {
  const attribute = optionName(args[2]!);
  const value = args[3]!;
  if (value.some((byte) => byte < 0x21 || byte > 0x7e)) throw new CommandError('ERR', `${attribute} cannot contain spaces, newlines or special characters.`);
  if (attribute === 'lib-name') context.client.libraryName = Buffer.from(value);
  else if (attribute === 'lib-ver') context.client.libraryVersion = Buffer.from(value);
  else throw new CommandError('ERR', `Unrecognized option '${cText(args[2]!)}'`);
  return OK;
}

/** The reply to `<COMMAND> HELP`: a usage line, then each subcommand with its arity. */
export function helpReply(container: CommandSpec): Reply {
  const lines = [`${container.name.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`];
  for (const sub of container.subcommands ?? []) lines.push(sub.name.split('|')[1]!.toUpperCase());
  return array(lines.map(simple));
}

const CONNECTION = ['@connection'];
const flags = ['noscript', 'loading', 'stale'];

function clientSub(name: string, arity: number, handler: CommandSpec['handler']): CommandSpec {
  return { name: `client|${name}`, arity, flags, categories: [...CONNECTION, '@slow'], keys: 'none', handler };
}

const clientCommand: CommandSpec = {
  name: 'client',
  arity: -2,
  flags: [],
  categories: [],
  keys: 'none',
  subcommands: [
    clientSub('id', 2, (_args, context) => integer(context.client.id)),
    clientSub('getname', 2, (_args, context) => (context.client.name === undefined ? NULL : bulk(context.client.name))),
    clientSub('setname', 3, (args, context) => (setClientName(context.client, args[2]!), OK)),
    clientSub('setinfo', 4, clientSetInfo),
    clientSub('info', 2, (_args, context) => verbatim(`${clientInfoLine(context.client, context.nowMs())}\n`)),
    clientSub('list', -2, (_args, context) => verbatim(context.server.clients().map((client) => `${clientInfoLine(client, context.nowMs())}\n`).join(''))),
    clientSub('help', 2, () => helpReply(clientCommand)),
  ],
};

export const connectionCommands: readonly CommandSpec[] = [
  { name: 'ping', arity: -1, flags: ['fast'], categories: [...CONNECTION, '@fast'], keys: 'none', handler: ping },
  { name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], categories: [...CONNECTION, '@fast'], keys: 'none', handler: echo },
  { name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], categories: [...CONNECTION, '@fast'], keys: 'none', handler: select },
  { name: 'quit', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth'], categories: [...CONNECTION, '@fast'], keys: 'none', handler: quit },
  { name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth'], categories: [...CONNECTION, '@fast'], keys: 'none', handler: hello },
  clientCommand,
];
