/**
 * Barista's own commands, named like Redis module commands:
 *
 * - BARISTA.CONSISTENCY [R <r>] [W <w>] [N <n>] | DEFAULT — sets this connection's quorum
 *   overrides for every later command (R replicas answer a read, W acknowledge a write, of N
 *   holding the key); DEFAULT clears them; with no argument, replies the current ones as a map
 *   (null = the keyspace's default).
 * - BARISTA.GETALL key [WITHEXPIRY] — every concurrent sibling of the key, as an array of values
 *   (empty when absent), where GET shows only the one the keyspace's conflict policy picks; with
 *   WITHEXPIRY each sibling is a pair [value, expiry as Unix ms or nil].
 * - BARISTA.GETENTRY key — the entry GET resolves to, value and expiry read together: nil when
 *   absent, else [value, expiry as Unix ms or nil]. GET followed by PEXPIRETIME could pair one
 *   write's value with another's expiry.
 * - BARISTA.CAS key (NX | EQ value [PXAT ms]) (SET value [PXAT ms] | DEL) — the keyspace's
 *   linearizable compareAndSet (Paxos on the key's replicas): writes only when the current entry
 *   is absent (NX) or equals `value` with exactly that expiry (no PXAT = no expiry). Replies 1
 *   when written (or confirmed, when next equals expected), else [0, current value or nil,
 *   current expiry or nil], so that a client's retry loop needs no extra read.
 */
import type { Consistency, Entry } from '../../keyspace/keyspace.js';
import { CommandError } from '../errors.js';
import { MAX_REPLICATION_FACTOR } from '../limits.js';
import { NULL, OK, ONE, ZERO, array, bulk, bulkOrNull, integer, mapOf, type Reply } from '../reply.js';
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

const expiryReply = (entry: Entry): Reply => (entry.expiresAtMs === undefined ? NULL : integer(entry.expiresAtMs));
const entryPair = (entry: Entry): Reply => array([bulk(entry.value), expiryReply(entry)]);

async function getAll(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  if (args.length > 3 || (args.length === 3 && optionName(args[2]!) !== 'withexpiry')) throw syntaxError();
  const siblings = await context.keyspace.getAll(args[1]!, context.consistency);
  return array(siblings.map((entry) => (args.length === 3 ? entryPair(entry) : bulk(entry.value))));
}

async function getEntry(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const entry = await context.keyspace.get(args[1]!, context.consistency);
  return entry === undefined ? NULL : entryPair(entry);
}

/** An expiry argument of BARISTA.CAS: a Unix time in ms that a JavaScript number holds exactly. */
function casExpiryMs(argument: Buffer): number {
  const value = string2ll(argument);
  if (value === undefined || value <= 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CommandError('ERR', `invalid expire time in 'barista.cas' command: PXAT must be an integer from 1 to ${Number.MAX_SAFE_INTEGER} (Unix ms)`);
  return Number(value);
}

/** Reads `value [PXAT ms]` from `index`; returns the entry and the index after it. */
function entryAt(args: readonly Buffer[], index: number): { entry: Entry; next: number } {
  const value = args[index];
  if (value === undefined) throw new CommandError('ERR', 'syntax error: BARISTA.CAS expects a value after EQ and SET');
  if (index + 1 < args.length && optionName(args[index + 1]!) === 'pxat') {
    const expiry = args[index + 2];
    if (expiry === undefined) throw new CommandError('ERR', 'syntax error: PXAT needs a Unix time in milliseconds');
    return { entry: { value, expiresAtMs: casExpiryMs(expiry) }, next: index + 3 };
  }
  return { entry: { value }, next: index + 1 };
}

const CAS_USAGE = 'usage: BARISTA.CAS key (NX | EQ value [PXAT ms]) (SET value [PXAT ms] | DEL)';

export interface CasArguments {
  expected: Entry | undefined;
  next: Entry | undefined;
}

export function parseCasArguments(args: readonly Buffer[]): CasArguments {
  let index = 2;
  let expected: Entry | undefined;
  const condition = optionName(args[index]!);
  if (condition === 'eq') ({ entry: expected, next: index } = entryAt(args, index + 1));
  else if (condition === 'nx') index += 1;
  else throw new CommandError('ERR', `syntax error: the condition must be NX or EQ; ${CAS_USAGE}`);
  const action = args[index] === undefined ? undefined : optionName(args[index]!);
  let next: Entry | undefined;
  if (action === 'set') ({ entry: next, next: index } = entryAt(args, index + 1));
  else if (action === 'del') index += 1;
  else throw new CommandError('ERR', `syntax error: the action must be SET or DEL; ${CAS_USAGE}`);
  if (index !== args.length) throw new CommandError('ERR', `syntax error: unexpected arguments after the action; ${CAS_USAGE}`);
  return { expected, next };
}

async function compareAndSet(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const { expected, next } = parseCasArguments(args);
  const outcome = await context.keyspace.compareAndSet(args[1]!, expected, next, context.consistency);
  if (outcome.written) return ONE;
  const { current } = outcome;
  return array([ZERO, bulkOrNull(current?.value), current === undefined ? NULL : expiryReply(current)]);
}

export const baristaCommands: readonly CommandSpec[] = [
  { name: 'barista.consistency', arity: -1, flags: ['fast'], categories: ['@connection', '@fast'], keys: 'none', handler: consistency },
  { name: 'barista.getall', arity: -2, flags: ['readonly'], categories: ['@read', '@string'], keys: FIRST_KEY, handler: getAll },
  { name: 'barista.getentry', arity: 2, flags: ['readonly'], categories: ['@read', '@string'], keys: FIRST_KEY, handler: getEntry },
  { name: 'barista.cas', arity: -4, flags: ['write', 'denyoom'], categories: ['@write', '@string', '@slow'], keys: FIRST_KEY, handler: compareAndSet },
];
