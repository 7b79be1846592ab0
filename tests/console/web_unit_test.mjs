// The web app's pure modules under node (ctest label unit): money and
// rates formatted with integer arithmetic, and the two message tables
// holding the same keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { money, rate, yuanToFen, isIsoDate, isIsoMonth, localDay } from '../../services/console/web/js/format.js';
import { readFileSync } from 'node:fs';
import { keys, t, LANGUAGES } from '../../services/console/web/js/i18n.js';

test('money is yuan with two decimals from fen', () => {
  assert.equal(money('123456'), '¥1,234.56');
  assert.equal(money('5'), '¥0.05');
  assert.equal(money('-5'), '-¥0.05');
  assert.equal(money('0'), '¥0.00');
  assert.equal(money(undefined), '¥0.00');
  assert.equal(money('100000000'), '¥1,000,000.00');
  // Beyond a double's 2^53: exact only with integer arithmetic.
  assert.equal(money('9007199254740993'), '¥90,071,992,547,409.93');
  assert.equal(money('12.5'), '—');
  assert.equal(money('abc'), '—');
});

test('rates are percent with two decimals from basis points', () => {
  assert.equal(rate('8512'), '85.12%');
  assert.equal(rate('10000'), '100.00%');
  assert.equal(rate('7'), '0.07%');
  assert.equal(rate(0), '0.00%');
});

test('yuan input becomes fen without floating point', () => {
  assert.equal(yuanToFen('12.5'), '1250');
  assert.equal(yuanToFen('12.05'), '1205');
  assert.equal(yuanToFen('0.1'), '10');
  assert.equal(yuanToFen('123456789012.34'), '12345678901234');
  assert.equal(yuanToFen('12.345'), null);
  assert.equal(yuanToFen('1e3'), null);
  assert.equal(yuanToFen(''), null);
});

test('date fields take real days and months in ISO form only', () => {
  const days = { '2025-02-28': true, '2024-02-29': true, '2000-02-29': true, '2025-02-29': false, '1900-02-29': false,
    '2025-04-31': false, '2025-13-01': false, '2025-5-1': false, '05/01/2025': false, '': false };
  for (const [text, ok] of Object.entries(days)) assert.equal(isIsoDate(text), ok, text);
  const months = { '2025-12': true, '2025-00': false, '2025-3': false };
  for (const [text, ok] of Object.entries(months)) assert.equal(isIsoMonth(text), ok, text);
  // The local day, not the UTC one toISOString gives.
  assert.equal(localDay(new Date(2026, 0, 2, 0, 30)), '2026-01-02');
});

test('both languages have every label', () => {
  assert.deepEqual(LANGUAGES, ['zh-CN', 'en']);
  assert.deepEqual([...keys('en')].sort(), [...keys('zh-CN')].sort());
  assert.equal(t('collection.title'), '会费收缴情况');
});

test('a download keeps the server\'s UTF-8 file name', async () => {
  const { dispositionName } = await import('../../services/console/web/js/api.js');
  assert.equal(dispositionName(
    "attachment; filename=\"arrears-1.csv\"; filename*=UTF-8''%E6%AC%A0%E7%BC%B4-1.csv", 'x'), '欠缴-1.csv');
  assert.equal(dispositionName('attachment; filename="arrears-1.csv"', 'x'), 'arrears-1.csv');
  assert.equal(dispositionName(null, 'x'), 'x');
});

test('every reason the services give has its text in both languages', () => {
  // The one list of reasons (common/core/violations.h, namespace reasons).
  const header = readFileSync(new URL('../../common/core/violations.h', import.meta.url), 'utf8');
  const block = header.slice(header.indexOf('namespace reasons {'), header.indexOf('}  // namespace reasons'));
  const reasons = [...block.matchAll(/=\s*"([A-Z0-9_]+)"/g)].map((m) => m[1]);
  assert.ok(reasons.includes('REQUIRED') && reasons.includes('BAD_NATIONAL_ID'), reasons.join());
  for (const name of LANGUAGES) {
    for (const reason of reasons) {
      assert.ok(keys(name).includes(`violation.${reason}`), `${name} has no text for ${reason}`);
    }
  }
});

