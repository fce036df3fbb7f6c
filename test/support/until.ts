/** Polling for state that has no event to await (a view in another process, a replica catching up). */

export class TimedOutWaitingError extends Error {
  readonly code = 'TIMED_OUT_WAITING';
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`);
    this.name = 'TimedOutWaitingError';
  }
}

/**
 * Polls `condition` every `intervalMs` until it holds. A condition that throws counts as "not
 * yet" (a server still restarting refuses the probe); the last error is kept in the timeout's cause.
 */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw Object.assign(new TimedOutWaitingError(what, timeoutMs), lastError === undefined ? {} : { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
