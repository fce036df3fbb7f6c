/**
 * The collector a windowed bolt's execute gets: emits without anchors are anchored to every tuple
 * of the window being executed (Storm's windowed collector does the same), so a failure downstream
 * replays the inputs the result was computed from. Acks are the executor's job (on expiry), so
 * `ack` here does nothing; `fail` marks the tuple to be failed, instead of acked, when it expires.
 */
import type { Anchors, OutputCollector } from '../api/bolt.js';
import type { Tuple } from '../api/tuple.js';
import type { TupleWindow } from './window.js';

export class WindowAnchoringCollector implements OutputCollector {
  constructor(
    private readonly delegate: OutputCollector,
    private readonly window: TupleWindow,
    private readonly markFailed: (tuple: Tuple) => void,
  ) {}

  emit(anchors: Anchors, values: readonly unknown[]): number {
    return this.delegate.emit(this.anchorsFor(anchors), values);
  }

  emitStream(streamId: string, anchors: Anchors, values: readonly unknown[]): number {
    return this.delegate.emitStream(streamId, this.anchorsFor(anchors), values);
  }

  emitDirect(taskId: number, anchors: Anchors, values: readonly unknown[], streamId?: string): number {
    return this.delegate.emitDirect(taskId, this.anchorsFor(anchors), values, streamId);
  }

  ack(_input: Tuple): void {
    // The executor acks each tuple when it leaves its last window.
  }

  fail(input: Tuple): void {
    this.markFailed(input);
  }

  reportError(error: unknown): void {
    this.delegate.reportError(error);
  }

  private anchorsFor(anchors: Anchors): Anchors {
    return anchors ?? this.window.get();
  }
}