test('a violation is said by its reason, else in the service\'s words', async () => {
  const { violationText } = await import('../../services/console/web/js/dom.js');
  assert.equal(violationText({ field: 'member.name', reason: 'TEXT_DIGITS', description: 'must not contain digits' }), '不能含有数字');
  assert.equal(violationText({ field: 'x', reason: 'NO_SUCH_REASON', description: 'as the service said' }), 'as the service said');
  assert.equal(violationText({ field: 'x', reason: '', description: 'no reason given' }), 'no reason given');
});

// Navigation follows the signed-in role: a page is offered when the
// session's permissions (the gate's table, /api/session) include what the
// page needs.
test('pages are offered by the permissions the session lists', async () => {
  const { mayOpen, homeFor } = await import('../../services/console/web/js/access.js');
  const areas = [
    { pages: { collection: { needs: 'audit.reports.read' }, ledger: { needs: 'audit.ledger.read' } },
      home: { page: 'collection', roles: ['auditor', 'finance_clerk'] } },
    { pages: { members: { needs: 'membership.members.read' } }, home: { page: 'members', roles: ['registrar'] } },
    { pages: { awards: { needs: 'awards.programs.read' }, 'award-nominations': { needs: 'awards.nominations.write' } },
      home: { page: 'awards', roles: ['award_committee'], byRole: { nominator: 'award-nominations' } } },
  ];
  const nominator = { roles: ['nominator'], permissions: ['membership.members.read', 'awards.programs.read', 'awards.nominations.write'] };
  const auditor = { roles: ['auditor'], permissions: ['audit.reports.read', 'audit.ledger.read', 'membership.members.read'] };
  assert.equal(mayOpen(areas[0].pages.collection, nominator), false);
  assert.equal(mayOpen(areas[0].pages.collection, auditor), true);
  assert.equal(mayOpen(areas[2].pages.awards, auditor), false);
  assert.equal(mayOpen({ module: {} }, nominator), true);  // the sign-in page needs nothing
  assert.equal(mayOpen(undefined, auditor), false);
  assert.equal(mayOpen(areas[0].pages.collection, { roles: ['auditor'] }), false);  // no list, nothing offered
  assert.equal(homeFor(areas, nominator), 'award-nominations');
  assert.equal(homeFor(areas, auditor), 'collection');
  // A role whose home is not open to it lands on the first page it may open.
  assert.equal(homeFor(areas, { roles: ['finance_clerk'], permissions: ['membership.members.read'] }), 'members');
  assert.equal(homeFor(areas, { roles: ['service'], permissions: [] }), null);
});

test('every page needs a permission the gate knows', () => {
  const roles = readFileSync(new URL('../../common/auth/roles.cc', import.meta.url), 'utf8');
  const known = new Set([...roles.matchAll(/"([a-z_]+(?:\.[a-z_]+)+)"/g)].map((m) => m[1]));
  assert.ok(known.has('audit.reports.read') && known.has('awards.review.vote'), [...known].join());
  let pages = 0;
  for (const area of ['audit', 'members', 'awards']) {
    const source = readFileSync(new URL(`../../services/console/web/js/areas/${area}.js`, import.meta.url), 'utf8');
    const entries = [...source.matchAll(/^\s*'?([a-z-]+)'?: \{ module: \w+, needs: '([^']+)', nav: '([^']+)' \}/gm)];
    assert.ok(entries.length >= 3, `${area}: ${entries.length} pages`);
    for (const [, page, needs, nav] of entries) {
      assert.ok(known.has(needs), `${area}/${page} needs ${needs}, which common/auth/roles.cc does not grant`);
      for (const name of LANGUAGES) assert.ok(keys(name).includes(nav), `${name} has no ${nav}`);
      pages += 1;
    }
  }
  assert.equal(pages, 13);
});
