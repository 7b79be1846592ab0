// The web console in Chromium against a real stack (run.sh starts it).
// Seeds a small county through the console's JSON API as an integrator
// would (Authorization: Bearer), then, as people do in the browser:
//   an auditor signs in, sees the Chinese labels and the county's
//   collection figures as ¥ amounts, switches to English;
//   an auditor scoped to a township asks for the county and gets the
//   Chinese permission error, not data;
//   a registrar finds a member by national ID;
//   the navigation follows the role: an auditor is offered the 经审 pages
//   and no 评选 ones, a registrar the 会员 pages, a nominator no 经审 page
//   and a translated refusal when it opens one by its address;
//   the committee's workbench pages its 21 nominations by 20 and says each
//   nomination's 说明 (awards' reason codes) in Chinese, then in English.
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

// A programme in a county of its own with 21 nominations (more than one
// page of the workbench's list): the first submitted (ineligible: tenure
// below the programme's 36 months), the second withdrawn, the rest drafts.
async function seedNominations() {
  let n = 0;
  const id = () => `browser-nominations-${process.pid}-${++n}`;
  const org = async (type, name, parent, employer) => (await api('unionhub.membership.v1.MembershipService/CreateOrg', {
    request_id: id(), org: { type, name, parent_id: parent, employer } })).org;
  const county = await org('ORG_TYPE_COUNTY_FEDERATION', '说明测试县总工会');
  const union = await org('ORG_TYPE_GRASSROOTS_UNION', '说明测试厂工会', county.org_id,
    { name: '说明测试厂', credit_code: creditCode(61), ownership: 'OWNERSHIP_NON_PUBLIC', headcount: 90, address: '说明路1号' });
  const members = [];
  for (let i = 0; i < 21; i++) {
    members.push((await api('unionhub.membership.v1.MembershipService/JoinMember', {
      request_id: id(), joined_on: '2025-01-10',
      member: {
        name: nomineeName(i), national_id: nationalId(i, { born: '198505', serial: 500 }),
        mobile: `1370000${String(i).padStart(4, '0')}`, household: 'HOUSEHOLD_URBAN', education: 'EDUCATION_VOCATIONAL',
        wage_base_fen: '600000', org_id: union.org_id,
      } })).member);
  }
  const year = new Date().getFullYear();
  const program = (await api('unionhub.awards.v1.AwardsService/CreateProgram', {
    request_id: id(),
    program: {
      title: '说明测试劳动奖章', level: 'AWARD_LEVEL_COUNTY', year, subject_type: 'SUBJECT_TYPE_INDIVIDUAL',
      organizer_org_id: county.org_id, total_quota: 25, allocations: [{ org_id: union.org_id, quota: 25 }],
      nomination_opens_on: `${year - 1}-01-01`, nomination_closes_on: `${year + 1}-12-31`,
      eligibility: { min_tenure_months: 36, max_arrears_months: 3 },
    } })).program;
  await api('unionhub.awards.v1.AwardsService/OpenNominations', { request_id: id(), program_id: program.program_id });
  const nominations = [];
  for (const member of members) {
    nominations.push((await api('unionhub.awards.v1.AwardsService/CreateNomination', {
      request_id: id(),
      nomination: { program_id: program.program_id, nominating_org_id: union.org_id, member_id: member.member_id, citation: '爱岗敬业，成绩突出。' },
    })).nomination);
  }
  // The eligibility check asks finance, which learns of members from
  // membership's change feed: submit again while it has not yet.
  for (let attempt = 0; ; attempt++) {
    const r = await api('unionhub.awards.v1.AwardsService/SubmitNomination',
      { request_id: id(), nomination_id: nominations[0].nomination_id }, { allow: ['UNAVAILABLE'] });
    if (r.nomination) {
      assert.equal(r.nomination.status, 'NOMINATION_STATUS_INELIGIBLE', JSON.stringify(r));
      break;
    }
    assert.ok(attempt < 60, `finance never saw the nominee: ${JSON.stringify(r)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await api('unionhub.awards.v1.AwardsService/WithdrawNomination',
    { request_id: id(), nomination_id: nominations[1].nomination_id, reason: '材料不全' });
  return { county, union, program, nominations };
}

// Names hold no digits (membership refuses them): 候选甲一 .. 候选甲三.
function nomineeName(i) {
  return `候选${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'一二三'[Math.floor(i / 10)]}`;
}

// The navigation entries the page offers (data-page of each link).
async function navPages(page) {
  await page.locator('#nav a').first().waitFor();
  return page.locator('#nav a').evaluateAll((links) => links.map((a) => a.getAttribute('data-page')));
}
const AUDIT_PAGES = ['collection', 'funds', 'spending', 'ledger', 'engagements'];
const AWARDS_PAGES = ['awards', 'award-program', 'award-nominations', 'award-review', 'award-contests'];

async function shot(page, name) {
  step += 1;
  await page.screenshot({ path: `${artifacts}/${String(step).padStart(2, '0')}-${name}.png`, fullPage: true });
}

await waitForConsole();
const data = await seed();
const awarded = await seedNominations();
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
  // The auditor is offered every 经审 page and no 评选 one.
  const auditorNav = await navPages(page);
  for (const p of AUDIT_PAGES) assert.ok(auditorNav.includes(p), `auditor nav ${auditorNav}`);
  for (const p of AWARDS_PAGES) assert.ok(!auditorNav.includes(p), `auditor nav ${auditorNav}`);
  assert.equal(await page.locator('#nav a[data-page="ledger"]').textContent(), '经审 · 账簿');
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
  // The registrar's menu: the 会员 pages, nothing of 经审 or 评选.
  assert.deepEqual(await navPages(page), ['members', 'join', 'orgs']);
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

  // A nominator: no 经审 entry in the menu, and the collection page opened
  // by its address says, in Chinese, that the role may not use it.
  await signOut(page);
  await signIn(page, '推荐单位', awarded.union.org_id);
  await page.waitForURL(/#\/award-nominations$/);
  const nominatorNav = await navPages(page);
  for (const p of AUDIT_PAGES) assert.ok(!nominatorNav.includes(p), `nominator nav ${nominatorNav}`);
  assert.ok(nominatorNav.includes('award-nominations'), `nominator nav ${nominatorNav}`);
  assert.ok(!nominatorNav.includes('award-program'), `nominator nav ${nominatorNav}`);
  await page.goto(`${base}/#/collection`);
  await page.locator('#page-denied').waitFor();
  assert.equal(await page.locator('#main h1').textContent(), '无权访问');
  assert.match(await page.locator('#page-denied').textContent(), /您的角色不能使用此页面/);
  assert.equal(await page.locator('#collection-org').count(), 0);
  await shot(page, 'nominator-denied-zh');
  // Its nominations list says each 说明 in Chinese too.
  await page.goto(`${base}/#/award-nominations`);
  await page.locator('#nominations-program').fill(awarded.program.program_id);
  await page.locator('#nominations-pick button[type=submit]').click();
  await page.locator('#nominations-list .status-reason[data-reason="INELIGIBLE"]', { hasText: '不符合推荐条件：会龄' }).waitFor();

  // The committee's workbench: 21 nominations, 20 a page; the 说明 of the
  // submitted one and of the withdrawn one in Chinese.
  await signOut(page);
  await signIn(page, '评选委员会', awarded.county.org_id);
  await page.waitForURL(/#\/awards$/);
  const committeeNav = await navPages(page);
  for (const p of AUDIT_PAGES) assert.ok(!committeeNav.includes(p), `committee nav ${committeeNav}`);
  for (const p of AWARDS_PAGES) assert.ok(committeeNav.includes(p), `committee nav ${committeeNav}`);
  await page.locator('#nav a[data-page="award-program"]').click();
  await page.locator('#program-pick').fill(awarded.program.program_id);
  await page.locator('#program-pick-form button[type=submit]').click();
  const rows = page.locator('#program-nominations tbody tr');
  await page.locator('#program-nominations .pager').waitFor();
  assert.equal(await rows.count(), 20);
  const reason = (nomination) => page.locator('#program-nominations tbody tr',
    { has: page.locator(`td:first-child:text-is("${nomination.nomination_id}")`) }).locator('.status-reason');
  assert.equal(await reason(awarded.nominations[0]).textContent(), '不符合推荐条件：会龄');
  assert.equal(await reason(awarded.nominations[1]).textContent(), '已撤回：材料不全');
  assert.match(await reason(awarded.nominations[0]).getAttribute('title'), /membership tenure is \d+ months/);
  assert.match(await page.locator('#program-nominations .pager').textContent(), /第 1 页/);
  assert.equal(await page.locator('#program-nominations [data-pager="prev"]').isDisabled(), true);
  await shot(page, 'program-nominations-page1-zh');
  await page.locator('#program-nominations [data-pager="next"]').click();
  await page.locator('#program-nominations .pager', { hasText: '第 2 页' }).waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), new RegExp(nomineeName(20)));
  assert.equal(await page.locator('#program-nominations [data-pager="next"]').isDisabled(), true);
  await shot(page, 'program-nominations-page2-zh');
  await page.locator('#program-nominations [data-pager="prev"]').click();
  await page.locator('#program-nominations .pager', { hasText: '第 1 页' }).waitFor();
  assert.equal(await rows.count(), 20);
  // In English: the same reasons in English, the pager labelled in English.
  await page.locator('#lang').click();
  await page.locator('#program-nominations .pager', { hasText: 'Page 1' }).waitFor();
  assert.equal(await reason(awarded.nominations[0]).textContent(), 'Not eligible: Tenure');
  assert.equal(await reason(awarded.nominations[1]).textContent(), 'Withdrawn: 材料不全');
  assert.equal(await page.locator('#program-nominations [data-pager="next"]').textContent(), 'Next');
  await shot(page, 'program-nominations-en');
  await page.locator('#lang').click();

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
