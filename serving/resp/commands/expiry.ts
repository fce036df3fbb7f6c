/**
 * Expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX/XX/GT/LT), TTL, PTTL,
 * EXPIRETIME, PEXPIRETIME, PERSIST — Redis 7.0's expire.c semantics and replies. Setting or
 * removing a TTL is a read-modify-write of the whole entry, so a TTL never lands on a value other
 * than the one it was computed for. A TTL already in the past deletes the key, as in Redis.
 */
import { CommandError } from '../errors.js';
import { INT64_MAX, INT64_MIN } from '../integers.js';
import { ONE, ZERO, integer, type Reply } from '../reply.js';
import { cText, integerArgument, optionName } from './arguments.js';
import { readModifyWrite, unchanged, withExpiry, type Decision } from './read-modify-write.js';
import { FIRST_KEY, type CommandContext, type CommandSpec } from './types.js';

interface ExpireFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

/** parseExtendedExpireArgumentsOrReply(). */
function parseExpireFlags(args: readonly Buffer[]): ExpireFlags {
  const flags: ExpireFlags = { nx: false, xx: false, gt: false, lt: false };
  for (const argument of args.slice(3)) {
    const option = optionName(argument);
    if (option === 'nx' || option === 'xx' || option === 'gt' || option === 'lt') flags[option] = true;
    else throw new CommandError('ERR', `Unsupported option ${cText(argument)}`);
  }
  if (flags.nx && (flags.xx || flags.gt || flags.lt)) throw new CommandError('ERR', 'NX and XX, GT or LT options at the same time are not compatible');
  if (flags.gt && flags.lt) throw new CommandError('ERR', 'GT and LT options at the same time are not compatible');
  return flags;
}

/** Whether the flags let a key whose expiry is `currentMs` (undefined = none) take `whenMs`. */
function flagsAllow(flags: ExpireFlags, currentMs: number | undefined, whenMs: bigint): boolean {
  if (flags.nx && currentMs !== undefined) return false;
  if (flags.xx && currentMs === undefined) return false;
  // GT: no TTL counts as infinite, so nothing is greater. LT: anything is less than infinite.
  if (flags.gt && (currentMs === undefined || whenMs <= BigInt(currentMs))) return false;
  if (flags.lt && currentMs !== undefined && whenMs >= BigInt(currentMs)) return false;
  return true;
}

/** expireGenericCommand(): `relative` adds the current time, `seconds` multiplies by 1000. */
function expireCommand(name: string, relative: boolean, seconds: boolean) {
  return (args: readonly Buffer[], context: CommandContext): Promise<Reply> => {
    const flags = parseExpireFlags(args);
    let when = integerArgument(args[2]!);
    const invalid = () => new CommandError('ERR', `invalid expire time in '${name}' command`);
    if (seconds) {
      if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) throw invalid();
      when *= 1000n;
    }
    const base = relative ? BigInt(context.nowMs()) : 0n;
    if (when > INT64_MAX - base) throw invalid();
    when += base;
    return readModifyWrite(context, args[1]!, (current, nowMs): Decision => {
      if (current === undefined) return unchanged(current, ZERO);
      if (!flagsAllow(flags, current.expiresAtMs, when)) return unchanged(current, ZERO);
      if (when <= BigInt(nowMs)) return { next: undefined, reply: ONE };
      return { next: withExpiry(current, Number(when)), reply: ONE };
    });
  };
}

/** ttlGenericCommand(): -2 absent, -1 no TTL, else the TTL (or expiry time) in s or ms. */
function ttlCommand(milliseconds: boolean, absolute: boolean) {
  return async (args: readonly Buffer[], context: CommandContext): Promise<Reply> => {
    const entry = await context.keyspace.get(args[1]!, context.consistency);
    if (entry === undefined) return integer(-2);
    if (entry.expiresAtMs === undefined) return integer(-1);
    const ttl = Math.max(0, absolute ? entry.expiresAtMs : entry.expiresAtMs - context.nowMs());
    return integer(milliseconds ? ttl : Math.floor((ttl + 500) / 1000));
  };
}

function persist(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  return readModifyWrite(context, args[1]!, (current): Decision => {
    if (current?.expiresAtMs === undefined) return unchanged(current, ZERO);
    return { next: withExpiry(current, undefined), reply: ONE };
  });
}

const KEYSPACE = ['@keyspace'];
const writeFast = ['write', 'fast'];
const readFast = ['readonly', 'fast'];

function expireSpec(name: string, relative: boolean, seconds: boolean): CommandSpec {
  return { name, arity: -3, flags: writeFast, categories: [...KEYSPACE, '@write', '@fast'], keys: FIRST_KEY, handler: expireCommand(name, relative, seconds) };
}

function ttlSpec(name: string, milliseconds: boolean, absolute: boolean): CommandSpec {
  return { name, arity: 2, flags: readFast, categories: [...KEYSPACE, '@read', '@fast'], keys: FIRST_KEY, handler: ttlCommand(milliseconds, absolute) };
}

export const expiryCommands: readonly CommandSpec[] = [
  expireSpec('expire', true, true),
  expireSpec('pexpire', true, false),
  expireSpec('expireat', false, true),
  expireSpec('pexpireat', false, false),
  ttlSpec('ttl', false, false),
  ttlSpec('pttl', true, false),
  ttlSpec('expiretime', false, true),
  ttlSpec('pexpiretime', true, true),
  { name: 'persist', arity: 2, flags: writeFast, categories: [...KEYSPACE, '@write', '@fast'], keys: FIRST_KEY, handler: persist },
];

