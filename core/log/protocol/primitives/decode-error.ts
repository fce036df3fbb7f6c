/**
 * The one error a decoder throws: the bytes do not form the message their header announced.
 * A broker answers it by closing (or answering INVALID_REQUEST on) that one connection and keeps
 * serving everyone else; it never indicates a bug in the broker itself.
 */
export class KafkaDecodeError extends Error {
  readonly code = 'KAFKA_DECODE';
  constructor(
    /** What was being read ("int32", "compact string", "Fetch v11 request", ...). */
    readonly field: string,
    /** Byte offset in the buffer where the read started. */
    readonly offset: number,
    detail: string,
  ) {
    super(`cannot decode ${field} at byte ${offset}: ${detail}`);
    this.name = 'KafkaDecodeError';
  }
}
