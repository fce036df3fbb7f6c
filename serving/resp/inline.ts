/**
 * Inline commands (what telnet and `redis-cli` in some modes send: `SET k "a b"\r\n`), split the
 * way Redis's sdssplitargs() (sds.c) does: blanks separate arguments; "double quotes" take the
 * escapes \n \r \t \b \a \xHH and \<any>; 'single quotes' take only \'; a closing quote must be
 * followed by a blank or the end. Returns undefined for unbalanced quotes, which Redis answers
 * with "Protocol error: unbalanced quotes in request".
 */

const BACKSLASH = 0x5c;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

const ESCAPES: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x61: 0x07 };

/** C's isspace() in the C locale. */
function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || (byte !== undefined && byte >= 0x09 && byte <= 0x0d);
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return -1;
}

/** The token starting at `start` (not a blank): its bytes and where scanning continues. */
function readToken(line: Buffer, start: number): { token: Buffer; next: number } | undefined {
  const out: number[] = [];
  let p = start;
  let quote: 0 | typeof DOUBLE_QUOTE | typeof SINGLE_QUOTE = 0;
  for (;;) {
    const byte = line[p];
    if (quote === DOUBLE_QUOTE) {
      if (byte === undefined) return undefined;
      if (byte === BACKSLASH && line[p + 1] === 0x78 && hexValue(line[p + 2]) >= 0 && hexValue(line[p + 3]) >= 0) {
        out.push(hexValue(line[p + 2]) * 16 + hexValue(line[p + 3]));
        p += 3;
      } else if (byte === BACKSLASH && line[p + 1] !== undefined) {
        p += 1;
        out.push(ESCAPES[line[p]!] ?? line[p]!);
      } else if (byte === DOUBLE_QUOTE) {
        if (line[p + 1] !== undefined && !isSpace(line[p + 1])) return undefined;
        return { token: Buffer.from(out), next: p + 1 };
      } else {
        out.push(byte);
      }
    } else if (quote === SINGLE_QUOTE) {
      if (byte === undefined) return undefined;
      if (byte === BACKSLASH && line[p + 1] === SINGLE_QUOTE) {
        p += 1;
        out.push(SINGLE_QUOTE);
      } else if (byte === SINGLE_QUOTE) {
        if (line[p + 1] !== undefined && !isSpace(line[p + 1])) return undefined;
        return { token: Buffer.from(out), next: p + 1 };
      } else {
        out.push(byte);
      }
    } else if (byte === undefined || byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0) {
      return { token: Buffer.from(out), next: byte === undefined ? p : p + 1 };
    } else if (byte === DOUBLE_QUOTE || byte === SINGLE_QUOTE) {
      quote = byte;
    } else {
      out.push(byte);
    }
    p += 1;
  }
}

/** Splits one inline command line (without its line ending) into arguments. */
export function splitInlineArguments(line: Buffer): Buffer[] | undefined {
  const args: Buffer[] = [];
  let p = 0;
  for (;;) {
    while (p < line.length && isSpace(line[p])) p += 1;
    if (p >= line.length) return args;
    const read = readToken(line, p);
    if (read === undefined) return undefined;
    args.push(read.token);
    p = read.next;
  }
}
