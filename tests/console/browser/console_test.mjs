// The web console in Chromium against a real stack (run.sh starts it).
// Seeds a small county through the console's JSON API as an integrator
// would (Authorization: Bearer), then, as people do in the browser:
//   an auditor signs in, sees the Chinese labels and the county's
//   collection figures as ¥ amounts, switches to English;
//   an auditor scoped to a township asks for the county and gets the
//   Chinese permission error, not data;
//   a registrar finds a member by national ID.
// Fails on any Content-Security-Policy violation. Screenshots in $ARTIFACTS.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { api, nationalId, creditCode, yuan, waitForConsole, signIn, signOut } from './walkthrough.mjs';

const base = process.env.CONSOLE_URL;
const artifacts = process.env.ARTIFACTS;
const root = fileURLToPath(new URL('../../..', import.meta.url));
let step = 0;

async function seed() {
  let n = 0;
  const id = () => `browser-${process.pid}-${++n}`;
  const county = (await api('unionhub.membership.v1.MembershipService/CreateOrg', {
    request_id: id(), org: { type: 'ORG_TYPE_COUNTY_FEDERATION', name: '浏览器测试县总工会' } })).org;
  const township = (await api('unionhub.membership.v1.MembershipService/CreateOrg', {
    request_id: id(), org: { type: 'ORG_TYPE_TOWNSHIP_UNION', name: '城关镇总工会', parent_id: county.org_id } })).org;
  const union = (await api('unionhub.membership.v1.MembershipService/CreateOrg', {
    request_id: id(),
    org: {
      type: 'ORG_TYPE_GRASSROOTS_UNION', name: '机械厂工会', parent_id: township.org_id,
      employer: { name: '城关机械厂', credit_code: creditCode(7), ownership: 'OWNERSHIP_NON_PUBLIC', headcount: 60, address: '城关镇人民路1号' },
    } })).org;
  const members = [];
  for (let i = 0; i < 3; i++) {
    members.push((await api('unionhub.membership.v1.MembershipService/JoinMember', {
      request_id: id(), joined_on: '2025-01-10',
      member: {
        name: ['张伟', '李娜', '王芳'][i], national_id: nationalId(i), mobile: `1380000000${i}`,
        household: 'HOUSEHOLD_URBAN', education: 'EDUCATION_VOCATIONAL', wage_base_fen: '600000', org_id: union.org_id,
      } })).member);
  }
  await api('unionhub.finance.v1.FinanceService/SetDuesPolicy', {
    request_id: id(), policy: { scope_org_id: county.org_id, effective_from: '2025-01', rate_bp: '50' } });
  // Finance learns of the members from membership's change feed: assess
  // again until all three are charged.
  for (const month of ['2025-01', '2025-02']) {
    for (let attempt = 0; ; attempt++) {
      const r = await api('unionhub.finance.v1.FinanceService/AssessDues', { request_id: id(), org_id: county.org_id, month });
      if (r.members_charged + r.already_charged >= 3) break;
      assert.ok(attempt < 60, `finance never saw the members: ${JSON.stringify(r)}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  for (const member of members.slice(0, 2)) {
    await api('unionhub.finance.v1.FinanceService/RecordDuesPayment', {
      request_id: id(), member_id: member.member_id, amount_fen: '3000', month: '2025-01',
      method: 'PAYMENT_METHOD_CASH', paid_on: '2025-01-25' });
  }
  const report = await api('unionhub.finance.v1.AuditService/GetCollectionReport', {
    org_id: county.org_id, from_month: '2025-01', to_month: '2025-02' });
  assert.notEqual(report.total.paid_fen, '0', 'the seeded payments show in the report');
  return { county, township, union, members, report };
}

async function shot(page, name) {
  step += 1;
  await page.screenshot({ path: `${artifacts}/${String(step).padStart(2, '0')}-${name}.png`, fullPage: true });
}

await waitForConsole();
const data = await seed();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const violations = [];
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (msg) => { if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text()); });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));

  // Signed out: the sign-in page, in Chinese.
  await page.goto(base);
  await page.waitForURL(/#\/signin$/);
  await page.locator('h1', { hasText: '登录' }).waitFor();
  assert.equal(await page.locator('#signin-role option[value="auditor"]').textContent(), '经审人员');
  await shot(page, 'signin-zh');

  // The auditor's collection view of the county, 2025-01..02.
  await signIn(page, '经审人员', 0);
  await page.locator('h1', { hasText: '会费收缴情况' }).waitFor();
  await page.locator('#collection-org').fill(data.county.org_id);
  await page.locator('#collection-from').fill('2025-01');
  await page.locator('#collection-to').fill('2025-02');
  await page.locator('#collection-query').click();
  await page.locator('#total-paid').waitFor();
  const t = data.report.total;
  assert.equal(await page.locator('#total-due').textContent(), yuan(t.due_fen));
  assert.equal(await page.locator('#total-paid').textContent(), yuan(t.paid_fen));
  assert.match(await page.locator('#total-paid').textContent(), /^¥[\d,]+\.\d{2}$/);
  const bp = BigInt(t.collection_rate_bp);
  assert.equal(await page.locator('#total-rate').textContent(), `${bp / 100n}.${(bp % 100n).toString().padStart(2, '0')}%`);
  await page.locator('#by-month td', { hasText: '2025-01' }).first().waitFor();
  await page.locator('#by-child td', { hasText: '城关镇总工会' }).first().waitFor();
  assert.equal(await page.locator('#by-month circle.dot').count(), data.report.by_month.length);
  await page.locator('#arrears h2', { hasText: '欠缴名单' }).waitFor();
  await page.locator('#arrears td', { hasText: '王芳' }).waitFor();  // the one who never paid
  // Two unpaid months make nobody a lapse candidate: the empty state.
  await page.locator('#lapse .empty', { hasText: '没有拟停籍会员。' }).waitFor();
  await shot(page, 'collection-zh');

  // The downloads: the workbook, opened and checked (the Summary sheet in
  // Chinese with the service's total), and the arrears CSV (BOM, Chinese
  // headers, the member who owes).
  const [book] = await Promise.all([page.waitForEvent('download'), page.locator('#download-workbook').click()]);
  assert.match(book.suggestedFilename(), /^经审报告-\d+-2025-01-2025-02\.xlsx$/);
  const bookPath = `${artifacts}/workbook-zh.xlsx`;
  await book.saveAs(bookPath);
  const dumped = JSON.parse(execFileSync('/usr/bin/python3', [`${root}/tests/unionctl/xlsx_dump.py`, bookPath]).toString());
  assert.equal(dumped.sheets[0], '汇总');
  const summary = dumped.cells['汇总'];
  const dueRow = Object.keys(summary).find((k) => k.startsWith('A') && summary[k].v === '应收会费');
  assert.ok(dueRow, JSON.stringify(summary));
  assert.equal(Math.round(Number(summary[`B${dueRow.slice(1)}`].v) * 100), Number(t.due_fen));
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#download-arrears').click()]);
  assert.match(csv.suggestedFilename(), /^欠缴名单-\d+-.*\.csv$/);
  const csvPath = `${artifacts}/arrears-zh.csv`;
  await csv.saveAs(csvPath);
  const csvText = readFileSync(csvPath);
  assert.deepEqual([...csvText.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.match(csvText.toString('utf8'), /^\uFEFF会员编号,姓名,/);
  assert.match(csvText.toString('utf8'), /王芳/);

  // English: the same figures, English labels.
  await page.locator('#lang').click();
  await page.locator('h1', { hasText: 'Dues collection' }).waitFor();
  await page.locator('#total-paid').waitFor();
  assert.equal(await page.locator('#total-paid').textContent(), yuan(t.paid_fen));
  await page.locator('#arrears h2', { hasText: 'Arrears' }).waitFor();
  assert.equal(await page.locator('#lang').textContent(), '中文');
  await shot(page, 'collection-en');
  await page.locator('#lang').click();
  await page.locator('h1', { hasText: '会费收缴情况' }).waitFor();

  // A month range the service refuses: its field violation is shown next
  // to the field it names, in Chinese (by the violation's reason).
  await page.locator('#collection-from').fill('2025-03');
  await page.locator('#collection-to').fill('2025-01');
  await page.locator('#collection-query').click();
  await page.locator('#collection-report .error[data-code="INVALID_ARGUMENT"]').waitFor();
  assert.match(await page.locator('#collection-report .error').textContent(), /填写的内容有误/);
  const fieldError = page.locator('label:has(#collection-to) .field-error');
  await fieldError.waitFor();
  assert.equal(await fieldError.textContent(), '不能早于起始月份');
  assert.equal(await fieldError.getAttribute('title'), 'must not be before from_month');
  await shot(page, 'collection-field-error-zh');

  // An auditor of the township asking for the whole county: the services'
  // gate refuses, the page says so in Chinese and shows no figures.
  await signOut(page);
  await signIn(page, '经审人员', data.township.org_id);
  await page.locator('#collection-org').fill(data.county.org_id);
  await page.locator('#collection-from').fill('2025-01');
  await page.locator('#collection-to').fill('2025-02');
  await page.locator('#collection-query').click();
  const error = page.locator('#collection-report .error');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-code'), 'PERMISSION_DENIED');
  assert.match(await error.textContent(), /您没有执行此操作的权限/);
  assert.equal(await page.locator('#total-paid').count(), 0);
  await shot(page, 'collection-denied-zh');

  // The registrar finds a member by national ID.
  await signOut(page);
  await signIn(page, '会员登记员', 0);
  await page.locator('h1', { hasText: '会员查询' }).waitFor();
  await page.locator('#member-key').fill(nationalId(1));
  await page.locator('#member-lookup button[type=submit]').click();
  await page.locator('#member-detail h2', { hasText: '李娜' }).waitFor();
  assert.match(await page.locator('#member-detail').textContent(), /¥6,000\.00/);
  await page.locator('#member-history td', { hasText: '入会' }).waitFor();
  await shot(page, 'member-zh');
  // The organisation field suggests the orgs the caller may see, by name.
  assert.equal(await page.locator(`#members-orgs option[value="${data.union.org_id}"]`).textContent(), '机械厂工会');
  await page.locator('#members-org').fill(data.union.org_id);
  await page.locator('#members-list button[type=submit]').click();
  await page.locator('#members-rows td', { hasText: '王芳' }).waitFor();
  assert.equal(await page.locator('#members-rows tbody tr').count(), 3);
  await page.locator('#members-rows a', { hasText: '王芳' }).click();
  await page.locator('#member-detail h2', { hasText: '王芳' }).waitFor();
  await shot(page, 'members-list-zh');

  // The session cookie is out of the page's reach; the CSRF one is not.
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'uh_session');
  assert.ok(session && session.httpOnly && session.secure && session.sameSite === 'Strict');
  assert.equal(await page.evaluate(() => document.cookie.includes('uh_session')), false);
} catch (error) {
  // What the page showed and said when it went wrong.
  for (const page of browser.contexts().flatMap((c) => c.pages())) {
    await page.screenshot({ path: `${artifacts}/failure.png`, fullPage: true }).catch(() => {});
  }
  console.error('page errors and CSP reports:', violations);
  throw error;
} finally {
  await browser.close();
}
assert.deepEqual(violations, [], 'no CSP violation or script error');
console.log(`console browser test: ok (screenshots in ${artifacts})`);
