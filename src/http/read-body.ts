import type { IncomingMessage } from 'node:http';

/**
 * The whole body of a request that declared its length, or null when the client aborted or sent
 * more than it declared.
 */
export function readBody(req: IncomingMessage, declaredBytes: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > declaredBytes ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
    req.on('aborted', () => resolve(null));
  });
}
