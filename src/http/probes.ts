import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app';
import { databaseUnavailable } from '../db/availability';

/** What the probes report: the app once built, and whether shutdown has begun. */
export interface ServingState {
  app: App | null;
  stopping: boolean;
}

/**
 * The server's request handler from the moment it listens: /health answers as long as the process
 * runs, /ready only while the app is built, its database answers and no shutdown has begun.
 * Until the app is built, every other request gets DATABASE_UNAVAILABLE (503, retryable).
 */
export function probingHandler(state: ServingState): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/health') return sendJson(response, 200, { status: 'alive' });
    if (path === '/ready') {
      const status = readiness(state);
      return sendJson(response, status === 'ready' ? 200 : 503, { status });
    }
    if (state.app) return void state.app.handler(request, response);
    const error = databaseUnavailable();
    const { http, ...extensions } = error.extensions as { http: { headers: Record<string, string> } };
    sendJson(response, 503, { errors: [{ message: error.message, extensions }] }, http.headers);
  };
}

function readiness(state: ServingState): 'ready' | 'starting' | 'database unavailable' | 'stopping' {
  if (state.stopping) return 'stopping';
  if (!state.app) return 'starting';
  return state.app.availability.available ? 'ready' : 'database unavailable';
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}
