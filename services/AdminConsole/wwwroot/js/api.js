// Calls to the console's own API: the session, and /api/{service}/… which the console forwards to that service's
// admin API. Changes carry the session's CSRF token; errors arrive as problem details and are thrown as ApiError.

let csrfToken = '';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The request failed (${status}).`);
    this.status = status;
    this.problem = problem ?? {};
    this.title = this.problem.title || 'Request failed';
  }

  /** The problem's validation errors as [path, message] pairs. */
  get errors() {
    return Object.entries(this.problem.errors ?? {}).flatMap(([path, messages]) => messages.map((m) => [path, m]));
  }
}

export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-TOKEN'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await response.text();
  const data = text && (response.headers.get('Content-Type') ?? '').includes('json') ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && path !== '/console/session') window.dispatchEvent(new CustomEvent('console:signed-out'));
    throw new ApiError(response.status, data);
  }
  return data;
}

export async function loadSession() {
  const session = await request('GET', '/console/session');
  csrfToken = session.csrfToken;
  return session;
}

export async function signIn(token) {
  const session = await request('POST', '/console/session', { token });
  csrfToken = session.csrfToken;
  return session;
}

export const signOut = () => request('DELETE', '/console/session');

/** A path of a service's admin API for the current tenant: tenantPath('ingestion', '/sources'). */
export const tenantPath = (service, tenant, path) => `/api/${service}/tenants/${encodeURIComponent(tenant)}${path}`;
