import type { ProblemDetails } from './types';

const keyName = 'bwf.apiKey';

/** The API key lives in sessionStorage: it is forgotten when the tab closes. */
export const apiKeyStore = {
  get: (): string | null => sessionStorage.getItem(keyName),
  set: (key: string) => sessionStorage.setItem(keyName, key),
  clear: () => sessionStorage.removeItem(keyName),
};

/** A failed call, carrying what the user should read and the server's problem details if any. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number, // 0 when the server could not be reached
    readonly problem?: ProblemDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get unreachable(): boolean { return this.status === 0; }
}

const unreachableMessage = 'The BackupWorkflows server is unreachable. Check that it is running and try again.';

/** Builds the user-facing error from a non-2xx response; non-JSON bodies (proxy errors) mean "unreachable". */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let problem: ProblemDetails | undefined;
  try {
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (parsed && typeof parsed === 'object') problem = parsed as ProblemDetails;
  } catch {
    problem = undefined;
  }
  if (!problem && (res.status === 502 || res.status === 503 || res.status === 504 || res.status === 500))
    return new ApiError(unreachableMessage, 0);
  if (res.status === 401) return new ApiError(problem?.detail ?? 'The API key was not accepted. Sign in again.', 401, problem);
  if (res.status === 403) return new ApiError(problem?.detail ?? 'Your key does not allow this action.', 403, problem);
  const parts = [problem?.title, problem?.detail].filter(Boolean);
  // Field errors the detail already spells out are not repeated.
  const fieldErrors = Object.entries(problem?.errors ?? {})
    .map(([f, msgs]) => `${f}: ${msgs.join(', ')}`)
    .filter((text) => !problem?.detail?.includes(text));
  const message = [...parts, ...fieldErrors].join(' — ') || `Request failed (${res.status} ${res.statusText})`;
  return new ApiError(message, res.status, problem);
}

type Listener = (e: ApiError) => void;
const authListeners = new Set<Listener>();
/** Subscribes to 401 answers so the shell can send the user back to sign-in. */
export function onUnauthorized(l: Listener): () => void {
  authListeners.add(l);
  return () => authListeners.delete(l);
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  key?: string; // overrides the stored key (sign-in checks a key before storing it)
  raw?: boolean; // return the Response (blobs)
}

/** Calls the same-origin API with the stored key; throws ApiError on anything but 2xx. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  const key = opts.key ?? apiKeyStore.get();
  if (key) headers['X-Api-Key'] = key;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  } catch {
    throw new ApiError(unreachableMessage, 0);
  }
  if (!res.ok) {
    const err = await errorFromResponse(res);
    if (err.status === 401 && opts.key === undefined) authListeners.forEach((l) => l(err));
    throw err;
  }
  if (opts.raw) return res as unknown as T;
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    // An HTML page instead of JSON: a static server without the API behind it.
    throw new ApiError(unreachableMessage, 0);
  }
}

/** Formats any thrown value for display. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
