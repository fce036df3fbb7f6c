/**
 * A wall clock that a test can set off the real one, per process, while the process runs — with
 * no change to the product: libfaketime (Debian package `faketime`) is preloaded into the process
 * and reads its offset from a file on every clock call, so rewriting the file skews the clock at
 * once. Only the wall clock (CLOCK_REALTIME: Date.now, new Date) moves; monotonic time, and with it
 * Node's timers and performance.now(), is left alone, as when NTP steps a real machine's clock.
 */
import { access, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const LIBFAKETIME_PATH = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

export class FakeTimeMissingError extends Error {
  readonly code = 'FAKETIME_MISSING';
  constructor(readonly path: string) {
    super(`clock-skew faults need libfaketime at ${path}: apt-get install faketime (.ci/run installs it)`);
    this.name = 'FakeTimeMissingError';
  }
}

export class FakeClock {
  private constructor(
    private readonly offsetFile: string,
    private current: number,
  ) {}

  /** A clock at the real time whose offset lives in `directory`/`name`.clock-offset. */
  static async create(directory: string, name: string): Promise<FakeClock> {
    await access(LIBFAKETIME_PATH).catch(() => {
      throw new FakeTimeMissingError(LIBFAKETIME_PATH);
    });
    const clock = new FakeClock(join(directory, `${name}.clock-offset`), 0);
    await clock.setOffset(0);
    return clock;
  }

  /** The environment that puts a process started with it on this clock. */
  environment(): NodeJS.ProcessEnv {
    return {
      LD_PRELOAD: LIBFAKETIME_PATH,
      FAKETIME_TIMESTAMP_FILE: this.offsetFile,
      // Re-read on every call (a few µs), so a new offset holds from the moment the file is written.
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    };
  }

  get offsetMs(): number {
    return this.current;
  }

  /** Sets the clock `offsetMs` ahead of real time (negative: behind; 0: real time). */
  async setOffset(offsetMs: number): Promise<void> {
    if (!Number.isSafeInteger(offsetMs)) throw new RangeError(`a clock offset is a whole number of milliseconds, not ${offsetMs}`);
    // libfaketime's relative form: signed seconds, fractions allowed. Written aside and renamed
    // over, so a clock call never reads a half-written file (which it would take as no offset).
    const staged = `${this.offsetFile}.next`;
    await writeFile(staged, `${offsetMs < 0 ? '-' : '+'}${(Math.abs(offsetMs) / 1000).toFixed(3)}\n`);
    await rename(staged, this.offsetFile);
    this.current = offsetMs;
  }
}
