/**
 * Barista's own commands, named like Redis module commands:
 *
 * - BARISTA.CONSISTENCY [R <r>] [W <w>] [N <n>] | DEFAULT — sets this connection's quorum
 *   overrides for every later command (R replicas answer a read, W acknowledge a write, of N
 *   holding the key); DEFAULT clears them; with no argument, replies the current ones as a map
 *   (null = the keyspace's default).
 * - BARISTA.GETALL key — every concurrent sibling of the key, as an array of values (empty when
 *   absent), where GET shows only the one the keyspace's conflict policy picks.
 */
import type { Consistency } from '../../keyspace/keyspace.js';
import { CommandError } from '../errors.js';
import { MAX_REPLICATION_FACTOR } from '../limits.js';
import { NULL, OK, array, bulk, integer, mapOf, type Reply } from '../reply.js';
import { optionName, syntaxError } from './arguments.js';
import { string2ll } from '../integers.js';
import { FIRST_KEY, type CommandContext, type CommandSpec } from './types.js';

function replicaCount(name: string, argument: Buffer): number {
  const value = string2ll(argument);
  if (value === undefined || value < 1n || value > BigInt(MAX_REPLICATION_FACTOR)) throw new CommandError('ERR', `${name} must be an integer from 1 to ${MAX_REPLICATION_FACTOR}`);
  return Number(value);
}

function parseConsistency(args: readonly Buffer[]): Consistency | undefined {
  if (args.length === 2 && optionName(args[1]!) === 'default') return undefined;
  if (args.length % 2 === 0) throw syntaxError();
  const consistency: Consistency = {};
  for (let index = 1; index < args.length; index += 2) {
    const field = optionName(args[index]!);
    if (field !== 'r' && field !== 'w' && field !== 'n') throw syntaxError();
    consistency[field] = replicaCount(field.toUpperCase(), args[index + 1]!);
  }
  const { r, w, n } = consistency;
  if (n !== undefined && ((r !== undefined && r > n) || (w !== undefined && w > n))) throw new CommandError('ERR', `R and W cannot exceed N (R=${r ?? 'default'} W=${w ?? 'default'} N=${n})`);
  return consistency;
}

function consistency(args: readonly Buffer[], context: CommandContext): Reply {
  if (args.length === 1) {
    const current = context.client.consistency ?? {};
    const field = (value: number | undefined) => (value === undefined ? NULL : integer(value));
    return mapOf({ r: field(current.r), w: field(current.w), n: field(current.n) });
  }
  context.client.consistency = parseConsistency(args);
  return OK;
}

async function getAll(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const siblings = await context.keyspace.getAll(args[1]!, context.consistency);
  return array(siblings.map((entry) => bulk(entry.value)));
}

export const baristaCommands: readonly CommandSpec[] = [
  { name: 'barista.consistency', arity: -1, flags: ['fast'], categories: ['@connection', '@fast'], keys: 'none', handler: consistency },
  { name: 'barista.getall', arity: 2, flags: ['readonly'], categories: ['@read', '@string'], keys: FIRST_KEY, handler: getAll },
];
