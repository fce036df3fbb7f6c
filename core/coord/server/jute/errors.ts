/** A packet that does not decode as the record its header announced. */
export class JuteDecodeError extends Error {
  readonly code = 'JUTE_DECODE';
  constructor(
    readonly field: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`cannot decode ${field} at byte ${offset}: ${detail}`);
    this.name = 'JuteDecodeError';
  }
}
