// The console's JSON API: POST /api/<package.Service>/<Method> with the
// CSRF token (the uh_csrf cookie's value) in X-CSRF-Token; the session
// cookie itself is HttpOnly and never seen here.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? 'UNKNOWN';
    this.fieldViolations = body?.field_violations ?? [];
    // FAILED_PRECONDITION: each broken rule with its figures, when the
    // service names them ({type, subject, description, actual, required}).
    this.preconditionViolations = body?.precondition_violations ?? [];
  }
}

function csrf() {
  const m = document.cookie.match(/(?:^|;\s*)uh_csrf=([0-9a-f]+)/);
  return m ? m[1] : '';
}

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
    body: JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : {}; } catch { json = { code: 'UNKNOWN', message: '' }; }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

// call('unionhub.finance.v1.FinanceService/GetCollectionReport', {...})
export function call(method, request) {
  return post(`/api/${method}`, request);
}

export async function session() {
  const res = await fetch('/api/session', { credentials: 'same-origin' });
  return res.json();
}

export function signIn(role, orgId) {
  return post('/api/session/dev-sign-in', { role, org_id: String(orgId) });
}

export function signOut() {
  return post('/api/session/sign-out', {});
}

// A random request_id for mutating calls (idempotent retries).
export function requestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return 'console-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// The UTF-8 file name of a Content-Disposition header (filename*=UTF-8''...),
// else its plain filename, else `fallback`.
export function dispositionName(header, fallback) {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '');
  if (utf8) {
    try { return decodeURIComponent(utf8[1]); } catch { /* fall through */ }
  }
  const plain = /filename="([^"]+)"/i.exec(header ?? '');
  return plain ? plain[1] : fallback;
}

// GET /api/download/<what>?<params> with the session, saved under the
// server's file name. Fetched rather than followed as a link so a refusal
// is an ApiError the page shows in its language, not a saved JSON file.
export async function download(what, params) {
  const query = new URLSearchParams(params).toString();
  const res = await fetch(`/api/download/${what}?${query}`, { credentials: 'same-origin' });
  if (!res.ok) {
    let json = null;
    try { json = await res.json(); } catch { json = { code: 'UNKNOWN', message: '' }; }
    throw new ApiError(res.status, json);
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = dispositionName(res.headers.get('Content-Disposition'), what);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
