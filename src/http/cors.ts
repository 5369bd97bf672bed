import type { CORSOptions } from 'graphql-yoga';

export interface CorsSettings {
  /** Origins allowed to call the API from a browser (`https://host[:port]`), or "*" for any. */
  readonly origins: readonly string[] | '*';
  /** Send Access-Control-Allow-Credentials (cookies, HTTP auth) to allowed origins. */
  readonly credentials: boolean;
}

/**
 * Yoga's CORS options for the configured origins. A request from any other origin gets no CORS
 * headers at all, so the browser keeps it same-origin. (Yoga's own default reflects every Origin
 * with credentials allowed, and a one-entry origin list is sent to every origin.)
 */
export function corsOptions(settings: CorsSettings): (request: Request) => CORSOptions {
  const allowed = (origin: string) => settings.origins === '*' || settings.origins.includes(origin);
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed(origin)) return false;
    return { origin: settings.origins === '*' ? '*' : origin, credentials: settings.credentials };
  };
}
