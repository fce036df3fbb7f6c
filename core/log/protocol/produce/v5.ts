/** Produce v5: each partition in the response gains log_start_offset; the request is v3's. */
import { produceCodec } from './v3.js';

export const produceV5 = produceCodec(5);
