// What the browser walkthroughs (*_test.mjs) share: the console's JSON API
// with the admin token, GB 11643 national IDs and GB 32100 credit codes
// with their check characters, money formatted independently of the
// page's code, signing in and out on the sign-in page, screenshots and
// watching a page for CSP reports and script errors. Not a test itself
// (run.sh runs only *_test.mjs).
import assert from 'node:assert/strict';

export const base = process.env.CONSOLE_URL;
export const artifacts = process.env.ARTIFACTS;
const admin = process.env.ADMIN_TOKEN;

// One call as an integrator holding `token` makes it (Authorization:
// Bearer); a refusal whose code is in `allow` is returned, any other throws.
export async function apiAs(token, method, body, { allow = [] } = {}) {
  const res = await fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok && !allow.includes(json.code)) throw new Error(`${method}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

// The same as the admin integrator.
export const api = (method, body, options) => apiAs(admin, method, body, options);

// A valid national ID: area code, birth year and month, day 10 + seq,
// serial `serial` + seq.
export function nationalId(seq, { area = '320924', born = '199001', serial = 100 } = {}) {
  const first17 = `${area}${born}${String(10 + seq).padStart(2, '0')}${String(serial + seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

// A national ID born on `birth` (YYYYMMDD) with sequence `seq` (0..99);
// the sex digit is odd for men and even for women.
export function nationalIdBorn(birth, seq, female) {
  const first17 = `320924${birth}${String(seq).padStart(2, '0')}${female ? 2 : 1}`;
  assert.equal(first17.length, 17);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

export function creditCode(n, area = '320924') {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const first17 = `91${area}MA${String(n).padStart(7, '0')}`;
  const sum = [...first17].reduce((s, c, i) => s + alphabet.indexOf(c) * weights[i], 0);
  return first17 + alphabet[(31 - (sum % 31)) % 31];
}

// The figures a page must show, formatted here with integer arithmetic on
// the fen / basis-point strings, independently of the page's own code.
export function yuan(fen) {
  const v = BigInt(fen);
  const a = v < 0n ? -v : v;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${v < 0n ? '-' : ''}¥${whole}.${(a % 100n).toString().padStart(2, '0')}`;
}

export function percent(bp) {
  const v = BigInt(bp);
  return `${v / 100n}.${(v % 100n).toString().padStart(2, '0')}%`;
}

export async function waitForConsole() {
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`${base}/api/session`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the console did not start');
}

// On the sign-in page (the app shows it to anyone signed out).
export async function signIn(page, roleLabel, org) {
  await page.locator('#signin-form').waitFor();
  await page.locator('#signin-role').selectOption({ label: roleLabel });
  await page.locator('#signin-org').fill(String(org));
  await page.locator('#signin-submit').click();
  await page.locator('#signin-form').waitFor({ state: 'detached' });
}

export async function signOut(page) {
  await page.locator('#signout').click();
  await page.locator('#signout').waitFor({ state: 'hidden' });
  await page.locator('#signin-form').waitFor();
}

// Numbered full-page screenshots under $ARTIFACTS/<prefix>-NN-<name>.png.
export function shooter(prefix) {
  let step = 0;
  return async (page, name) => {
    step += 1;
    const path = `${artifacts}/${prefix}-${String(step).padStart(2, '0')}-${name}.png`;
    await page.screenshot({ path, fullPage: true });
    return path;
  };
}

// Every CSP report and script error of `page` goes into `into`.
export function watch(page, into) {
  page.on('console', (msg) => { if (/Content Security Policy/i.test(msg.text())) into.push(msg.text()); });
  page.on('pageerror', (error) => into.push(`page error: ${error.message}`));
}
