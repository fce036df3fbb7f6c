/**
 * This node's share of the data: what it stores as one of a key's N replicas, and its Paxos
 * acceptor state per key. Both live in Bitcask stores (data/ and paxos/ under the data dir).
 *
 * Guarantees:
 * - A write merges the incoming copy with the stored one (last-write-wins by HLC, or dotted
 *   version vectors) and stores the merge, so replicas converge whatever order copies arrive in.
 * - Operations on one key run one at a time (read-merge-write and Paxos steps are never
 *   interleaved); different keys run concurrently.
 * - Paxos acceptor state is persisted before the reply that depends on it leaves (a promise must
 *   survive a crash); a commit applies its value to the data as an LWW write.
 * - An index of keys per ring partition lets SCAN and range streaming walk one partition
 *   without reading every key.
 */
import { join } from 'node:path';
import { decodeVersionedValue, encodeVersionedValue, mergeAll, resolve, type VersionedValue } from '../quorum/index.js';
import { decodeAcceptorState, EMPTY_ACCEPTOR_STATE, encodeAcceptorState, handleCommit, handlePrepare, handlePropose, type AcceptorState, type Ballot, type PrepareReply, type Proposal, type ProposeReply } from '../paxos/index.js';
import { BitcaskStore, type FsyncPolicy } from '../storage/index.js';
import { decodeCasValue } from './cas-value.js';

export interface LocalReplicaOptions {
  fsync?: FsyncPolicy;
}

/** Decoded copies kept in memory for reads and for the merge every write does (most recent first out last). */
export const VALUE_CACHE_ENTRIES = 100_000;
/** Values larger than this are not cached (they would crowd out everything else). */
export const MAX_CACHED_VALUE_BYTES = 64 * 1024;

interface PendingWrite {
  merged: VersionedValue;
  done: Promise<VersionedValue>;
}

export class LocalReplica {
  private readonly keyQueues = new Map<string, Promise<unknown>>();
  private readonly partitionKeys = new Map<number, Set<string>>();
  /** Insertion-ordered: re-inserting on use makes the first entry the least recently used. */
  private readonly cache = new Map<string, VersionedValue | null>();
  /** Writes to a key that arrived while an earlier one was being stored: merged, stored together. */
  private readonly pendingWrites = new Map<string, PendingWrite>();

  private constructor(
    private readonly data: BitcaskStore,
    private readonly paxos: BitcaskStore,
    private readonly partitionOf: (key: Buffer) => number,
  ) {
    for (const key of data.keys()) this.indexKey(key);
  }

  static async open(dataDir: string, partitionOf: (key: Buffer) => number, options: LocalReplicaOptions = {}): Promise<LocalReplica> {
    const fsync = options.fsync ?? 'interval';
    const data = await BitcaskStore.open(join(dataDir, 'data'), { fsync });
    // Acceptor promises must survive a crash, or a restarted acceptor could break Paxos.
    const paxos = await BitcaskStore.open(join(dataDir, 'paxos'), { fsync: 'always' });
    return new LocalReplica(data, paxos, partitionOf);
  }

  get keyCount(): number {
    return this.data.size;
  }

  async read(key: Buffer): Promise<VersionedValue | undefined> {
    const id = key.toString('latin1');
    const cached = this.cache.get(id);
    if (cached !== undefined) {
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached ?? undefined;
    }
    if (!this.data.has(key)) return undefined;
    const bytes = await this.data.get(key);
    const value = bytes === undefined ? undefined : decodeVersionedValue(bytes);
    if (bytes !== undefined && bytes.length <= MAX_CACHED_VALUE_BYTES) this.remember(id, value);
    return value;
  }

  /**
   * Merges `incoming` into the stored copy; resolves with the stored result once it is written.
   * Writes to one key that queue up behind a write in progress are merged in memory and stored
   * as one (a hot key costs one disk write per round, not one per client).
   */
  write(key: Buffer, incoming: VersionedValue): Promise<VersionedValue> {
    const id = key.toString('latin1');
    const pending = this.pendingWrites.get(id);
    if (pending) {
      pending.merged = mergeAll([pending.merged, incoming])!;
      return pending.done;
    }
    const entry: PendingWrite = { merged: incoming, done: Promise.resolve(incoming) };
    entry.done = this.serialized(key, () => {
      // From here on, later writes start a new batch.
      if (this.pendingWrites.get(id) === entry) this.pendingWrites.delete(id);
      return this.mergeAndStore(key, entry.merged);
    });
    this.pendingWrites.set(id, entry);
    return entry.done;
  }

