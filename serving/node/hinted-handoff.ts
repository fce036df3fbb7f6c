/**
 * Hinted handoff: writes this node took as a fallback for a replica that was down, kept in a
 * Bitcask store of their own (so they survive a restart) and handed to their intended node once
 * it is up again, as in Dynamo. A hint is merged with any earlier hint for the same node and key,
 * so the hint store holds at most one copy per pair. Hints past MAX_HINTS are refused: the write
 * then counts as failed on this fallback rather than filling the disk.
 *
 * Reads served by this node include the hints it holds for the key: a sloppy read that lands on
 * the same fallback as the sloppy write must see that write, or R + W > N means nothing while a
 * replica is down.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { decodeVersionedValue, encodeVersionedValue, mergeAll, type VersionedValue } from '../quorum/index.js';
import { BitcaskStore } from '../storage/index.js';
import type { ClusterIO } from './cluster-io.js';
import { encodePut } from './peer-messages.js';
import { PeerOp } from './peer-rpc.js';

export const MAX_HINTS = 1_000_000;
/** How often hints for nodes that are up again are replayed. */
export const HINT_REPLAY_INTERVAL_MS = 1_000;
/** Hints sent per replay round (bounded so a returning node is not flooded). */
export const HINT_REPLAY_BATCH = 500;

export class HintLimitError extends Error {
  readonly code = 'HINTS_FULL';
  constructor(readonly limit: number) {
    super(`this node already holds ${limit} hints; it cannot stand in for another replica until they are handed off`);
    this.name = 'HintLimitError';
  }
}

function hintKey(intended: string, key: Buffer): Buffer {
  const node = Buffer.from(intended, 'utf8');
  const prefix = Buffer.allocUnsafe(2);
  prefix.writeUInt16BE(node.length);
  return Buffer.concat([prefix, node, key]);
}

function splitHintKey(stored: Buffer): { intended: string; key: Buffer } {
  const length = stored.readUInt16BE(0);
  return { intended: stored.subarray(2, 2 + length).toString('utf8'), key: stored.subarray(2 + length) };
}

export class HintedHandoff {
  private timer: NodeJS.Timeout | undefined;
  private replaying = false;
  private io: ClusterIO | undefined;
  handedOff = 0;

  /** Intended nodes per hinted key (latin1), so a read finds a key's hints without a scan. */
  private readonly byKey = new Map<string, Set<string>>();

  private constructor(
    private readonly hintStore: BitcaskStore,
    private readonly logger: Logger,
  ) {
    for (const id of hintStore.keys()) this.index(id);
  }

  /** Every hinted copy of `key` held here, merged (undefined when there is none). */
  async valueFor(key: Buffer): Promise<VersionedValue | undefined> {
    const intended = this.byKey.get(key.toString('latin1'));
    if (intended === undefined) return undefined;
    const copies: VersionedValue[] = [];
    for (const node of intended) {
      const bytes = await this.hintStore.get(hintKey(node, key));
      if (bytes !== undefined) copies.push(decodeVersionedValue(bytes));
    }
    return mergeAll(copies);
  }

  private index(id: Buffer): void {
    const { intended, key } = splitHintKey(id);
    const name = key.toString('latin1');
    let nodes = this.byKey.get(name);
    if (!nodes) this.byKey.set(name, (nodes = new Set()));
    nodes.add(intended);
  }

  private unindex(intended: string, key: Buffer): void {
    const name = key.toString('latin1');
    const nodes = this.byKey.get(name);
    nodes?.delete(intended);
    if (nodes?.size === 0) this.byKey.delete(name);
  }

  static async open(dataDir: string, logger: Logger): Promise<HintedHandoff> {
    return new HintedHandoff(await BitcaskStore.open(join(dataDir, 'hints'), { fsync: 'interval' }), logger);
  }

  get pending(): number {
    return this.hintStore.size;
  }

  start(io: ClusterIO): void {
    this.io = io;
    this.timer = setInterval(() => void this.replay().catch((error: unknown) => this.logger.warn({ err: error }, 'hint replay failed; retrying next round')), HINT_REPLAY_INTERVAL_MS);
    this.timer.unref();
  }

  async store(intended: string, key: Buffer, value: VersionedValue): Promise<void> {
    const id = hintKey(intended, key);
    const existing = await this.hintStore.get(id);
    if (existing === undefined && this.hintStore.size >= MAX_HINTS) throw new HintLimitError(MAX_HINTS);
    const merged = mergeAll([existing === undefined ? undefined : decodeVersionedValue(existing), value])!;
    await this.hintStore.put(id, encodeVersionedValue(merged));
    this.index(id);
  }

  /** Sends hints to their intended nodes that are up; deletes each one its node acknowledged. */
  async replay(): Promise<number> {
    const io = this.io;
    if (!io || this.replaying || this.hintStore.size === 0) return 0;
    this.replaying = true;
    let sent = 0;
    try {
      for (const id of this.hintStore.keys()) {
        if (sent >= HINT_REPLAY_BATCH) break;
        const { intended, key } = splitHintKey(id);
        if (!io.isUp(intended) || intended === io.nodeId) continue;
        const bytes = await this.hintStore.get(id);
        if (bytes === undefined) continue;
        try {
          await io.call(intended, PeerOp.Put, key, encodePut(decodeVersionedValue(bytes)));
          // Delete only if no newer hint for the pair arrived meanwhile.
          const now = await this.hintStore.get(id);
          if (now !== undefined && now.equals(bytes)) {
            await this.hintStore.delete(id);
            this.unindex(intended, key);
          }
          sent++;
          this.handedOff++;
        } catch {
          // still unreachable: keep the hint for the next round
        }
      }
    } finally {
      this.replaying = false;
    }
    if (sent > 0) this.logger.info({ handedOff: sent, remaining: this.hintStore.size }, 'hints handed off');
    return sent;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.hintStore.close();
  }
}
