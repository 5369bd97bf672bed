import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { getOperationAST, type ExecutionResult } from 'graphql';
import { processRegularResult } from 'graphql-yoga';
import type { App } from '../app';
import { loggableError, type Logger } from '../logger';
import { readBody } from './read-body';

/**
 * The common request — `POST <graphqlPath>` with a JSON body, answered as JSON — executed through
 * yoga's own envelop pipeline (its parse/validation cache, armor, our plugins, error masking) and
 * its result processor, but without yoga's Fetch-API layer: no Request/Response/Headers/URL/
 * AbortSignal objects per request. That layer cost about as much CPU as a whole raw-SQL request.
 *
 * Everything unusual is handed to yoga unchanged (the buffered body replayed): GraphiQL, GET,
 * SSE and multipart, cross-origin requests (CORS), malformed or non-object bodies, parse and validation errors, subscriptions,
 * other Accept types. So the fast path only ever produces answers yoga would produce itself, and
 * every edge case keeps yoga's behaviour.
 */
export interface GraphqlHandlerOptions {
  readonly graphqlPath: string;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
}

/** How many requests each path answered (for tests and diagnostics). */
export interface HandlerStats {
  fastPath: number;
  yoga: number;
}

export type GraphqlHandler = ((req: IncomingMessage, res: ServerResponse) => void) & { readonly stats: HandlerStats };

export function createGraphqlHandler(yoga: App['yoga'], options: GraphqlHandlerOptions): GraphqlHandler {
  const stats: HandlerStats = { fastPath: 0, yoga: 0 };
  const delegate = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    stats.yoga += 1;
    void yoga(body === undefined ? req : replayed(req, body), res);
  };

  const handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    fastPath(req, res).catch((error: unknown) => {
      // Resolvers' errors are results; reaching here is a defect of ours, answered like yoga's own.
      options.logger.error(loggableError(error), 'request failed outside GraphQL execution');
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  };
  return Object.assign(handleRequest, { stats });

  async function fastPath(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const length = Number(req.headers['content-length']);
    // Without a declared length (chunked) or above the limit, yoga applies its own body limit.
    if (!takesFastPath(req, options.graphqlPath) || !(length <= options.maxBodyBytes)) return delegate(req, res);
    const body = await readBody(req);
    if (body === null) return; // the client went away
    const params = graphqlParams(body);
    if (!params) return delegate(req, res, body);

    const authorization = req.headers.authorization ?? null;
    const signal = clientGoneSignal(res);
    const request = {
      headers: { get: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : null) },
      get signal() {
        return signal();
      },
    };
    const enveloped = yoga.getEnveloped({ request, params } as never);
    // Parse and validation errors, including armor's limits (which throw), are yoga's to report.
    let document;
    try {
      document = enveloped.parse(params.query);
      if (enveloped.validate(enveloped.schema, document).length > 0) return delegate(req, res, body);
    } catch {
      return delegate(req, res, body);
    }
    const operation = getOperationAST(document, params.operationName);
    if (!operation || operation.operation === 'subscription') return delegate(req, res, body);

    let contextValue: unknown;
    try {
      contextValue = await enveloped.contextFactory();
    } catch {
      return delegate(req, res, body); // e.g. a refused token: yoga answers it with its status
    }
    const result = (await enveloped.execute({
      schema: enveloped.schema,
      document,
      contextValue,
      variableValues: params.variables,
      operationName: params.operationName,
    })) as ExecutionResult;
    stats.fastPath += 1;
    if (res.destroyed) return; // nobody to answer (its searches were cancelled)
    const response = processRegularResult(result, CAPTURING_FETCH_API, 'application/json') as unknown as CapturedResponse;
    res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
    res.end(response.body);
  }
}

/**
 * Like yoga's `request.signal`: aborted when the client goes away before its answer was sent.
 * The AbortController and its 'close' listener are only made when something asks for the signal
 * (a search does): most requests never pay for them.
 */
function clientGoneSignal(res: ServerResponse): () => AbortSignal {
  let controller: AbortController | null = null;
  return () => {
    if (!controller) {
      const made = (controller = new AbortController());
      if (res.destroyed) made.abort();
      else res.once('close', () => res.writableFinished || made.abort());
    }
    return controller.signal;
  };
}

interface GraphqlParams {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
}

/** A plain single operation with a JSON object body; anything else is yoga's to judge. */
function graphqlParams(body: Buffer): GraphqlParams | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const { query, variables, operationName, ...rest } = parsed as Record<string, unknown>;
  if (typeof query !== 'string') return null;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
  if (operationName != null && typeof operationName !== 'string') return null;
  if (Object.keys(rest).some((key) => key !== 'extensions')) return null;
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: (operationName ?? undefined) as string | undefined,
  };
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** Browser requests (with an Origin) keep yoga's CORS handling. */
function takesFastPath(req: IncomingMessage, graphqlPath: string): boolean {
  if (req.method !== 'POST' || req.url !== graphqlPath || req.headers.origin !== undefined) return false;
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) return false;
  const accept = req.headers.accept;
  return accept === undefined || accept === '*/*' || accept.includes('application/json');
}

/** What processRegularResult builds, captured instead of becoming a Fetch Response. */
interface CapturedResponse {
  readonly status: number;
  /** The content type, and what errors ask for in `extensions.http.headers` (e.g. Retry-After). */
  readonly headers: Record<string, string>;
  readonly body: string;
}

const CAPTURING_FETCH_API = {
  Response: class {
    readonly status: number;
    readonly headers: Record<string, string>;
    constructor(
      readonly body: string,
      init: { status: number; headers: Record<string, string> },
    ) {
      this.status = init.status;
      this.headers = init.headers;
    }
  },
} as never;

/**
 * The request with its already-read body put back for yoga's node adapter, which takes a
 * `body` property (as body parsers set it) before it would read the drained stream.
 */
function replayed(req: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(req, { body: Readable.from(body.length > 0 ? [body] : []) });
}
