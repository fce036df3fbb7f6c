/** A mistake in `barista dev`'s input or environment: shown as one line, exit non-zero. */
export class DevError extends Error {
  readonly code = 'DEV';
  constructor(message: string) {
    super(message);
    this.name = 'DevError';
  }
}
