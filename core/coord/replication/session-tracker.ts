/**
 * Session liveness, as the leader sees it: each session has a deadline pushed forward by every
 * packet or ping; a session past its deadline is expired (by a replicated closeSession, which the
 * caller proposes). Pure: the caller supplies the time.
 */
export class SessionTracker {
  private readonly deadlines = new Map<bigint, { timeoutMs: number; deadlineMs: number }>();

  touch(sessionId: bigint, timeoutMs: number, nowMs: number): void {
    this.deadlines.set(sessionId, { timeoutMs, deadlineMs: nowMs + timeoutMs });
  }

  /** Touch only if known, keeping its timeout (a ping for a session this server tracks). */
  renew(sessionId: bigint, nowMs: number): boolean {
    const entry = this.deadlines.get(sessionId);
    if (entry === undefined) return false;
    entry.deadlineMs = nowMs + entry.timeoutMs;
    return true;
  }

  remove(sessionId: bigint): void {
    this.deadlines.delete(sessionId);
  }

  has(sessionId: bigint): boolean {
    return this.deadlines.has(sessionId);
  }

  /** Sessions whose deadline has passed, oldest first; they stay tracked until removed. */
  expired(nowMs: number): bigint[] {
    const expired: Array<[bigint, number]> = [];
    for (const [sessionId, { deadlineMs }] of this.deadlines) if (deadlineMs <= nowMs) expired.push([sessionId, deadlineMs]);
    return expired.sort((a, b) => a[1] - b[1]).map(([sessionId]) => sessionId);
  }

  get size(): number {
    return this.deadlines.size;
  }
}
