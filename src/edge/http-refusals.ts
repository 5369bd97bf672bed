import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Refusals of a request that never became a GraphQL operation, as plain data (status + JSON body)
 * so that any HTTP front end can send the same answers; `httpRefusals()` sends them from yoga.
 */
export interface HttpRefusal {
  readonly status: number;
  readonly body: { readonly errors: readonly [{ readonly message: string; readonly extensions: { readonly code: string; readonly reason?: string } }] };
}

/** The body is not JSON. Unlike yoga's default answer, nothing of the body is echoed back. */
export function malformedJsonError(): HttpRefusal {
  return refusal(400, 'The request body is not valid JSON', 'BAD_REQUEST', 'MALFORMED_JSON');
}

const SHOWN_TYPE_LENGTH = 100;

/** A POST in a content type this endpoint does not read (yoga's default is an empty 415). */
export function unsupportedContentTypeError(contentType: string | null): HttpRefusal {
  const given = contentType === null ? 'no content type' : `content type "${contentType.slice(0, SHOWN_TYPE_LENGTH)}"`;
  return refusal(415, `Unsupported ${given}: send application/json, or use GET with query parameters`, 'UNSUPPORTED_MEDIA_TYPE');
}

export function refusalResponse(refusal: HttpRefusal, ResponseClass: typeof Response = Response): Response {
  return new ResponseClass(JSON.stringify(refusal.body), {
    status: refusal.status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

function refusal(status: number, message: string, code: string, reason?: string): HttpRefusal {
  return { status, body: { errors: [{ message, extensions: reason === undefined ? { code } : { code, reason } }] } };
}

/** yoga's request parsers fail on bad JSON with a SyntaxError or their own error carrying it. */
function isMalformedJson(error: unknown): boolean {
  if (error instanceof SyntaxError) return true;
  return error instanceof GraphQLError && error.extensions.originalError !== undefined && error.message.includes('invalid JSON');
}

export function httpRefusals(): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, endResponse, fetchAPI }) {
      if (!requestParser) {
        // Other methods are left to yoga (405 and friends); a POST yoga cannot read is a 415.
        if (request.method === 'POST') endResponse(refusalResponse(unsupportedContentTypeError(request.headers.get('content-type')), fetchAPI.Response));
        return;
      }
      setRequestParser(async (req) => {
        try {
          return await requestParser(req);
        } catch (error) {
          if (isMalformedJson(error)) return refusalResponse(malformedJsonError(), fetchAPI.Response);
          throw error;
        }
      });
    },
  };
}
