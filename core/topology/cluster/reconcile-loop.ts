/**
 * Runs a reconcile pass one at a time: on every trigger (a coord watch firing) and at least every
 * `intervalMs`. A trigger during a pass makes it run once more afterwards, so no change is missed
 * and passes never overlap.
 */
export class ReconcileLoop {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** A stable callback to hand to coord watches (the client keeps one per path, not one per pass). */
  readonly trigger = (): void => void this.schedule();

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs: number,
  ) {}

  start(): Promise<void> {
    this.timer = setInterval(this.trigger, this.intervalMs);
    return this.schedule();
  }

  /** Stops triggering and waits for a pass under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  schedule(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (error) {
          this.onError(error);
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
    return this.running;
  }
}
