// What the browser walkthroughs share: the console's JSON API as an
// integrator calls it (Authorization: Bearer), valid national IDs and
// credit codes for seeding, waiting for the console, screenshots, and the
// development sign-in and sign-out as a person does them.
import assert from 'node:assert/strict';

export const base = process.env.CONSOLE_URL;
export const artifacts = process.env.ARTIFACTS;

export async function api(token, method, body) {
  const res = await fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

// A GB 11643 national ID born on `birth` (YYYYMMDD) with sequence `seq`
// (0..99); the sex digit is odd for men and even for women.
export function nationalId(birth, seq, female) {
  const first17 = `320924${birth}${String(seq).padStart(2, '0')}${female ? 2 : 1}`;
  assert.equal(first17.length, 17);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

// A GB 32100 unified social credit code ending in its check character.
export function creditCode(n) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const first17 = `91320924MA${String(n).padStart(7, '0')}`;
  const sum = [...first17].reduce((s, c, i) => s + alphabet.indexOf(c) * weights[i], 0);
  return first17 + alphabet[(31 - (sum % 31)) % 31];
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

// On the sign-in page (the app shows it to anyone signed out).
export async function signIn(page, roleLabel, org) {
  await page.locator('#signin-form').waitFor();
  await page.locator('#signin-role').selectOption({ label: roleLabel });
  await page.locator('#signin-org').fill(String(org));
  await page.locator('#signin-submit').click();
  await page.locator('#signin-form').waitFor({ state: 'detached' });
}

// Every CSP report and script error of `page` goes into `into`.
export function watch(page, into) {
  page.on('console', (msg) => { if (/Content Security Policy/i.test(msg.text())) into.push(msg.text()); });
  page.on('pageerror', (error) => into.push(`page error: ${error.message}`));
}
