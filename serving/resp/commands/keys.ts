/**
 * Keyspace commands: DEL, EXISTS, SCAN (MATCH, COUNT, TYPE), DBSIZE, FLUSHALL — Redis 7.0's db.c
 * replies. DEL deletes every key it is given and counts those that existed just before (read,
 * then delete: concurrent DELs of one key may both count it). FLUSHALL deletes page by page over
 * SCAN, so keys written meanwhile by other clients may survive it.
 */
import { KeyspaceError } from '../../keyspace/errors.js';
import { CommandError } from '../errors.js';
import { globMatch } from '../glob.js';
import { parseScanCursor } from '../integers.js';
import { DEFAULT_SCAN_COUNT } from '../limits.js';
import { OK, array, bulk, integer, type Reply } from '../reply.js';
import { cText, integerArgument, optionName, syntaxError } from './arguments.js';
import { ALL_ARGUMENTS_ARE_KEYS, type CommandContext, type CommandSpec } from './types.js';

/** Keys FLUSHALL asks for per SCAN page. */
const FLUSHALL_PAGE_KEYS = 1_000;

async function del(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const unique = new Map(args.slice(1).map((key) => [key.toString('latin1'), key]));
  const deleted = await Promise.all(
    [...unique.values()].map(async (key) => {
      const existed = (await context.keyspace.get(key, context.consistency)) !== undefined;
      await context.keyspace.delete(key, context.consistency);
      return existed ? 1 : 0;
    }),
  );
  return integer(deleted.reduce<number>((sum, one) => sum + one, 0));
}

async function exists(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const found = await Promise.all(args.slice(1).map((key) => context.keyspace.get(key, context.consistency)));
  return integer(found.filter((entry) => entry !== undefined).length);
}

interface ScanOptions {
  count: number;
  pattern: Buffer | undefined;
  type: string | undefined;
}

/** scanGenericCommand()'s option parsing. */
function parseScanOptions(args: readonly Buffer[]): ScanOptions {
  const options: ScanOptions = { count: DEFAULT_SCAN_COUNT, pattern: undefined, type: undefined };
  for (let index = 2; index < args.length; index += 2) {
    const option = optionName(args[index]!);
    const value = args[index + 1];
    if (value === undefined) throw syntaxError();
    if (option === 'count') {
      const count = integerArgument(value);
      if (count < 1n) throw syntaxError();
      options.count = Number(count);
    } else if (option === 'match') {
      // "*" matches everything, so Redis skips matching entirely.
      options.pattern = value.length === 1 && value[0] === 0x2a ? undefined : value;
    } else if (option === 'type') {
      options.type = cText(value).toLowerCase();
    } else {
      throw syntaxError();
    }
  }
  return options;
}

async function scan(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const cursor = parseScanCursor(args[1]!);
  if (cursor === undefined) throw new CommandError('ERR', 'invalid cursor');
  const { count, pattern, type } = parseScanOptions(args);
  let page;
  try {
    page = await context.keyspace.scan(cursor.toString(), count);
  } catch (error) {
    if (error instanceof KeyspaceError && error.code === 'INVALID_CURSOR') throw new CommandError('ERR', 'invalid cursor');
    throw error;
  }
  // Every value here is a string, so TYPE keeps all keys or none.
  const keys = page.keys.filter((key) => (pattern === undefined || globMatch(pattern, key)) && (type === undefined || type === 'string'));
  return array([bulk(page.cursor), array(keys.map((key) => bulk(key)))]);
}

async function dbsize(_args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  return integer(await context.keyspace.size());
}

async function flushall(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  if (args.length > 2 || (args.length === 2 && !['sync', 'async'].includes(optionName(args[1]!)))) throw syntaxError();
  let cursor = '0';
  do {
    const page = await context.keyspace.scan(cursor, FLUSHALL_PAGE_KEYS);
    await Promise.all(page.keys.map((key) => context.keyspace.delete(key, context.consistency)));
    cursor = page.cursor;
  } while (cursor !== '0');
  return OK;
}

const KEYSPACE = ['@keyspace'];

export const keyCommands: readonly CommandSpec[] = [
  { name: 'del', arity: -2, flags: ['write'], categories: [...KEYSPACE, '@write', '@slow'], keys: ALL_ARGUMENTS_ARE_KEYS, handler: del },
  { name: 'exists', arity: -2, flags: ['readonly', 'fast'], categories: [...KEYSPACE, '@read', '@fast'], keys: ALL_ARGUMENTS_ARE_KEYS, handler: exists },
  { name: 'scan', arity: -2, flags: ['readonly'], categories: [...KEYSPACE, '@read', '@slow'], keys: 'all', handler: scan },
  { name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], categories: [...KEYSPACE, '@read', '@fast'], keys: 'all', handler: dbsize },
  { name: 'flushall', arity: -1, flags: ['write'], categories: [...KEYSPACE, '@write', '@slow', '@dangerous'], keys: 'all', handler: flushall },
];
