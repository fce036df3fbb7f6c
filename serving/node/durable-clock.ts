/**
 * The node's hybrid logical clock, kept from going back across a restart. Its stamps order every
 * write to a key (last write wins), and they may run ahead of the wall clock: after the wall clock
 * was stepped back, or after a compare-and-set outstamped a copy from a node whose clock is fast.
 * A restarted node whose clock started again from the wall clock would stamp its next writes below
 * its own earlier ones, and those acknowledged writes would lose to older values.
 *
 * So a ceiling is kept in `<dataDir>/clock-ceiling`: before a stamp past it is handed out, the
 * ceiling moves CLOCK_CEILING_STEP_MS beyond the stamp (one small file write a second at most), and
 * a restarted node starts its clock at the stored ceiling. The price: just after a crash, a node
 * may stamp up to CLOCK_CEILING_STEP_MS ahead of its wall clock.
 *
 * The file is written aside and renamed over, so a crash leaves the old ceiling or the new one. It
 * is not fsynced: it outlives a killed process (the page cache keeps it), which is what skews and
 * crashes together need; losing it in a power cut as well is a double fault.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HybridLogicalClock, type HlcTimestamp, type PhysicalClockMs } from '../../core/clock/hybrid-logical-clock.js';

/** How far past a stamp the stored ceiling moves: the most a restarted node runs ahead of its wall clock. */
export const CLOCK_CEILING_STEP_MS = 1_000;
const CEILING_FILE = 'clock-ceiling';

export class ClockCeilingCorruptError extends Error {
  readonly code = 'CLOCK_CEILING_CORRUPT';
  constructor(
    readonly path: string,
    readonly content: string,
  ) {
    super(`${path} holds '${content.slice(0, 40)}', not a whole number of milliseconds; delete it to start the clock from the wall clock (writes stamped before may then lose to older ones for as long as the clock had run ahead)`);
    this.name = 'ClockCeilingCorruptError';
  }
}

export class DurableHybridLogicalClock extends HybridLogicalClock {
  readonly #path: string;
  #ceilingMs: number;

  private constructor(path: string, ceilingMs: number, physicalClockMs: PhysicalClockMs) {
    super({ physicalClockMs, ...(ceilingMs > 0 ? { initial: { wallMs: ceilingMs, logical: 0 } } : {}) });
    this.#path = path;
    this.#ceilingMs = ceilingMs;
  }

  /** The clock of the node whose data lives in `dataDir`, starting at its stored ceiling if any. */
  static open(dataDir: string, physicalClockMs: PhysicalClockMs = Date.now): DurableHybridLogicalClock {
    const path = join(dataDir, CEILING_FILE);
    return new DurableHybridLogicalClock(path, readCeiling(path), physicalClockMs);
  }

  /** The stored ceiling: no stamp handed out so far is past it. */
  get ceilingMs(): number {
    return this.#ceilingMs;
  }

  override now(): HlcTimestamp {
    return this.#belowCeiling(super.now());
  }

  override update(received: HlcTimestamp): HlcTimestamp {
    return this.#belowCeiling(super.update(received));
  }

  #belowCeiling(timestamp: HlcTimestamp): HlcTimestamp {
    if (timestamp.wallMs >= this.#ceilingMs) {
      const ceilingMs = timestamp.wallMs + CLOCK_CEILING_STEP_MS;
      const staged = `${this.#path}.next`;
      writeFileSync(staged, `${ceilingMs}\n`);
      renameSync(staged, this.#path);
      this.#ceilingMs = ceilingMs;
    }
    return timestamp;
  }
}

function readCeiling(path: string): number {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const ceilingMs = Number(content.trim());
  if (!Number.isSafeInteger(ceilingMs) || ceilingMs < 0 || content.trim() === '') throw new ClockCeilingCorruptError(path, content);
  return ceilingMs;
}
