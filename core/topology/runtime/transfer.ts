/**
 * The outbox of one task: tuples to other tasks and messages to acker tasks, buffered per receiver
 * and handed over in batches — when a batch is full, at the end of the task's turn, or (for emits
 * and acks made outside a turn, from a callback) at the scheduler's next pass.
 */
import type { RuntimeTuple } from '../api/tuple.js';
import type { AckerMessage } from './messages.js';
import type { RuntimeHost } from './runtime-host.js';

export class Transfer {
  private readonly tuples = new Map<number, RuntimeTuple[]>();
  private readonly ackerMessages = new Map<number, AckerMessage[]>();
  /** True while the owning task runs a turn (its turn ends with a flush). */
  inTurn = false;
  private flushRequested = false;

  constructor(
    private readonly host: RuntimeHost,
    private readonly batchSize: number,
  ) {}

  sendTuple(taskId: number, tuple: RuntimeTuple): void {
    let batch = this.tuples.get(taskId);
    if (batch === undefined) {
      batch = [];
      this.tuples.set(taskId, batch);
    }
    batch.push(tuple);
    if (batch.length >= this.batchSize) {
      this.tuples.delete(taskId);
      this.host.deliverTuples(taskId, batch);
    }
    if (!this.inTurn) this.requestFlush();
  }

  sendToAcker(message: AckerMessage): void {
    const ackerTaskIds = this.host.ackerTaskIds;
    // Low bits of a random id are uniform: spread trees over the acker tasks.
    const ackerTaskId = ackerTaskIds[(message.rootId >>> 0) % ackerTaskIds.length] as number;
    let batch = this.ackerMessages.get(ackerTaskId);
    if (batch === undefined) {
      batch = [];
      this.ackerMessages.set(ackerTaskId, batch);
    }
    batch.push(message);
    if (batch.length >= this.batchSize) {
      this.ackerMessages.delete(ackerTaskId);
      this.host.deliverAckerMessages(ackerTaskId, batch);
    }
    if (!this.inTurn) this.requestFlush();
  }

  flush(): void {
    this.flushRequested = false;
    if (this.tuples.size > 0) {
      for (const [taskId, batch] of this.tuples) this.host.deliverTuples(taskId, batch);
      this.tuples.clear();
    }
    if (this.ackerMessages.size > 0) {
      for (const [taskId, batch] of this.ackerMessages) this.host.deliverAckerMessages(taskId, batch);
      this.ackerMessages.clear();
    }
  }

  private requestFlush(): void {
    if (this.flushRequested) return;
    this.flushRequested = true;
    this.host.requestFlush(this);
  }
}
