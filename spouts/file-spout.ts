/**
 * Tails a text file line by line, as `tail -f` would: lines appended while the topology runs are
 * read as they arrive, and a last line without its newline waits until the newline is written.
 * Every line is emitted reliably with its byte offset as message id; a failed line is emitted
 * again. The checkpoint is the byte offset below which every line is acked (OffsetTracker); it is
 * written atomically (temp file, fsync, rename) every `checkpointIntervalMs` and on close, and
 * open resumes from it. So after a crash the lines between the checkpoint and the crash are read
 * again (at-least-once), and none is lost.
 *
 * One task reads one file: a byte stream has no partitions to share, so parallelism must be 1.
 * Truncation or rotation of the file is not detected (a rotated file needs a new spout).
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ResolvedConfig } from '../core/topology/api/config.js';
import type { TopologyContext } from '../core/topology/api/context.js';
import { InvalidConfigError } from '../core/topology/api/errors.js';
import { BaseRichSpout, type SpoutOutputCollector } from '../core/topology/api/spout.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { readJsonFile, writeFileAtomically } from './atomic-file.js';
import { SpoutError, checkIntegerOption } from './errors.js';
import { DEFAULT_CHECKPOINT_INTERVAL_MS, DEFAULT_EMITS_PER_NEXT_TUPLE, DEFAULT_MAX_PENDING_LINES, FILE_READ_CHUNK_BYTES, MAX_CHECKPOINT_INTERVAL_MS, MAX_EMITS_PER_NEXT_TUPLE, MAX_LINE_BYTES, MAX_PENDING_OFFSETS, MIN_CHECKPOINT_INTERVAL_MS } from './limits.js';
import { OffsetTracker } from './offset-tracker.js';
import { monotonicNowMs } from '../core/clock/monotonic-clock.js';

const NEWLINE = 0x0a;
const FILE = 0;

export interface FileSpoutOptions {
  readonly path: string;
  /** Default `${path}.checkpoint`. */
  readonly checkpointPath?: string;
  /** Default 1000. */
  readonly checkpointIntervalMs?: number;
  /** Lines emitted and not yet below the checkpoint; at the limit reading pauses. Default 10 000. */
  readonly maxPendingLines?: number;
  /** Default 64. */
  readonly emitsPerCall?: number;
  /** Default ['line']. */
  readonly fields?: readonly string[];
  /** Line (without its newline) → values; default [line]. */
  readonly toValues?: (line: string, offset: number) => readonly unknown[];
}

interface Line {
  offset: number;
  nextOffset: number;
  text: string;
}

interface Checkpoint {
  path: string;
  offset: number;
}

/** Per-task state, created in open. */
interface TailState {
  collector: SpoutOutputCollector;
  tracker: OffsetTracker;
  handle: FileHandle | undefined;
  /** File position of the next read. */
  readPosition: number;
  /** Bytes after the last newline read so far (a line still being written). */
  partial: Buffer;
  ready: Line[];
  /** Emitted, not acked: kept to emit again on fail. */
  inFlight: Map<number, Line>;
  replay: number[];
  checkpointed: number;
  /** Monotonic clock: a stepped wall clock must not hold back (or hurry) the next checkpoint. */
  checkpointedAtMs: number;
}

export async function readFileCheckpoint(checkpointPath: string): Promise<number | undefined> {
  const content = await readJsonFile(checkpointPath);
  if (content === undefined) return undefined;
  const offset = (content as Partial<Checkpoint> | null)?.offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new SpoutError('CHECKPOINT_CORRUPT', `${checkpointPath} holds no byte offset (${JSON.stringify(content)}); delete it to read the file from the start`);
  }
  return offset;
}

export class FileSpout extends BaseRichSpout<number> {
  private tail: TailState | undefined;

  constructor(private readonly options: FileSpoutOptions) {
    super();
    if (typeof options.path !== 'string' || options.path.length === 0) throw new InvalidConfigError('FileSpout.path', options.path, 'the path of a text file');
    checkIntegerOption('FileSpout.checkpointIntervalMs', options.checkpointIntervalMs, MIN_CHECKPOINT_INTERVAL_MS, MAX_CHECKPOINT_INTERVAL_MS);
    checkIntegerOption('FileSpout.maxPendingLines', options.maxPendingLines, 1, MAX_PENDING_OFFSETS);
    checkIntegerOption('FileSpout.emitsPerCall', options.emitsPerCall, 1, MAX_EMITS_PER_NEXT_TUPLE);
  }

  get checkpointPath(): string {
    return this.options.checkpointPath ?? `${this.options.path}.checkpoint`;
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(this.options.fields ?? ['line']);
  }

