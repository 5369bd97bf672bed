import type { IncomingMessage } from 'node:http';

/**
 * The whole body of a request, or null when the client aborted. (Node's parser never delivers
 * more than the declared Content-Length, which the caller has checked against its limit.)
 */
export function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
    req.on('aborted', () => resolve(null));
  });
}
