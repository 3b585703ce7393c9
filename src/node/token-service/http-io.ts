/**
 * Reading request bodies with a hard size cap, and writing JSON answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer to the client: `{ "error": { "code", "message" } }` with a status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Largest request body read, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024;
/** After refusing an oversized body, how much more is read (and dropped) before the connection is cut. */
const MAX_DISCARD_BYTES = 1024 * 1024;

const tooLarge = (): ApiError => new ApiError(413, 'too-large', `request body is larger than ${MAX_BODY_BYTES} bytes`);

/** Requires `application/json` (UTF-8, the only charset JSON has). */
export function requireJson(req: IncomingMessage): void {
  const header = req.headers['content-type'] ?? '';
  const [type, ...params] = header.split(';').map((s) => s.trim().toLowerCase());
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (type !== 'application/json' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new ApiError(415, 'unsupported-media-type', 'send the body as Content-Type: application/json');
  }
}

/**
 * Reads the body and parses it as JSON. Stops reading as soon as it passes
 * MAX_BODY_BYTES (or at once when Content-Length says it will), so a client
 * cannot make the server buffer without bound.
 */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new ApiError(400, 'invalid-json', 'request body is not UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'invalid-json', `request body is not JSON: ${(e as Error).message}`);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        cleanup();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolvePromise(Buffer.concat(chunks, size));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onClose = (): void => {
      cleanup();
      reject(new ApiError(400, 'invalid-json', 'request body was cut short'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Writes a JSON answer. Never any Access-Control-* header: the API is for servers, not pages. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    // Answers can carry a freshly minted token: no cache may keep them.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

export function sendError(req: IncomingMessage, res: ServerResponse, error: ApiError): void {
  const headers = { ...error.headers };
  // The rest of an oversized body is not wanted: close the connection once
  // answered, and drop what is still in flight (up to a limit) so the client
  // gets to read the 413 rather than a reset.
  if (error.status === 413) headers.Connection = 'close';
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, headers);
  if (error.status === 413 && !req.complete) discard(req);
}

function discard(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DISCARD_BYTES) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}
