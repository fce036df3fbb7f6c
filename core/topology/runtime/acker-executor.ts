/**
 * Runs one acker task: feeds init/ack/fail messages to the pure Acker and forwards its verdicts
 * (complete, failed) to the spout task waiting for each tree. Also expires trees older than the
 * message timeout, so an acker's memory is bounded even when a spout task is gone.
 */
import { Acker } from '../acker/acker.js';
import type { AckerEvent } from '../acker/acker.js';
import type { ComponentStats } from './component-stats.js';
import { Inbox } from './inbox.js';
import { AckerMessageKind, type AckerMessage, type SpoutEvent } from './messages.js';
import type { Executor, RuntimeHost } from './runtime-host.js';

export class AckerExecutor implements Executor {
  readonly inbox: Inbox<AckerMessage>;
  scheduled = false;
  private readonly acker: Acker;
  private readonly toSpouts = new Map<number, SpoutEvent[]>();

  constructor(
    readonly taskId: number,
    readonly componentId: string,
    private readonly batchSize: number,
    queueCapacity: number,
    private readonly stats: ComponentStats,
    private readonly host: RuntimeHost,
  ) {
    this.acker = new Acker();
    this.inbox = new Inbox(queueCapacity, (delta) => host.queueFullChanged(delta), () => host.markReady(this));
  }

  get hasWork(): boolean {
    return !this.inbox.isEmpty;
  }

  get pendingTrees(): number {
    return this.acker.pendingTrees;
  }

  runTurn(): boolean {
    const nowMs = this.host.nowMs();
    let handled = 0;
    for (; handled < this.batchSize * 4; handled++) {
      const message = this.inbox.take();
      if (message === undefined) break;
      this.forward(this.apply(message, nowMs));
    }
    this.stats.executed += handled;
    this.flush();
    return handled > 0;
  }

  expire(nowMs: number, timeoutMs: number): void {
    this.forward(this.acker.expire(nowMs, timeoutMs));
    this.flush();
  }

  close(): void {
    this.inbox.close();
  }

  private apply(message: AckerMessage, nowMs: number): AckerEvent[] {
    switch (message.kind) {
      case AckerMessageKind.Init:
        return this.acker.init(message.rootId, message.spoutTaskId, message.xor, nowMs);
      case AckerMessageKind.Ack:
        return this.acker.ack(message.rootId, message.xor, nowMs);
      case AckerMessageKind.Fail:
        return this.acker.fail(message.rootId);
    }
  }

  private forward(events: AckerEvent[]): void {
    for (const event of events) {
      let batch = this.toSpouts.get(event.spoutTaskId);
      if (batch === undefined) {
        batch = [];
        this.toSpouts.set(event.spoutTaskId, batch);
      }
      if (event.kind === 'complete') {
        this.stats.acked++;
        batch.push({ kind: 'complete', rootId: event.rootId, latencyMs: event.latencyMs });
      } else {
        this.stats.failed++;
        batch.push({ kind: 'failed', rootId: event.rootId, reason: event.reason });
      }
    }
  }

  private flush(): void {
    if (this.toSpouts.size === 0) return;
    for (const [spoutTaskId, batch] of this.toSpouts) this.host.deliverSpoutEvents(spoutTaskId, batch);
    this.toSpouts.clear();
  }
}
