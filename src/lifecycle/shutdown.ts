import type { Server } from 'node:http';
import type { Logger } from '../logger';

/** Counts the requests being answered, so shutdown can wait for them. */
export class InFlightRequests {
  private active = 0;
  private idle: (() => void)[] = [];

  constructor(server: Server) {
    server.on('request', (_request, response) => {
      this.active += 1;
      response.once('close', () => {
        this.active -= 1;
        if (this.active === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    });
  }

  get count(): number {
    return this.active;
  }

  /** Resolves true once none is left, false if graceMs passes first. */
  drained(graceMs: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

export interface ShutdownSteps {
  readonly server: Server;
  readonly requests: InFlightRequests;
  readonly graceMs: number;
  readonly logger: Logger;
  /** Marks the server as stopping (so /ready answers 503). */
  readonly beginStopping: () => void;
  /** Closes the app's pools once no request needs them. */
  readonly closeApp: () => Promise<void>;
}

/**
 * Stop accepting connections, let the requests in flight finish (at most graceMs), cut what is
 * left, and only then close the database pools: a request never loses its connection midway.
 */
export async function shutDown(signal: string, steps: ShutdownSteps): Promise<void> {
  const { server, requests, graceMs, logger } = steps;
  const inFlight = requests.count;
  logger.info(`${signal} received: no new connections; waiting up to ${graceMs} ms for ${inFlight} in-flight request(s)`);
  steps.beginStopping();
  server.close();
  server.closeIdleConnections();
  const drained = await requests.drained(graceMs);
  const cut = requests.count;
  server.closeAllConnections();
  await steps.closeApp();
  logger.info(
    drained
      ? `stopped after ${inFlight} in-flight request(s) finished`
      : `stopped after the ${graceMs} ms grace period: ${inFlight - cut} in-flight request(s) finished, ${cut} cut (server.shutdownGraceMs)`,
  );
}

/** SIGTERM and SIGINT start the shutdown, then exit; a second signal exits at once. */
export function stopOnSignals(steps: ShutdownSteps): void {
  const stop = (signal: string) => {
    process.once(signal, () => exitAfterLogs(steps.logger, 1));
    shutDown(signal, steps).then(
      () => exitAfterLogs(steps.logger, 0),
      (error: unknown) => {
        steps.logger.error({ err: error }, 'shutdown failed');
        exitAfterLogs(steps.logger, 1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** pino-pretty writes from a worker thread: exit once the final lines are out. */
function exitAfterLogs(logger: Logger, code: number): void {
  logger.flush(() => process.exit(code));
}
