import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createTickTuple, createTuple } from '../core/topology/api/index.js';
import { DEFAULT_STREAM_ID } from '../core/topology/builder/limits.js';
import { PrintSink } from './print-sink.js';

/** Keeps what is written; each write completes only when `release` is called, if `slow`. */
class MemoryWritable extends Writable {
  text = '';
  private pending: (() => void)[] = [];
  constructor(private readonly slow: boolean) {
    super({ highWaterMark: 1 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    if (this.slow) this.pending.push(() => callback());
    else callback();
  }
  release(): void {
    for (const done of this.pending.splice(0)) done();
  }
}

const tuple = (values: unknown[]) => createTuple('counter', DEFAULT_STREAM_ID, ['word', 'count'], values);

describe('print sink', () => {
  it('writes one JSON line per tuple by default, bigints as strings, skipping ticks', async () => {
    const out = new MemoryWritable(false);
    const sink = new PrintSink({ out });
    await sink.execute(tuple(['the', 3]));
    await sink.execute(createTickTuple());
    await sink.execute(tuple(['a', 12n]));
    expect(out.text).toBe('{"word":"the","count":3}\n{"word":"a","count":"12"}\n');
  });

  it('uses the given format', async () => {
    const out = new MemoryWritable(false);
    await new PrintSink({ out, format: (input) => `${input.getStringByField('word')}: ${input.getNumberByField('count')}` }).execute(tuple(['x', 2]));
    expect(out.text).toBe('x: 2\n');
  });

  it('waits for drain when the stream pushes back', async () => {
    const out = new MemoryWritable(true);
    const sink = new PrintSink({ out });
    const waiting = sink.execute(tuple(['slow', 1]));
    expect(typeof (waiting as Promise<void> | undefined)?.then).toBe('function');
    let done = false;
    void (waiting as Promise<void>).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    out.release();
    await waiting;
    expect(done).toBe(true);
  });

  it('writes to process.stdout when no stream is given', () => {
    expect(new PrintSink().out).toBe(process.stdout);
  });
});
