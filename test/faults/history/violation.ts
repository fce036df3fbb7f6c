/** A guarantee a history breaks, with the operations that show it. */
export type ViolationKind =
  /** Two reports (acknowledged writes or reads) of one version disagree on its value or mzxid. */
  | 'version-conflict'
  /** Two acknowledged CAS operations got the same new version. */
  | 'duplicate-version'
  /** An acknowledged CAS on version k did not produce version k + 1. */
  | 'cas-version'
  /** A value appeared that no invoked CAS (or a CAS that definitely failed) wrote at that version. */
  | 'phantom-write'
  /** A read returned a write that had not been invoked when the read completed. */
  | 'read-before-write'
  /** A later version of a register carries a smaller mzxid than an earlier one. */
  | 'mzxid-order'
  /** Write A was acknowledged before write B was invoked, yet B's version is not above A's. */
  | 'real-time-order'
  /** A session read a version below one it had read before. */
  | 'non-monotonic-read'
  /** A session read a version below the one its own acknowledged write produced. */
  | 'stale-after-own-write'
  /** A session read a state older than a zxid it had already seen (on another register). */
  | 'zxid-regression'
  /** A read after sync missed a write acknowledged (or read) before the sync was invoked. */
  | 'stale-after-sync'
  /** The final reads of a register (one per server) disagree. */
  | 'final-disagreement'
  /** An acknowledged write is beyond the final version: it was lost. */
  | 'lost-write'
  /** A version up to the final one that no acknowledged or unknown CAS could have produced. */
  | 'chain-gap';

export interface Violation {
  kind: ViolationKind;
  message: string;
  /** Ids of the operations involved, for printing the history around them. */
  operations: number[];
}
