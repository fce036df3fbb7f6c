/**
 * A sink that writes one line per tuple to a Writable (process.stdout by default): by default the
 * tuple as a JSON object of its fields (`{"word":"the","count":3}`; bigints as strings), or what
 * `format` makes of it. Basic bolt: the input is acked once its line is handed to the stream; when
 * the stream signals backpressure (write returns false) execute waits for 'drain', so a slow
 * terminal slows the topology instead of buffering without end.
 *
 * The stream is a class instance, so every task copy shares it (lines of different tasks
 * interleave whole, since each line is one write).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { BaseBasicBolt, isTickTuple, type Tuple } from '../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';

export type TupleFormatter = (input: Tuple) => string;

export interface PrintSinkOptions {
  /** Where lines go (default process.stdout). */
  out?: Writable;
  /** One line of text per tuple, without the newline (default: JSON object of its fields). */
  format?: TupleFormatter;
}

/** `{"field":value,...}` with bigints written as strings. */
export function formatAsJson(input: Tuple): string {
  const object: Record<string, unknown> = {};
  input.fields.forEach((field, position) => (object[field] = input.getValue(position)));
  return JSON.stringify(object, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

export class PrintSink extends BaseBasicBolt {
  readonly out: Writable;
  readonly format: TupleFormatter;

  constructor(options: PrintSinkOptions = {}) {
    super();
    this.out = options.out ?? process.stdout;
    this.format = options.format ?? formatAsJson;
  }

  declareOutputFields(_declarer: OutputFieldsDeclarer): void {}

  execute(input: Tuple): void | Promise<void> {
    if (isTickTuple(input)) return;
    if (this.out.write(`${this.format(input)}\n`)) return;
    // once() rejects on 'error', so a broken stream fails the tuple instead of hanging the task.
    return once(this.out, 'drain').then(() => undefined);
  }
}
