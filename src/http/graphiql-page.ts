import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Plugin } from 'graphql-yoga';
import { GRAPHIQL_FIRST_QUERY } from './graphiql-first-query';

type Encoding = 'br' | 'gzip' | 'identity';

const COMPRESS: Record<Exclude<Encoding, 'identity'>, (page: Buffer) => Promise<Buffer>> = {
  // Quality 5 packs the 9 MB page to ~2 MB in ~1 s; 11 gains 12 % for 40 s of CPU.
  br: (page) => promisify(brotliCompress)(page, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: page.length } }),
  gzip: (page) => promisify(gzip)(page),
};

/**
 * Serves GraphiQL (bundled by @graphql-yoga/render-graphiql, so it works offline: 9 MB of HTML)
 * in place of yoga's renderer, which sends the page uncompressed and uncacheable on every GET.
 * The page is rendered once, each encoding compressed on first demand and kept in memory; an
 * ETag lets browsers revalidate (`no-cache`) and get a bodiless 304.
 */
export function graphiqlPage(graphqlPath: string): Plugin {
  const page = Buffer.from(
    renderGraphiQL({ title: 'OTOBO customer users', defaultQuery: GRAPHIQL_FIRST_QUERY, defaultEditorToolsVisibility: 'headers' }),
  );
  // One strong ETag per encoding, as each encoding is a representation of its own.
  const hash = createHash('sha256').update(page).digest('base64url').slice(0, 27);
  const encoded = new Map<Encoding, Promise<Buffer>>([['identity', Promise.resolve(page)]]);
  const body = (encoding: Encoding) => {
    if (!encoded.has(encoding)) encoded.set(encoding, COMPRESS[encoding as Exclude<Encoding, 'identity'>](page));
    return encoded.get(encoding)!;
  };

  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      if (!isPageRequest(request, url.pathname, graphqlPath)) return;
      const encoding = chooseEncoding(request.headers.get('accept-encoding'));
      const headers: Record<string, string> = { etag: `"${hash}-${encoding}"`, 'cache-control': 'no-cache', vary: 'Accept-Encoding' };
      if (matchesEtag(request.headers.get('if-none-match'), headers.etag!)) {
        return endResponse(new fetchAPI.Response(null, { status: 304, headers }));
      }
      const bytes = await body(encoding);
      Object.assign(headers, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(bytes.length) });
      if (encoding !== 'identity') headers['content-encoding'] = encoding;
      // A Buffer is a Uint8Array; the cast only bridges TypeScript's ArrayBufferLike vs ArrayBuffer.
      endResponse(new fetchAPI.Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers }));
    },
  };
}

/** Yoga's own rule for GraphiQL: a browser's GET (Accept: text/html) of the endpoint. */
function isPageRequest(request: Request, pathname: string, graphqlPath: string): boolean {
  return request.method === 'GET' && (pathname === graphqlPath || pathname === `${graphqlPath}/`) && (request.headers.get('accept') ?? '').includes('text/html');
}

function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/** Brotli before gzip when both are acceptable (q > 0); otherwise the page as it is. */
export function chooseEncoding(acceptEncoding: string | null): Encoding {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return 'identity';
}
