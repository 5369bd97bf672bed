import type { Server } from 'node:http';
import { StartupError } from './startup-error';

/** Listens, or fails with one line naming the problem and its fix. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new StartupError(`port ${port} on ${host} is in use: stop the other process or set PORT (server.port)`);
    case 'EACCES':
      return new StartupError(`no permission to listen on port ${port}: use a port above 1023 (PORT, server.port)`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(`cannot listen on host ${host}: it is not an address of this machine; set HOST (server.host), e.g. 127.0.0.1 or 0.0.0.0`);
    default:
      return error;
  }
}
