/**
 * String commands: GET, SET (EX/PX/EXAT/PXAT/NX/XX/GET/KEEPTTL), MGET, MSET, INCR, DECR, INCRBY,
 * DECRBY — Redis 7.0's t_string.c semantics and replies. Plain SET and MSET are blind writes;
 * SET with a condition, GET or KEEPTTL, and the counters, are read-modify-writes through
 * compareAndSet. MSET is one write per key (not atomic across keys, as in Redis Cluster across
 * slots); a key repeated in one MSET takes its last value, as in Redis.
 */
import type { Entry } from '../../keyspace/keyspace.js';
import { CommandError } from '../errors.js';
import { INT64_MAX, INT64_MIN, string2ll } from '../integers.js';
import { OK, NULL, array, bulkOrNull, errorReply, integer, type Reply } from '../reply.js';
import { NOT_AN_INTEGER, fitsInt64, integerArgument, optionName, syntaxError } from './arguments.js';
import { readModifyWrite, unchanged, type Decision } from './read-modify-write.js';
import { wrongArityText } from './table.js';
import { ALL_ARGUMENTS_ARE_KEYS, EVERY_OTHER_ARGUMENT_IS_A_KEY, FIRST_KEY, type CommandContext, type CommandSpec } from './types.js';

const STRING = ['@string'];

async function get(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  return bulkOrNull((await context.keyspace.get(args[1]!, context.consistency))?.value);
}

interface SetOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  /** Which of EX, PX, EXAT, PXAT was given, with its argument. */
  expire?: { kind: 'ex' | 'px' | 'exat' | 'pxat'; argument: Buffer };
}

/** parseExtendedStringArgumentsOrReply(), COMMAND_SET: any order; conflicting options are a syntax
 * error, while repeating one (EX 1 EX 2) keeps the last, as in Redis. */
function parseSetOptions(args: readonly Buffer[]): SetOptions {
  const options: SetOptions = { nx: false, xx: false, get: false, keepTtl: false };
  for (let index = 3; index < args.length; index += 1) {
    const option = optionName(args[index]!);
    const next = args[index + 1];
    if (option === 'nx' && !options.xx) options.nx = true;
    else if (option === 'xx' && !options.nx) options.xx = true;
    else if (option === 'get') options.get = true;
    else if (option === 'keepttl' && options.expire === undefined) options.keepTtl = true;
    else if ((option === 'ex' || option === 'px' || option === 'exat' || option === 'pxat') && !options.keepTtl && (options.expire === undefined || options.expire.kind === option) && next !== undefined) {
      options.expire = { kind: option, argument: next };
      index += 1;
    } else throw syntaxError();
  }
  return options;
}

/** getExpireMillisecondsOrReply(): the absolute expiry in ms, refusing what Redis refuses. */
export function absoluteExpiryMs(expire: NonNullable<SetOptions['expire']>, nowMs: number, commandName: string): number {
  const invalid = () => new CommandError('ERR', `invalid expire time in '${commandName}' command`);
  let value = integerArgument(expire.argument);
  const seconds = expire.kind === 'ex' || expire.kind === 'exat';
  if (value <= 0n || (seconds && value > INT64_MAX / 1000n)) throw invalid();
  if (seconds) value *= 1000n;
  if (expire.kind === 'ex' || expire.kind === 'px') value += BigInt(nowMs);
  if (value > INT64_MAX) throw invalid();
  return Number(value);
}

async function set(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const [, key, value] = args as [Buffer, Buffer, Buffer];
  const options = parseSetOptions(args);
  const expiresAtMs = options.expire && absoluteExpiryMs(options.expire, context.nowMs(), 'set');
  if (!options.nx && !options.xx && !options.get && !options.keepTtl) {
    await context.keyspace.set(key, expiresAtMs === undefined ? { value } : { value, expiresAtMs }, context.consistency);
    return OK;
  }
  return readModifyWrite(context, key, (current): Decision => {
    const previous = options.get ? bulkOrNull(current?.value) : undefined;
    if ((options.nx && current !== undefined) || (options.xx && current === undefined)) return unchanged(current, previous ?? NULL);
    const keptExpiry = options.keepTtl ? current?.expiresAtMs : expiresAtMs;
    return { next: keptExpiry === undefined ? { value } : { value, expiresAtMs: keptExpiry }, reply: previous ?? OK };
  });
}

async function mget(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const entries = await Promise.all(args.slice(1).map((key) => context.keyspace.get(key, context.consistency)));
  return array(entries.map((entry) => bulkOrNull(entry?.value)));
}

async function mset(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  if (args.length % 2 === 0) return errorReply(wrongArityText('mset'));
  const last = new Map<string, [Buffer, Buffer]>();
  for (let index = 1; index < args.length; index += 2) last.set(args[index]!.toString('latin1'), [args[index]!, args[index + 1]!]);
  await Promise.all([...last.values()].map(([key, value]) => context.keyspace.set(key, { value }, context.consistency)));
  return OK;
}

/** incrDecrCommand(): the new counter, keeping the key's TTL as Redis does. */
function incrementBy(increment: bigint) {
  return (args: readonly Buffer[], context: CommandContext): Promise<Reply> =>
    readModifyWrite(context, args[1]!, (current: Entry | undefined): Decision => {
      const value = current === undefined ? 0n : string2ll(current.value);
      if (value === undefined) return unchanged(current, errorReply(`ERR ${NOT_AN_INTEGER}`));
      const result = value + increment;
      if (!fitsInt64(result)) return unchanged(current, errorReply('ERR increment or decrement would overflow'));
      const next = Buffer.from(result.toString());
      return { next: current?.expiresAtMs === undefined ? { value: next } : { value: next, expiresAtMs: current.expiresAtMs }, reply: integer(result) };
    });
}

const incr = incrementBy(1n);
const decr = incrementBy(-1n);

function incrby(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  return incrementBy(integerArgument(args[2]!))(args, context);
}

function decrby(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const decrement = integerArgument(args[2]!);
  if (decrement === INT64_MIN) throw new CommandError('ERR', 'decrement would overflow');
  return incrementBy(-decrement)(args, context);
}

const write = ['write', 'denyoom'];
const fastWrite = ['write', 'denyoom', 'fast'];

export const stringCommands: readonly CommandSpec[] = [
  { name: 'get', arity: 2, flags: ['readonly', 'fast'], categories: [...STRING, '@read', '@fast'], keys: FIRST_KEY, handler: get },
  { name: 'set', arity: -3, flags: write, categories: [...STRING, '@write', '@slow'], keys: FIRST_KEY, handler: set },
  { name: 'mget', arity: -2, flags: ['readonly', 'fast'], categories: [...STRING, '@read', '@fast'], keys: ALL_ARGUMENTS_ARE_KEYS, handler: mget },
  { name: 'mset', arity: -3, flags: write, categories: [...STRING, '@write', '@slow'], keys: EVERY_OTHER_ARGUMENT_IS_A_KEY, handler: mset },
  { name: 'incr', arity: 2, flags: fastWrite, categories: [...STRING, '@write', '@fast'], keys: FIRST_KEY, handler: incr },
  { name: 'decr', arity: 2, flags: fastWrite, categories: [...STRING, '@write', '@fast'], keys: FIRST_KEY, handler: decr },
  { name: 'incrby', arity: 3, flags: fastWrite, categories: [...STRING, '@write', '@fast'], keys: FIRST_KEY, handler: incrby },
  { name: 'decrby', arity: 3, flags: fastWrite, categories: [...STRING, '@write', '@fast'], keys: FIRST_KEY, handler: decrby },
];

