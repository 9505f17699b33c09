// The join link: #session=<id>&token=<jwt> in the URL fragment. The fragment
// never reaches the server; app.js moves it into sessionStorage (so a reload
// still works) and removes it from the address bar.

export const JOIN_KEY = 'kopa.join';
const SESSION_RE = /^[A-Za-z0-9_-]{1,64}$/;
const TOKEN_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Reads a location.hash. Returns null when it carries no join link,
 * {invalid: true} when it tries to but is malformed, else {session, token}.
 */
export function parseJoinFragment(hash) {
  const raw = String(hash || '').replace(/^#/, '');
  if (!raw) return null;
  const params = new URLSearchParams(raw);
  if (!params.has('session') && !params.has('token')) return null;
  const session = params.get('session') || '';
  const token = params.get('token') || '';
  if (!SESSION_RE.test(session) || !TOKEN_RE.test(token)) return { invalid: true };
  return { session, token };
}

/** The user id (`sub`) a token claims, read without verifying it (the server verifies); null if unreadable. */
export function tokenSubject(token) {
  try {
    const part = String(token).split('.')[1];
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((part.length + 3) % 4);
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims.sub === 'string' ? claims.sub : null;
  } catch (e) {
    return null;
  }
}

/** The sessionStorage key for one user's unacknowledged messages in one session. */
export function pendingKey(session, token) {
  return `kopa.pending:${session}:${tokenSubject(token) || '?'}`;
}
