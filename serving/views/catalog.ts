/**
 * View definitions (name → monoid and realtime bucket), stored in the keyspace under
 * `barista:view:<v>:definition`, so that every serving node can answer for every view and the
 * definitions are replicated like the data.
 *
 * A definition is written once, with compareAndSet from absent, and never changes: creating a
 * view again with the same definition succeeds (so every job and topology may create the views
 * it writes at start-up), with another one fails with ViewExistsError. Because definitions are
 * immutable, a catalog caches every definition it has read for the life of the process.
 */
import type { Consistency, Entry, Keyspace } from '../keyspace/keyspace.js';
import { updateEntry } from './compare-and-set.js';
import { CorruptViewRecordError, InvalidViewArgumentError, UnknownMonoidError, UnknownViewError, ViewExistsError } from './errors.js';
import { DEFAULT_BUCKET_OFFSETS, MAX_BUCKET_OFFSETS } from './limits.js';
import type { Monoid } from './monoids/monoid.js';
import { monoidFromSpec, USER_MONOID_SPEC } from './monoids/registry.js';
import { checkViewName, definitionKey, printable } from './view-keys.js';

/** Where views are stored, shared by the catalog, the writers and the reader. */
export interface ViewsOptions {
  keyspace: Keyspace;
  /** Quorum overrides for every keyspace operation; undefined = the keyspace's defaults. */
  consistency?: Consistency;
  /** The clock for publish times (Date.now by default) and the realtime writer's pointer cache age (monotonic by default). */
  nowMs?: () => number;
  /** Share one catalog (and its cache) between writers and readers; one is made if absent. */
  catalog?: ViewCatalog;
}

export interface ViewDefinition {
  readonly name: string;
  readonly monoid: Monoid<unknown>;
  /** Offsets per realtime bucket; batch cut-offs must end a bucket. */
  readonly bucketOffsets: number;
}

export interface CreateViewOptions {
  /** Offsets per realtime bucket (default DEFAULT_BUCKET_OFFSETS). 1 lets batch cut-offs fall
   * anywhere, at the cost of one stored value per delta between batch runs. */
  bucketOffsets?: number;
}

function describeDefinition(monoid: string, bucketOffsets: number): string {
  return `${monoid} with buckets of ${bucketOffsets} offsets`;
}

function encodeDefinition(monoid: string, bucketOffsets: number): Entry {
  return { value: Buffer.from(JSON.stringify({ monoid, bucketOffsets })) };
}

function decodeDefinition(view: string, entry: Entry): ViewDefinition {
  const key = printable(definitionKey(view));
  let parsed: { monoid?: unknown; bucketOffsets?: unknown };
  try {
    parsed = JSON.parse(entry.value.toString()) as typeof parsed;
  } catch {
    throw new CorruptViewRecordError(key, 'not JSON');
  }
  const { monoid, bucketOffsets } = parsed ?? {};
  if (typeof monoid !== 'string' || !isBucketSize(bucketOffsets)) throw new CorruptViewRecordError(key, 'no monoid or bucketOffsets');
  try {
    return { name: view, monoid: monoidFromSpec(monoid), bucketOffsets };
  } catch (error) {
    // A user monoid this process has not registered: the definition is fine, this process is not.
    if (error instanceof UnknownMonoidError && USER_MONOID_SPEC.test(monoid)) throw error;
    throw new CorruptViewRecordError(key, (error as Error).message);
  }
}

function isBucketSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= MAX_BUCKET_OFFSETS;
}

export class ViewCatalog {
  private readonly cache = new Map<string, ViewDefinition>();

  constructor(private readonly options: Pick<ViewsOptions, 'keyspace' | 'consistency'>) {}

  /** Creates the view, or confirms it exists with this definition; `created` says which. */
  async create(view: string, monoidSpec: string, options: CreateViewOptions = {}): Promise<{ definition: ViewDefinition; created: boolean }> {
    checkViewName(view);
    const monoid = monoidFromSpec(monoidSpec);
    const bucketOffsets = options.bucketOffsets ?? DEFAULT_BUCKET_OFFSETS;
    if (!isBucketSize(bucketOffsets)) throw new InvalidViewArgumentError('bucket', bucketOffsets, `an integer from 1 to ${MAX_BUCKET_OFFSETS}`);
    const wanted: ViewDefinition = { name: view, monoid, bucketOffsets };
    const target = { ...this.options, key: definitionKey(view), what: `definition of view '${view}'` };
    const { result } = await updateEntry(target, (current) => {
      if (current === undefined) return { write: encodeDefinition(monoid.spec, bucketOffsets), result: { definition: wanted, created: true } };
      const existing = decodeDefinition(view, current);
      if (existing.monoid.spec !== monoid.spec || existing.bucketOffsets !== bucketOffsets) {
        throw new ViewExistsError(view, describeDefinition(existing.monoid.spec, existing.bucketOffsets), describeDefinition(monoid.spec, bucketOffsets));
      }
      return { keep: true, result: { definition: existing, created: false } };
    });
    this.cache.set(view, result.definition);
    return result;
  }

  /** The definition, or undefined when there is no such view. */
  async find(view: string): Promise<ViewDefinition | undefined> {
    checkViewName(view);
    const cached = this.cache.get(view);
    if (cached !== undefined) return cached;
    const entry = await this.options.keyspace.get(definitionKey(view), this.options.consistency);
    if (entry === undefined) return undefined;
    const definition = decodeDefinition(view, entry);
    this.cache.set(view, definition);
    return definition;
  }

  /** The definition; throws UnknownViewError when there is no such view. */
  async get(view: string): Promise<ViewDefinition> {
    const definition = await this.find(view);
    if (definition === undefined) throw new UnknownViewError(view);
    return definition;
  }
}