  async open(_config: ResolvedConfig, context: TopologyContext, collector: SpoutOutputCollector): Promise<void> {
    if (context.componentTaskIds.length > 1) {
      throw new InvalidConfigError(`${context.componentId}.parallelism`, context.componentTaskIds.length, '1: a file spout reads one file with one task');
    }
    const start = (await readFileCheckpoint(this.checkpointPath)) ?? 0;
    const tracker = new OffsetTracker(this.options.maxPendingLines ?? DEFAULT_MAX_PENDING_LINES);
    tracker.assign(FILE, start);
    this.tail = { collector, tracker, handle: undefined, readPosition: start, partial: Buffer.alloc(0), ready: [], inFlight: new Map(), replay: [], checkpointed: start, checkpointedAtMs: monotonicNowMs() };
  }

  async nextTuple(): Promise<void> {
    const tail = this.tail;
    if (tail === undefined) return;
    const limit = this.options.emitsPerCall ?? DEFAULT_EMITS_PER_NEXT_TUPLE;
    let emits = 0;
    while (emits < limit && tail.replay.length > 0) {
      const line = tail.inFlight.get(tail.replay.shift()!);
      if (line !== undefined) this.emit(tail, line);
      emits += 1;
    }
    while (emits < limit && !tail.tracker.isFull(FILE)) {
      if (tail.ready.length === 0 && !(await this.readLines(tail))) break;
      const line = tail.ready.shift()!;
      tail.tracker.emitted(FILE, line.offset, line.nextOffset);
      tail.inFlight.set(line.offset, line);
      this.emit(tail, line);
      emits += 1;
    }
    if (monotonicNowMs() - tail.checkpointedAtMs >= (this.options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS)) await this.checkpoint();
  }

  override ack(offset: number): void {
    const tail = this.tail;
    if (tail === undefined || !tail.tracker.acked(FILE, offset)) return;
    tail.inFlight.delete(offset);
  }

  override fail(offset: number): void {
    const tail = this.tail;
    if (tail === undefined || !tail.tracker.isUnacked(FILE, offset)) return;
    tail.replay.push(offset);
  }

  /** Writes the checkpoint now if it moved (nextTuple does so every checkpointIntervalMs). */
  async checkpoint(): Promise<void> {
    const tail = this.tail;
    if (tail === undefined) return;
    tail.checkpointedAtMs = monotonicNowMs();
    const offset = tail.tracker.committable(FILE);
    if (offset === tail.checkpointed) return;
    const checkpoint: Checkpoint = { path: this.options.path, offset };
    await writeFileAtomically(this.checkpointPath, JSON.stringify(checkpoint));
    tail.checkpointed = offset;
  }

  override async close(): Promise<void> {
    const tail = this.tail;
    if (tail === undefined) return;
    await this.checkpoint();
    await tail.handle?.close();
    this.tail = undefined;
  }

  private emit(tail: TailState, line: Line): void {
    const values = this.options.toValues?.(line.text, line.offset) ?? [line.text];
    tail.collector.emit(values, line.offset);
  }

  /** Reads on until at least one whole line is ready; false when the file has nothing new (yet). */
  private async readLines(tail: TailState): Promise<boolean> {
    if (tail.handle === undefined) {
      try {
        tail.handle = await open(this.options.path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false; // not created yet
        throw error;
      }
    }
    const chunk = Buffer.allocUnsafe(FILE_READ_CHUNK_BYTES);
    while (tail.ready.length === 0) {
      const { bytesRead } = await tail.handle.read(chunk, 0, chunk.length, tail.readPosition);
      if (bytesRead === 0) return false;
      tail.readPosition += bytesRead;
      this.splitLines(tail, Buffer.concat([tail.partial, chunk.subarray(0, bytesRead)]));
    }
    return true;
  }

  private splitLines(tail: TailState, data: Buffer): void {
    const dataOffset = tail.readPosition - data.length;
    let start = 0;
    for (let newline = data.indexOf(NEWLINE); newline !== -1; newline = data.indexOf(NEWLINE, start)) {
      const end = newline > start && data[newline - 1] === 0x0d ? newline - 1 : newline;
      tail.ready.push({ offset: dataOffset + start, nextOffset: dataOffset + newline + 1, text: data.toString('utf8', start, end) });
      start = newline + 1;
    }
    tail.partial = Buffer.from(data.subarray(start));
    if (tail.partial.length > MAX_LINE_BYTES) {
      throw new SpoutError('LINE_TOO_LONG', `${this.options.path}: the line at byte ${dataOffset + start} is longer than ${MAX_LINE_BYTES} bytes without a newline; is this a text file?`);
    }
  }
}
