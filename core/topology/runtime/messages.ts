/**
 * What tasks send each other besides tuples: the at-least-once protocol between emitting tasks,
 * acker tasks and spout tasks (Storm's __ack_init / __ack_ack / __ack_fail streams, and the
 * acker's answers to the spout). Small records moved in batches like tuples.
 */
import type { FailureReason } from '../acker/acker.js';

export const enum AckerMessageKind {
  Init = 0,
  Ack = 1,
  Fail = 2,
}

export interface AckerMessage {
  readonly kind: AckerMessageKind;
  readonly rootId: number;
  /** Init: XOR of the spout tuple's edges; Ack: the bolt's XOR delta; Fail: 0. */
  readonly xor: number;
  /** Init only: the spout task waiting for the tree. */
  readonly spoutTaskId: number;
}

export type SpoutEvent =
  | { readonly kind: 'complete'; readonly rootId: number; readonly latencyMs: number }
  | { readonly kind: 'failed'; readonly rootId: number; readonly reason: FailureReason };
