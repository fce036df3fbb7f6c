/**
 * `npm run bench -- net`: core/net against a raw net.Socket on loopback, in the same process and
 * run. One-way throughput (64 KB and 100 B frames) and request/response rate (100 B, one and 32
 * outstanding). The raw side does the least that can move the same bytes: writes pre-framed
 * buffers and counts (one-way), or echoes by pipe and counts bytes (request/response).
 */
import net, { type AddressInfo } from 'node:net';
import { FrameClient, FrameServer } from '../core/net/index.js';
import { printComparisons, type Comparison } from './report.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3_000);
const MB = 1024 * 1024;

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function framed(payload: Buffer): Buffer {
  const frame = Buffer.alloc(4 + payload.length);
  frame.writeInt32BE(payload.length, 0);
  payload.copy(frame, 4);
  return frame;
}

/** Raw one-way: write framed buffers as fast as the socket drains; the server only counts bytes. */
export async function rawOneWay(sizeBytes: number): Promise<number> {
  let received = 0;
  const server = net.createServer((socket) => socket.on('data', (chunk: Buffer) => (received += chunk.length)));
  const port = await listen(server);
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const frame = framed(Buffer.alloc(sizeBytes, 1));
  const deadline = performance.now() + DURATION_MS;
  const start = performance.now();
  let sent = 0;
  while (performance.now() < deadline) {
    let writable = true;
    for (let i = 0; i < 64 && writable; i += 1) {
      writable = socket.write(frame);
      sent += 1;
    }
    if (!writable) await new Promise((resolve) => socket.once('drain', resolve));
  }
  const target = sent * frame.length;
  while (received < target) await new Promise((resolve) => setImmediate(resolve));
  const seconds = (performance.now() - start) / 1000;
  socket.destroy();
  server.close();
  return sent / seconds;
}

/** core/net one-way: FrameClient.send, FrameServer handler counts frames and answers nothing. */
export async function frameOneWay(sizeBytes: number): Promise<number> {
  let frames = 0;
  const server = new FrameServer(() => {
    frames += 1;
    return undefined;
  });
  const { port } = await server.listen();
  const client = new FrameClient({ port, maxQueuedRequests: 100_000 });
  await client.connect();
  const payload = Buffer.alloc(sizeBytes, 1);
  const deadline = performance.now() + DURATION_MS;
  const start = performance.now();
  let sent = 0;
  const window = sizeBytes > 4096 ? 64 : 4096;
  while (performance.now() < deadline) {
    let last: Promise<void> | undefined;
    for (let i = 0; i < window; i += 1) last = client.send(payload);
    sent += window;
    await last;
  }
  while (frames < sent) await new Promise((resolve) => setImmediate(resolve));
  const seconds = (performance.now() - start) / 1000;
  await client.close();
  await server.close();
  return sent / seconds;
}

/** Raw request/response: the server pipes bytes back; the client keeps `depth` messages outstanding. */
export async function rawRequestResponse(sizeBytes: number, depth: number): Promise<number> {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.pipe(socket);
  });
  const port = await listen(server);
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const frame = framed(Buffer.alloc(sizeBytes, 2));
  let completed = 0;
  let pendingBytes = 0;
  const start = performance.now();
  const deadline = start + DURATION_MS;
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      pendingBytes += chunk.length;
      // Answers to one read leave in one writev, as core/net's client batches a tick's requests.
      socket.cork();
      while (pendingBytes >= frame.length) {
        pendingBytes -= frame.length;
        completed += 1;
        if (performance.now() < deadline) socket.write(frame);
        else if (--depth === 0) resolve();
      }
      socket.uncork();
    });
    for (let i = 0; i < depth; i += 1) socket.write(frame);
  });
  const seconds = (performance.now() - start) / 1000;
  socket.destroy();
  server.close();
  return completed / seconds;
}

export async function frameRequestResponse(sizeBytes: number, depth: number): Promise<number> {
  const server = new FrameServer((frame) => frame);
  const { port } = await server.listen();
  const client = new FrameClient({ port });
  await client.connect();
  let completed = 0;
  const start = performance.now();
  const deadline = start + DURATION_MS;
  const worker = async () => {
    const payload = Buffer.alloc(sizeBytes, 2);
    while (performance.now() < deadline) {
      await client.request(payload);
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: depth }, worker));
  const seconds = (performance.now() - start) / 1000;
  await client.close();
  await server.close();
  return completed / seconds;
}

export async function run(): Promise<void> {
  const rows: Comparison[] = [];
  for (const sizeBytes of [64 * 1024, 100]) {
    const raw = await rawOneWay(sizeBytes);
    const barista = await frameOneWay(sizeBytes);
    const label = sizeBytes >= 1024 ? `${sizeBytes / 1024} KB` : `${sizeBytes} B`;
    rows.push({ case: `one-way ${label} frames`, unit: 'MB/s', barista: (barista * sizeBytes) / MB, baseline: (raw * sizeBytes) / MB, baselineName: 'raw socket', goal: sizeBytes > 1024 ? 0.7 : undefined });
    rows.push({ case: `one-way ${label} frames`, unit: 'msgs/s', barista, baseline: raw, baselineName: 'raw socket' });
  }
  for (const depth of [1, 32]) {
    const raw = await rawRequestResponse(100, depth);
    const barista = await frameRequestResponse(100, depth);
    rows.push({ case: `request/response 100 B, ${depth} outstanding`, unit: 'msgs/s', barista, baseline: raw, baselineName: 'raw echo', goal: 0.5 });
  }
  printComparisons(`core/net vs raw net.Socket on loopback (${DURATION_MS} ms per case)`, rows);
}
