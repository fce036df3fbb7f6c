/**
 * Free loopback ports for tests to hand to services they start.
 *
 * Ports come from below the kernel's ephemeral range (32768–60999 on Linux), so no in-process
 * server listening on port 0 and no outgoing connection can take them, and each Jest worker
 * draws from its own slice, so two workers never hand out the same port. Asking the kernel for
 * an ephemeral port instead (listen(0), then release it) let a parallel suite's port-0 server
 * grab it between release and reuse, and a readiness probe then talked to the wrong server.
 * Each candidate is still checked by binding it, in case something else on the machine holds it.
 */
import net from 'node:net';

const FIRST_PORT = 15_000;
const PORTS_PER_WORKER = 2_000;
const WORKER_SLICES = 8;
const worker = Number(process.env.JEST_WORKER_ID ?? '0') % WORKER_SLICES;
const sliceStart = FIRST_PORT + worker * PORTS_PER_WORKER;
// Start at a random place in the slice, so reruns and separate processes seldom meet.
let nextOffset = Math.floor(Math.random() * PORTS_PER_WORKER);

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < PORTS_PER_WORKER; attempt++) {
    const port = sliceStart + (nextOffset++ % PORTS_PER_WORKER);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${sliceStart}..${sliceStart + PORTS_PER_WORKER - 1}`);
}

/** Resolves once something accepts TCP connections on the port, or rejects after timeoutMs. */
export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
