/**
 * VIEW.* commands: the Lambda views (serving/views) over the connection's keyspace, so any node
 * answers for any view — definitions, pointers and values all live in the keyspace.
 *
 * - VIEW.CREATE view monoid [BUCKET offsets] → +OK. Monoids: sum, max, min, set, topn:<N>.
 *   Creating an existing view with the same definition is OK; with another one, an error.
 *   BUCKET is the realtime bucket size in offsets (default 1000); batch cut-offs must end one.
 * - VIEW.GET view key → a 4-element array:
 *     1) the merged value (batch ⊕ realtime): an integer for sum/max/min (null for an empty
 *        max/min), an array of members for set, a flat [item, count, ...] array of the N highest
 *        counts for topn:<N>;
 *     2) the batch version it includes, or null before the first publish;
 *     3) a flat [partition, offset, ...] array: per partition, the highest log offset the value
 *        reflects (the value equals a recount of the key's records up to these offsets);
 *     4) a flat [partition, cut-off, ...] array: the batch version's cut-offs.
 * - VIEW.TOP view n → a flat [key, value, ...] array of the n keys with the highest merged values
 *   (sum, max, min; ties by key). It scans the keyspace: O(keys in the store).
 * - VIEW.INFO view → a map: monoid, bucket, version, cutoffs, previous-version, published-at-ms.
 *
 * Errors: -ERR for unknown views, bad names, monoids, counts, contention; -WRONGTYPE for VIEW.TOP
 * on a view whose values have no order. The view name is the command's key, so a pipeline's
 * VIEW.CREATE runs before its VIEW.GET of the same view.
 */
import { ViewCatalog, ViewError, ViewReader, type CutOffs, type PresentedValue, type ViewsOptions } from '../../views/index.js';
import { CommandError } from '../errors.js';
import { NULL, OK, array, bulk, integer, mapOf, type Reply } from '../reply.js';
import { fitsInt64, integerArgument, optionName, syntaxError } from './arguments.js';
import { FIRST_KEY, type CommandContext, type CommandSpec } from './types.js';

function viewsOptions(context: CommandContext): ViewsOptions {
  return { keyspace: context.keyspace, consistency: context.consistency, nowMs: context.nowMs };
}

/** Runs a view operation, answering view errors as Redis errors. */
async function answering(run: () => Promise<Reply>): Promise<Reply> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ViewError) throw new CommandError(error.code === 'NOT_ORDERED' ? 'WRONGTYPE' : 'ERR', error.message);
    throw error;
  }
}

const text = (argument: Buffer) => argument.toString();

/** An integer reply, or its decimal as a bulk string beyond 64 bits (sums are unbounded). */
const number = (value: bigint): Reply => (fitsInt64(value) ? integer(value) : bulk(value.toString()));

function presented(value: PresentedValue): Reply {
  switch (value.kind) {
    case 'integer':
      return number(value.value);
    case 'none':
      return NULL;
    case 'members':
      return array(value.members.map((member) => bulk(member)));
    case 'ranking':
      return array(value.entries.flatMap(([item, count]) => [bulk(item), number(count)]));
  }
}

const offsets = (byPartition: CutOffs): Reply => array(Object.entries(byPartition).flatMap(([partition, offset]) => [bulk(partition), integer(offset)]));

function create(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  let bucketOffsets: number | undefined;
  if (args.length === 5 && optionName(args[3]!) === 'bucket') {
    const value = integerArgument(args[4]!);
    if (value < 1n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CommandError('ERR', 'BUCKET must be a positive number of offsets');
    bucketOffsets = Number(value);
  } else if (args.length !== 3) throw syntaxError();
  return answering(async () => {
    await new ViewCatalog(viewsOptions(context)).create(text(args[1]!), text(args[2]!), { bucketOffsets });
    return OK;
  });
}

function get(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  return answering(async () => {
    const answer = await new ViewReader(viewsOptions(context)).get(text(args[1]!), args[2]!);
    const version = answer.batchVersion === undefined ? NULL : integer(answer.batchVersion);
    return array([presented(answer.presented), version, offsets(answer.realtimeOffsets), offsets(answer.cutOffs), offsets(answer.settledOffsets)]);
  });
}

function top(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const n = integerArgument(args[2]!);
  if (n < 0n) throw new CommandError('ERR', 'value is out of range, must be positive');
  return answering(async () => {
    const ranked = await new ViewReader(viewsOptions(context)).top(text(args[1]!), n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n));
    return array(ranked.flatMap(({ key, score }) => [bulk(key), number(score)]));
  });
}

function info(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  return answering(async () => {
    const { definition, pointer } = await new ViewReader(viewsOptions(context)).describe(text(args[1]!));
    return mapOf({
      monoid: bulk(definition.monoid.spec),
      bucket: integer(definition.bucketOffsets),
      version: pointer === undefined ? NULL : integer(pointer.version),
      cutoffs: offsets(pointer?.cutOffs ?? {}),
      'previous-version': pointer?.previous === undefined ? NULL : integer(pointer.previous.version),
      'published-at-ms': pointer === undefined ? NULL : integer(pointer.publishedAtMs),
    });
  });
}

export const viewCommands: readonly CommandSpec[] = [
  { name: 'view.create', arity: -3, flags: ['write', 'denyoom'], categories: ['@write', '@slow'], keys: FIRST_KEY, handler: create },
  { name: 'view.get', arity: 3, flags: ['readonly'], categories: ['@read', '@fast'], keys: FIRST_KEY, handler: get },
  { name: 'view.top', arity: 3, flags: ['readonly'], categories: ['@read', '@slow'], keys: FIRST_KEY, handler: top },
  { name: 'view.info', arity: 2, flags: ['readonly'], categories: ['@read', '@fast'], keys: FIRST_KEY, handler: info },
];