  prepare(key: Buffer, ballot: Ballot): Promise<{ reply: PrepareReply; stored: VersionedValue | undefined }> {
    return this.serialized(key, async () => {
      const step = handlePrepare(await this.acceptorState(key), ballot);
      if (step.changed) await this.paxos.put(key, encodeAcceptorState(step.state));
      return { reply: step.reply, stored: await this.read(key) };
    });
  }

  propose(key: Buffer, proposal: Proposal): Promise<ProposeReply> {
    return this.serialized(key, async () => {
      const step = handlePropose(await this.acceptorState(key), proposal);
      if (step.changed) await this.paxos.put(key, encodeAcceptorState(step.state));
      return step.reply;
    });
  }

  commit(key: Buffer, proposal: Proposal): Promise<void> {
    return this.serialized(key, async () => {
      const step = handleCommit(await this.acceptorState(key), proposal);
      // The value first: a crash between the two replays the commit, which is idempotent.
      if (step.apply && proposal.value !== null) await this.mergeAndStore(key, decodeCasValue(proposal.value));
      if (step.changed) await this.paxos.put(key, encodeAcceptorState(step.state));
    });
  }

  /** Every key stored here that hashes into ring partition `partition`, tombstones included (anti-entropy and
   * rebalancing must copy deletes too, or a replica that missed one would bring the key back). */
  keysInPartition(partition: number): Buffer[] {
    return [...(this.partitionKeys.get(partition) ?? [])].map((id) => Buffer.from(id, 'latin1'));
  }

  /** Keys stored here that hash into ring partition `partition` and hold a live value now. */
  async liveKeysInPartition(partition: number, nowMs = Date.now()): Promise<Buffer[]> {
    const live: Buffer[] = [];
    for (const id of this.partitionKeys.get(partition) ?? []) {
      const key = Buffer.from(id, 'latin1');
      const copy = await this.read(key);
      if (copy === undefined) continue;
      const result = resolve(copy, nowMs);
      if (result.mode === 'lww' ? result.value !== undefined : result.values.length > 0) live.push(key);
    }
    return live;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.keyQueues.values()]);
    await this.data.close();
    await this.paxos.close();
  }

  private async mergeAndStore(key: Buffer, incoming: VersionedValue): Promise<VersionedValue> {
    const merged = mergeAll([await this.read(key), incoming])!;
    const bytes = encodeVersionedValue(merged);
    await this.data.put(key, bytes);
    const id = key.toString('latin1');
    if (bytes.length <= MAX_CACHED_VALUE_BYTES) this.remember(id, merged);
    else this.cache.delete(id);
    this.indexKey(key);
    return merged;
  }

  private remember(id: string, value: VersionedValue | undefined): void {
    this.cache.delete(id);
    this.cache.set(id, value ?? null);
    if (this.cache.size > VALUE_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }

  private async acceptorState(key: Buffer): Promise<AcceptorState> {
    const bytes = await this.paxos.get(key);
    return bytes === undefined ? EMPTY_ACCEPTOR_STATE : decodeAcceptorState(bytes);
  }

  private indexKey(key: Buffer): void {
    const partition = this.partitionOf(key);
    let keys = this.partitionKeys.get(partition);
    if (!keys) this.partitionKeys.set(partition, (keys = new Set()));
    keys.add(key.toString('latin1'));
  }

  private serialized<T>(key: Buffer, operation: () => Promise<T>): Promise<T> {
    const id = key.toString('latin1');
    const previous = this.keyQueues.get(id) ?? Promise.resolve();
    const run = previous.then(operation, operation);
    const settled = run.catch(() => undefined);
    this.keyQueues.set(id, settled);
    void settled.then(() => {
      if (this.keyQueues.get(id) === settled) this.keyQueues.delete(id);
    });
    return run;
  }
}
