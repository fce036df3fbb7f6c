/**
 * Writes one size-prefixed frame to a socket. Small payloads are copied behind their header into
 * a single buffer (one write, no cork); large ones go out as header + payload pieces inside a
 * cork, which Node turns into one writev without copying the payload.
 */
import type { Socket } from 'node:net';
import { COPY_THRESHOLD_BYTES, FRAME_HEADER_BYTES } from './limits.js';

/** A frame payload: one buffer, or pieces sent back to back (e.g. a header and a file range). */
export type FramePayload = Buffer | readonly Buffer[];

export function payloadLength(payload: FramePayload): number {
  if (Buffer.isBuffer(payload)) return payload.length;
  let total = 0;
  for (const piece of payload) total += piece.length;
  return total;
}

/** Returns socket.write's verdict: false means the caller must wait for 'drain'. */
export function writeFrame(socket: Socket, payload: FramePayload): boolean {
  const length = payloadLength(payload);
  if (length <= COPY_THRESHOLD_BYTES) {
    const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
    frame.writeInt32BE(length, 0);
    if (Buffer.isBuffer(payload)) payload.copy(frame, FRAME_HEADER_BYTES);
    else {
      let offset = FRAME_HEADER_BYTES;
      for (const piece of payload) offset += piece.copy(frame, offset);
    }
    return socket.write(frame);
  }
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeInt32BE(length, 0);
  socket.cork();
  let ok = socket.write(header);
  if (Buffer.isBuffer(payload)) ok = socket.write(payload) && ok;
  else for (const piece of payload) ok = socket.write(piece) && ok;
  socket.uncork();
  return ok;
}
