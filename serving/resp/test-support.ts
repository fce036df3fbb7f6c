/**
 * Helpers shared by the RESP tests: a server on a free port over a MemoryKeyspace with a clock the
 * test controls, and a raw client that sends bytes and reads whole replies as bytes (for
 * byte-for-byte comparisons with redis-server).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';
import { MemoryKeyspace } from '../keyspace/memory-keyspace.js';
import { RespServer, type RespServerOptions } from './server.js';

export interface TestClock {
  nowMs: () => number;
  /** Moves time forward. */
  advance(ms: number): void;
}

/** A clock that starts at the real time and moves only when told. */
export function manualClock(startMs = Date.now()): TestClock {
  let now = startMs;
  return { nowMs: () => now, advance: (ms) => void (now += ms) };
}

export interface TestServer {
  server: RespServer;
  keyspace: MemoryKeyspace;
  port: number;
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<RespServerOptions> & { nowMs?: () => number } = {}): Promise<TestServer> {
  const keyspace = (options.keyspace as MemoryKeyspace | undefined) ?? new MemoryKeyspace({ nowMs: options.nowMs });
  const server = new RespServer({ shutdownGraceMs: 500, ...options, keyspace });
  const { port } = await server.listen();
  return { server, keyspace, port, close: () => server.close() };
}

/**
 * Where the reply starting at `offset` ends, or -1 when it is not complete yet. Knows every RESP2
 * and RESP3 type.
 */
export function replyEnd(buffer: Buffer, offset: number): number {
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buffer[offset]!);
  const header = Number(buffer.toString('latin1', offset + 1, lineEnd));
  let end = lineEnd + 2;
  if ('$=!'.includes(type)) {
    if (header < 0) return end;
    return buffer.length >= end + header + 2 ? end + header + 2 : -1;
  }
  if ('*~>%|'.includes(type)) {
    const elements = header < 0 ? 0 : '%|'.includes(type) ? header * 2 : header;
    for (let index = 0; index < elements; index += 1) {
      end = replyEnd(buffer, end);
      if (end < 0) return -1;
    }
  }
  return end;
}

/** A decoded reply: strings (latin1) for simple and bulk strings, numbers, null, arrays; errors as { error }. */
export type DecodedReply = string | number | null | { error: string } | DecodedReply[];

/** Decodes one complete RESP2 reply (tests only: RESP3 types are not needed there). */
export function decodeReply(buffer: Buffer, offset = 0): { reply: DecodedReply; end: number } {
  const lineEnd = buffer.indexOf('\r\n', offset);
  const line = buffer.toString('latin1', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (String.fromCharCode(buffer[offset]!)) {
    case '+':
      return { reply: line, end: next };
    case '-':
      return { reply: { error: line }, end: next };
    case ':':
      return { reply: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { reply: null, end: next };
      return { reply: buffer.toString('latin1', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { reply: null, end: next };
      const items: DecodedReply[] = [];
      let end = next;
      for (let i = 0; i < count; i += 1) {
        const item = decodeReply(buffer, end);
        items.push(item.reply);
        end = item.end;
      }
      return { reply: items, end };
    }
    default:
      throw new Error(`cannot decode reply type ${JSON.stringify(buffer.toString('latin1', offset, offset + 1))}`);
  }
}

/** A client that speaks raw bytes. */
export class RawClient {
  private received = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private ended = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect({ port, host: '127.0.0.1' });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawClient(socket);
  }

  /** Whether the server closed the connection. */
  get closed(): boolean {
    return this.ended;
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** The next `count` whole replies, each as its bytes. */
  async replies(count: number, timeoutMs = 5_000): Promise<Buffer[]> {
    const out: Buffer[] = [];
    const deadline = Date.now() + timeoutMs;
    while (out.length < count) {
      const end = this.received.length > 0 ? replyEnd(this.received, 0) : -1;
      if (end > 0) {
        out.push(this.received.subarray(0, end));
        this.received = this.received.subarray(end);
        continue;
      }
      if (this.ended) throw new Error(`connection closed after ${out.length} of ${count} replies; pending bytes: ${JSON.stringify(this.received.toString('latin1'))}`);
      await this.waitForData(deadline - Date.now());
      if (Date.now() > deadline) throw new Error(`only ${out.length} of ${count} replies within ${timeoutMs} ms; pending: ${JSON.stringify(this.received.toString('latin1'))}`);
    }
    return out;
  }

  async reply(timeoutMs?: number): Promise<string> {
    return (await this.replies(1, timeoutMs))[0]!.toString('latin1');
  }

  /** Everything the server sends until it closes the connection. */
  async untilClosed(timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error(`connection still open after ${timeoutMs} ms; received ${JSON.stringify(this.received.toString('latin1'))}`);
      await this.waitForData(deadline - Date.now());
    }
    const all = this.received.toString('latin1');
    this.received = Buffer.alloc(0);
    return all;
  }

  close(): void {
    this.socket.destroy();
  }

  private waitForData(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, timeoutMs));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** A command as RESP: an array of bulk strings. */
export function command(...args: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** An ioredis client that fails fast instead of reconnecting (the framework's own client). */
export async function connectIoredis(port: number): Promise<Redis> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  await client.connect();
  return client;
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an external tool without blocking the event loop (the server under test lives in this process). */
export async function runTool(command: string, args: string[], input?: string | Buffer, timeoutMs = 20_000): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
