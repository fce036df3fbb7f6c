/**
 * Turns one server's answers into values comparable with another server's: zxids become tokens
 * in first-seen order (z0, z1, ...), with their relative order recorded when a new one appears;
 * times are checked for consistency (one time per zxid, later zxids never earlier) instead of
 * compared; session ids become the acting session's index; paths lose the sequence root.
 */
import type { ACL, Stat } from '../../../core/coord/tree/types.js';
import { INCLUDE_KNOWN_DIVERGENCES } from './operations.js';

export type NormalisedStat = Record<string, string | number>;

/** Times more than this far from the test's clock are reported as anomalies. */
const CLOCK_SLACK_MS = 120_000;

export class Normaliser {
  private readonly zxidTokens = new Map<bigint, string>();
  private readonly zxidTimes = new Map<bigint, number>();
  private newZxids = false;
  private readonly anomalies: string[] = [];

  constructor(
    private readonly root: string,
    private readonly sessionIds: Array<bigint | undefined>,
  ) {}

  path(path: string): string {
    if (path === this.root) return 'R';
    return path.startsWith(`${this.root}/`) ? `R${path.slice(this.root.length)}` : path;
  }

  private zxid(zxid: bigint): string {
    let token = this.zxidTokens.get(zxid);
    if (token === undefined) {
      token = `z${this.zxidTokens.size}`;
      this.zxidTokens.set(zxid, token);
      this.newZxids = true;
    }
    return token;
  }

  private time(zxid: bigint, timeMs: number, field: string): void {
    const known = this.zxidTimes.get(zxid);
    if (known !== undefined && known !== timeMs) this.anomalies.push(`${field} ${timeMs} differs from ${known}, seen before for the same zxid`);
    if (Math.abs(timeMs - Date.now()) > CLOCK_SLACK_MS) this.anomalies.push(`${field} ${timeMs} is far from now (${Date.now()})`);
    this.zxidTimes.set(zxid, timeMs);
    for (const [other, otherTime] of this.zxidTimes) {
      if ((other < zxid && otherTime > timeMs) || (other > zxid && otherTime < timeMs)) {
        this.anomalies.push(`${field} ${timeMs} (${this.zxid(zxid)}) out of order with ${otherTime} (${this.zxid(other)})`);
      }
    }
  }

  private owner(sessionId: bigint): string | number {
    if (sessionId === 0n) return 0;
    const index = this.sessionIds.indexOf(sessionId);
    return index >= 0 ? `session${index}` : `foreign:${sessionId.toString(16)}`;
  }

  stat(stat: Stat): NormalisedStat {
    this.time(stat.czxid, stat.ctime, 'ctime');
    this.time(stat.mzxid, stat.mtime, 'mtime');
    return {
      czxid: this.zxid(stat.czxid),
      mzxid: this.zxid(stat.mzxid),
      pzxid: this.zxid(stat.pzxid),
      version: stat.version,
      cversion: stat.cversion,
      aversion: stat.aversion,
      ephemeralOwner: this.owner(stat.ephemeralOwner),
      dataLength: stat.dataLength,
      numChildren: stat.numChildren,
    };
  }

  acl(acls: ACL[]): string[] {
    const entries = acls.map((acl) => `${acl.id.scheme}:${acl.id.id}=${acl.perms}`);
    // TODO(known divergence 4): for an "auth" ACL ZooKeeper lists the creator's ids in the
    // iteration order of its authInfo hash set; Barista lists them in the order they were added.
    return INCLUDE_KNOWN_DIVERGENCES ? entries : entries.sort();
  }

  /** The zxid tokens seen so far in increasing zxid order, when a new zxid appeared since the last call. */
  takeZxidOrder(): string | undefined {
    if (!this.newZxids) return undefined;
    this.newZxids = false;
    return [...this.zxidTokens.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, token]) => token)
      .join('<');
  }

  takeAnomalies(): string[] | undefined {
    return this.anomalies.length === 0 ? undefined : this.anomalies.splice(0);
  }
}
