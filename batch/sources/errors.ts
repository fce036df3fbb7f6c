/**
 * Typed errors of the batch sources (text files, log snapshots). Each carries a code, the
 * offending file/offset or topic/partition/offset, and what to do.
 */

export type SourceErrorCode =
  | 'INVALID_SOURCE_OPTION'
  | 'FILE_NOT_FOUND'
  | 'NOT_A_FILE'
  | 'LINE_TOO_LONG'
  | 'TOPIC_NOT_FOUND'
  | 'LIST_OFFSETS_FAILED'
  | 'CHECKPOINT_OUT_OF_RANGE'
  | 'LOG_READ_FAILED'
  | 'LOG_READ_STALLED';

export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option outside its documented range. */
export class InvalidSourceOptionError extends SourceError {
  declare readonly code: 'INVALID_SOURCE_OPTION';
  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super('INVALID_SOURCE_OPTION', `option ${option} must be ${expected}, got ${String(value)}`);
  }
}

/** A path that does not exist (or cannot be read), or is neither a regular file nor a directory. */
export class SourceFileError extends SourceError {
  declare readonly code: 'FILE_NOT_FOUND' | 'NOT_A_FILE';
  constructor(
    code: 'FILE_NOT_FOUND' | 'NOT_A_FILE',
    readonly path: string,
    cause?: unknown,
  ) {
    const reason = code === 'FILE_NOT_FOUND' ? 'does not exist or cannot be read' : 'is neither a regular file nor a directory';
    super(code, `text source ${path} ${reason}; pass existing files or directories`, { cause });
  }
}

/** A line longer than the limit: usually a binary file or a file without newlines. */
export class LineTooLongError extends SourceError {
  declare readonly code: 'LINE_TOO_LONG';
  constructor(
    readonly path: string,
    readonly lineStartOffset: number,
    readonly maxLineBytes: number,
  ) {
    super('LINE_TOO_LONG', `${path}: the line starting at byte ${lineStartOffset} is longer than ${maxLineBytes} bytes; is it a text file? (raise maxLineBytes for longer lines)`);
  }
}

/** A log topic, partition or offset the snapshot cannot read. */
export class LogSourceError extends SourceError {
  constructor(
    code: 'TOPIC_NOT_FOUND' | 'LIST_OFFSETS_FAILED' | 'CHECKPOINT_OUT_OF_RANGE' | 'LOG_READ_FAILED' | 'LOG_READ_STALLED',
    readonly topic: string,
    readonly partition: number | undefined,
    message: string,
    cause?: unknown,
  ) {
    const where = partition === undefined ? topic : `${topic}[${partition}]`;
    super(code, `log snapshot of ${where}: ${message}`, { cause });
  }
}
