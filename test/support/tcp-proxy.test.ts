import net from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MAX_LINK_DELAY_MS, TcpProxy } from './tcp-proxy.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function echoServer(): Promise<number> {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

/** Writes `lines` one chunk at a time through the proxy and resolves with what came back. */
async function roundTrip(port: number, lines: readonly string[], onWritten: (index: number) => void = () => undefined): Promise<string> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  const expected = lines.join('').length;
  let received = '';
  const done = new Promise<string>((resolve) => socket.on('data', (chunk) => (received += chunk.toString()).length >= expected && resolve(received)));
  await new Promise((resolve) => socket.once('connect', resolve));
  for (const [index, line] of lines.entries()) {
    socket.write(line);
    onWritten(index);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const answer = await done;
  socket.destroy();
  return answer;
}

describe('tcp proxy', () => {
  it('passes bytes both ways, in order, while the delay changes under them', async () => {
    const link = await TcpProxy.start(await echoServer());
    cleanup.push(() => link.close());
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i}\n`);
    const delays = [0, 30, 5, 60, 0];
    const answer = await roundTrip(link.port, lines, (index) => index % 40 === 0 && link.setDelay(delays[index / 40]!));
    expect(answer).toBe(lines.join(''));
  });

  it('refuses a delay that would be a partition', async () => {
    const link = await TcpProxy.start(await echoServer());
    cleanup.push(() => link.close());
    expect(() => link.setDelay(MAX_LINK_DELAY_MS + 1)).toThrow(RangeError);
    expect(() => link.setDelay(-1)).toThrow(RangeError);
  });

  it('refuses connections while cut and passes them again once healed', async () => {
    const proxy = await TcpProxy.start(await echoServer());
    cleanup.push(() => proxy.close());
    expect(await roundTrip(proxy.port, ['before\n'])).toBe('before\n');
    proxy.cut();
    const refused = net.connect({ port: proxy.port, host: '127.0.0.1' });
    refused.write('during\n');
    await new Promise<void>((resolve) => refused.once('close', () => resolve()).on('error', () => undefined));
    expect(refused.bytesRead).toBe(0);
    proxy.heal();
    expect(await roundTrip(proxy.port, ['after\n'])).toBe('after\n');
  });
});
