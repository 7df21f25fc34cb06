/**
 * The JSON API, called with the session cookie (same origin) and, on every change, the CSRF token.
 * Failures come back as problem+json; they become an ApiError carrying the API's own message and, for
 * validation errors, each field's message, which the forms show beside the field.
 */
import { CSRF_HEADER } from '../../api/ui/boot.ts';

export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }

  /** The message for one field (`body.defaultRevenueAccountCode`), if the API named it. */
  field(path: string): string | undefined {
    return this.fields.find((f) => f.path === path)?.message;
  }
}

/** A route this deployment does not have yet (as opposed to another organisation's 404). */
export const isMissingRoute = (err: unknown) => err instanceof ApiError && err.status === 404 && /^No route for /.test(err.message);

export const SESSION_ENDED = 'xero-sync:session-ended';

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export function createApi(csrfToken: string): Api {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers[CSRF_HEADER] = csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'unreachable', 'The server did not answer: check your connection and try again.');
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (res.ok) return json as T;
    const problem = json as { code?: string; detail?: string; errors?: FieldProblem[] };
    const error = new ApiError(res.status, problem.code ?? 'error', problem.detail ?? `The server answered ${res.status}.`, problem.errors ?? []);
    if (res.status === 401) window.dispatchEvent(new CustomEvent(SESSION_ENDED, { detail: error.message }));
    throw error;
  };
  return { get: (path) => call('GET', path), send: (method, path, body) => call(method, path, body) };
}
