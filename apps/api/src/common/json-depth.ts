import type { IncomingMessage, ServerResponse } from 'node:http';

/** Deeper than any body this API takes; deep enough bodies overflow the stack of what reads them. */
export const MAX_JSON_DEPTH = 32;

/**
 * A body parser's verify step: refuses a JSON body whose arrays and objects nest deeper
 * than MAX_JSON_DEPTH before anything parses it. A megabyte of `[` is under the size
 * limit and parses, but class-transformer and class-validator walk it recursively and
 * run out of stack (a 500). Counts brackets outside strings in one pass over the bytes:
 * in UTF-8 no byte of a multi-byte character is a bracket, a quote or a backslash.
 */
export function refuseDeepJson(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < body.length; i += 1) {
    const byte = body[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === 0x5c) escaped = true;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) {
        // body-parser keeps this status and exposes the message: the problem filter answers a 400.
        throw Object.assign(new Error(`The body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep.`), { status: 400, type: 'entity.too.deep' });
      }
    } else if (byte === 0x7d || byte === 0x5d) {
      depth -= 1;
    }
  }
}
