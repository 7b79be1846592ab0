// 会员 and the other 经审 pages in Chromium against the real stack run.sh
// starts. Seeds a county of its own through the console's JSON API as an
// integrator would (orgs, members, payroll and union funds, expenses, dues,
// an audit engagement with an overdue rectification), then, as people do:
//   a registrar of the county finds members by the start of a name, opens
//   one, registers a new member with a bad national ID and mobile number,
//   sees the Chinese reasons next to those two inputs, fixes them and sees
//   the new member; changes a status with a missing reason the same way;
//   and reads the org tree's 入会率/建会率;
//   an auditor reads funds reconciliation, spending by category, ledger
//   verification, the engagements with findings and overdue
//   rectifications, and a member's dues statement from the arrears list,
//   each figure checked against the services' own answer or the data made.
// Fails on any Content-Security-Policy violation. Screenshots in $ARTIFACTS.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { api, nationalId, creditCode, yuan, percent, waitForConsole, signIn, signOut } from './walkthrough.mjs';

const base = process.env.CONSOLE_URL;
const artifacts = process.env.ARTIFACTS;
const M = 'unionhub.membership.v1.MembershipService';
const F = 'unionhub.finance.v1.FinanceService';
const A = 'unionhub.finance.v1.AuditService';
let n = 0;
const id = () => `registry-${process.pid}-${++n}`;

// Retries `fn` while finance has not yet seen membership's change feed.
async function eventually(what, fn) {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await fn();
      if (r !== false) return r;
    } catch (error) {
      if (attempt >= 90) throw error;
    }
    assert.ok(attempt < 90, `${what} never happened`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// National IDs (born 1988) and credit codes (area 320583) not used by the
// other walkthroughs.
const personId = (seq) => nationalId(seq, { area: '320583', born: '198803', serial: 200 });
const employerCode = (k) => creditCode(k, '320583');

async function seed() {
  const org = async (o) => (await api(`${M}/CreateOrg`, { request_id: id(), org: o })).org;
  const county = await org({ type: 'ORG_TYPE_COUNTY_FEDERATION', name: '登记测试县总工会', region_code: '320583' });
  const township = await org({ type: 'ORG_TYPE_TOWNSHIP_UNION', name: '南湖街道工会', parent_id: county.org_id });
  const union = await org({
    type: 'ORG_TYPE_GRASSROOTS_UNION', name: '南湖机械厂工会', parent_id: township.org_id,
    employer: { name: '南湖机械厂', credit_code: employerCode(31), ownership: 'OWNERSHIP_NON_PUBLIC', headcount: 40, address: '南湖街道1号' },
  });
  // An employer without a union: it halves the township's 建会率.
  await api(`${M}/CreateEmployer`, { request_id: id(), employer: {
    name: '南湖物流有限公司', credit_code: employerCode(32), ownership: 'OWNERSHIP_NON_PUBLIC', headcount: 20, address: '南湖街道9号', area_org_id: township.org_id } });
  const members = [];
  for (const [i, name] of ['欧阳明', '欧阳丽', '赵强'].entries()) {
    members.push((await api(`${M}/JoinMember`, { request_id: id(), joined_on: '2025-01-06', member: {
      name, national_id: personId(i), mobile: `1390000100${i}`, household: 'HOUSEHOLD_URBAN',
      education: 'EDUCATION_COLLEGE', wage_base_fen: '500000', org_id: union.org_id } })).member);
  }

  // Union funds: a payroll declaration (2 % due) and part of it collected.
  await api(`${F}/SetAllocationTable`, { request_id: id(), table: { province_code: '320000', effective_from: '2024-01',
    shares: [{ level: 'national', share_bp: '1250' }, { level: 'provincial', share_bp: '2500' },
      { level: 'city', share_bp: '2500' }, { level: 'county', share_bp: '3750' }] } }, { allow: ['ALREADY_EXISTS', 'FAILED_PRECONDITION'] });
  const employerId = union.employer.employer_id;
  await eventually('payroll declared', () => api(`${F}/DeclarePayroll`, {
    request_id: 'registry-payroll-' + process.pid, employer_id: employerId, month: '2025-03', total_payroll_fen: '10000000' }));
  await api(`${F}/RecordFundsCollection`, { request_id: id(), employer_id: employerId, month: '2025-03',
    amount_fen: '150000', channel: 'COLLECTION_CHANNEL_TAX_COLLECTED', received_on: '2025-04-10' });

  // Spending: hardship aid reaching front-line workers, and hospitality
  // (a flagged category).
  await api(`${F}/RecordExpense`, { request_id: id(), org_id: union.org_id, category: 'SPENDING_CATEGORY_HARDSHIP_AID',
    amount_fen: '50000', front_line_beneficiary: true, payee: '困难职工', approval_reference: 'NH-2025-01', spent_on: '2025-03-12', description: '困难帮扶' });
  await api(`${F}/RecordExpense`, { request_id: id(), org_id: union.org_id, category: 'SPENDING_CATEGORY_HOSPITALITY',
    amount_fen: '20000', payee: '南湖饭店', approval_reference: 'NH-2025-02', spent_on: '2025-03-20', description: '接待' });

  // Dues: 2025-03 charged to all three, paid by one.
  await api(`${F}/SetDuesPolicy`, { request_id: id(), policy: { scope_org_id: county.org_id, effective_from: '2025-01', rate_bp: '50' } });
  await eventually('dues charged', async () => {
    const r = await api(`${F}/AssessDues`, { request_id: id(), org_id: county.org_id, month: '2025-03' });
    return r.members_charged + r.already_charged >= 3;
  });
  await api(`${F}/RecordDuesPayment`, { request_id: id(), member_id: members[0].member_id, amount_fen: '2500',
    month: '2025-03', method: 'PAYMENT_METHOD_CASH', paid_on: '2025-03-25' });

  // An engagement with a finding whose rectification is past its deadline.
  const engagement = (await api(`${A}/OpenEngagement`, { request_id: id(), org_id: county.org_id, type: 'ENGAGEMENT_TYPE_SPECIAL',
    title: '南湖经费专项审计', period_from: '2025-01', period_to: '2025-03' })).engagement;
  await api(`${A}/AdvanceEngagement`, { request_id: id(), engagement_id: engagement.engagement_id, status: 'ENGAGEMENT_STATUS_FIELDWORK' });
  const finding = (await api(`${A}/AddFinding`, { request_id: id(), engagement_id: engagement.engagement_id,
    severity: 'FINDING_SEVERITY_HIGH', category: '公务接待', amount_fen: '20000', description: '接待费用超出标准' })).finding;
  await api(`${A}/AddRectification`, { request_id: id(), finding_id: finding.finding_id, owner: '南湖机械厂工会',
    action: '退回超标接待费', deadline: '2025-04-30' });
  return { county, township, union, members, engagement };
}

let step = 0;
async function shot(page, name) {
  step += 1;
  await page.screenshot({ path: `${artifacts}/registry-${String(step).padStart(2, '0')}-${name}.png`, fullPage: true });
}

const text = async (locator) => (await locator.textContent()).trim();

await waitForConsole();
const data = await seed();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const violations = [];
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('console', (msg) => { if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text()); });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  await page.goto(base);

  // ---------------------------------------------------------------- 会员
  await signIn(page, '会员登记员', data.county.org_id);
  await page.locator('h1', { hasText: '会员查询' }).waitFor();
  await page.locator('#member-by').selectOption('name');
  await page.locator('#member-key').fill('欧阳');
  await page.locator('#member-lookup button[type=submit]').click();
  await page.locator('#member-matches h2', { hasText: '姓名以“欧阳”开头的会员' }).waitFor();
  assert.equal(await page.locator('#member-matches tbody tr').count(), 2);
  await shot(page, 'members-by-name-zh');
  await page.locator('#member-matches a', { hasText: '欧阳丽' }).click();
  await page.locator('#member-detail h2', { hasText: '欧阳丽' }).waitFor();
  assert.match(await text(page.locator('#member-detail')), /¥5,000\.00/);
  await page.locator('#member-history td', { hasText: '入会' }).waitFor();
  assert.equal(await text(page.locator('#member-history tbody tr td').first()), '2025-01-06');
  await shot(page, 'member-detail-zh');

  // A status change to 保留会籍 without its reason: the reason's select
  // says 必填; with 退休 chosen the history shows the change.
  await page.locator('#status-to').selectOption('MEMBER_STATUS_RETAINED');
  await page.locator('#status-form button[type=submit]').click();
  const retainedError = page.locator('label:has(#status-retained) .field-error');
  await retainedError.waitFor();
  assert.equal(await text(retainedError), '必填');
  await page.locator('#status-retained').selectOption('RETAINED_REASON_RETIRED');
  await page.locator('#status-form button[type=submit]').click();
  await page.locator('#member-history td', { hasText: '状态变更' }).waitFor();
  assert.match(await text(page.locator('#member-detail')), /保留会籍/);

  // Join with a national ID whose check character is wrong and a mobile
  // number that is not one: each reason in Chinese next to its input,
  // nothing else marked.
  await page.locator('nav a[data-page="join"]').click();
  await page.locator('h1', { hasText: '入会登记' }).waitFor();
  const goodId = personId(7);
  const badId = goodId.slice(0, 17) + (goodId[17] === '0' ? '1' : '0');
  await page.locator('#join-name').fill('孙小明');
  await page.locator('#join-national-id').fill(badId);
  await page.locator('#join-mobile').fill('12345');
  await page.locator('#join-wage').fill('4800.50');
  await page.locator('#join-org').fill(data.union.org_id);
  await page.locator('#join-on').fill('2025-05-01');
  await page.locator('#join-submit').click();
  const idError = page.locator('label:has(#join-national-id) .field-error');
  await idError.waitFor();
  assert.equal(await text(idError), '不是有效的 18 位公民身份号码');
  assert.equal(await text(page.locator('label:has(#join-mobile) .field-error')), '应为 11 位大陆手机号码（13–19 开头）');
  assert.equal(await page.locator('#join-form .field-error').count(), 2);
  assert.equal(await page.locator('#join-national-id').getAttribute('aria-invalid'), 'true');
  assert.match(await text(page.locator('#join-status .error')), /填写的内容有误/);
  await shot(page, 'join-field-errors-zh');
  // The same errors in English after the switch and a new try.
  await page.locator('#lang').click();
  await page.locator('h1', { hasText: 'Register a new member' }).waitFor();
  await page.locator('#join-name').fill('孙小明');
  await page.locator('#join-national-id').fill(badId);
  await page.locator('#join-mobile').fill('12345');
  await page.locator('#join-org').fill(data.union.org_id);
  await page.locator('#join-submit').click();
  await page.locator('label:has(#join-national-id) .field-error', { hasText: 'is not a valid 18-character national ID' }).waitFor();
  await page.locator('#lang').click();
  await page.locator('h1', { hasText: '入会登记' }).waitFor();
  // Fixed: the new member's detail.
  await page.locator('#join-name').fill('孙小明');
  await page.locator('#join-national-id').fill(goodId);
  await page.locator('#join-mobile').fill('13900001009');
  await page.locator('#join-wage').fill('4800.50');
  await page.locator('#join-org').fill(data.union.org_id);
  await page.locator('#join-on').fill('2025-05-01');
  await page.locator('#join-submit').click();
  await page.locator('#join-result #member-detail h2', { hasText: '孙小明' }).waitFor();
  assert.equal(await page.locator('#join-form .field-error').count(), 0);
  assert.match(await text(page.locator('#join-result #member-detail')), /¥4,800\.50/);
  await shot(page, 'join-done-zh');

  // The org tree from the registrar's county: 入会率 and 建会率 per node, as
  // GetCoverage computes them.
  await page.locator('nav a[data-page="orgs"]').click();
  await page.locator('h1', { hasText: '组织体系与覆盖率' }).waitFor();
  const countyRow = page.locator(`#org-tree tr[data-org="${data.county.org_id}"]`);
  await countyRow.waitFor();
  const coverage = await api(`${M}/GetCoverage`, { org_id: data.county.org_id });
  assert.equal(await text(countyRow.locator('.rate-membership')), percent(coverage.total.membership_rate_bp));
  assert.equal(await text(countyRow.locator('.rate-unionisation')), '50.00%');
  await countyRow.locator('button.toggle').click();
  const townRow = page.locator(`#org-tree tr[data-org="${data.township.org_id}"]`);
  await townRow.waitFor();
  await townRow.locator('button.toggle').click();
  const unionRow = page.locator(`#org-tree tr[data-org="${data.union.org_id}"]`);
  await unionRow.waitFor();
  assert.match(await text(unionRow), /南湖机械厂工会/);
  const unionCoverage = await api(`${M}/GetCoverage`, { org_id: data.union.org_id });
  assert.equal(await text(unionRow.locator('.rate-membership')), percent(unionCoverage.total.membership_rate_bp));
  assert.equal(await text(unionRow.locator('.rate-unionisation')), '100.00%');
  await shot(page, 'org-tree-zh');

  // ---------------------------------------------------------------- 经审
  await signOut(page);
  await signIn(page, '经审人员', 0);
  // The auditor's menu follows its role: the 经审 pages, and of the 会员
  // pages those it may read (search, the tree), not the join form; opened
  // by its address, the join form refuses in Chinese.
  await page.locator('nav a[data-page="funds"]').waitFor();
  const offered = await page.locator('nav a').evaluateAll((links) => links.map((a) => a.getAttribute('data-page')));
  assert.deepEqual(offered, ['collection', 'funds', 'spending', 'ledger', 'engagements', 'members', 'orgs']);
  await page.goto(`${base}/#/join`);
  await page.locator('#page-denied', { hasText: '您的角色不能使用此页面' }).waitFor();
  assert.equal(await page.locator('nav a.active').count(), 0);
  await page.locator('nav a[data-page="funds"]').click();
  await page.locator('h1', { hasText: '工会经费拨缴对账' }).waitFor();
  await page.locator('#funds-org').fill(data.county.org_id);
  await page.locator('#funds-from').fill('2025-03');
  await page.locator('#funds-to').fill('2025-03');
  await page.locator('#funds-query').click();
  await page.locator('#funds-collected').waitFor();
  const funds = await api(`${A}/GetFundsReconciliation`, { org_id: data.county.org_id, from_month: '2025-03', to_month: '2025-03' });
  assert.equal(await text(page.locator('#funds-appropriation')), '¥2,000.00');  // 2 % of ¥100,000
  assert.equal(await text(page.locator('#funds-collected')), '¥1,500.00');
  assert.equal(await text(page.locator('#funds-outstanding')), '¥500.00');
  assert.equal(await text(page.locator('#funds-returned')), yuan(funds.total.returned_fen));
  assert.equal(await text(page.locator('#funds-upward')), yuan(funds.total.allocated_upward_fen));
  assert.equal(await page.locator('#funds-balanced').getAttribute('data-balanced'), String(funds.balanced));
  await page.locator('#funds-employers td', { hasText: '南湖机械厂' }).waitFor();
  await shot(page, 'funds-zh');

  // The range carries over to the spending page.
  await page.locator('nav a[data-page="spending"]').click();
  await page.locator('h1', { hasText: '经费支出分析' }).waitFor();
  assert.equal(await page.locator('#spending-org').inputValue(), data.county.org_id);
  await page.locator('#spending-query').click();
  await page.locator('#spending-total').waitFor();
  const spending = await api(`${A}/GetSpendingReport`, { org_id: data.county.org_id, from_month: '2025-03', to_month: '2025-03' });
  assert.equal(await text(page.locator('#spending-total')), '¥700.00');
  assert.equal(await text(page.locator('#spending-front-line')), '¥500.00');
  assert.equal(await text(page.locator('#spending-share')), percent(spending.front_line_share_bp));
  assert.equal(await text(page.locator('#spending-flagged')), '¥200.00');
  const hospitality = page.locator('#spending-categories tr', { has: page.locator('[data-category="SPENDING_CATEGORY_HOSPITALITY"]') });
  assert.match(await text(hospitality), /公务接待.*¥200\.00.*重点关注/);
  assert.equal(await page.locator('#spending-categories .flagged').count(), 1);
  await shot(page, 'spending-zh');

  await page.locator('nav a[data-page="ledger"]').click();
  await page.locator('h1', { hasText: '账簿完整性校验' }).waitFor();
  const before = await api(`${A}/VerifyLedger`, {});
  await page.locator('#ledger-verify').click();
  await page.locator('#ledger-intact').waitFor();
  const after = await api(`${A}/VerifyLedger`, {});
  assert.equal(await page.locator('#ledger-intact').getAttribute('data-intact'), 'true');
  assert.equal(await text(page.locator('#ledger-intact')), '账簿完好：哈希链与封存签章全部核对一致');
  // The sealer may seal more between the calls: the page's count lies
  // between the two answers around it.
  const checked = BigInt(await text(page.locator('#ledger-entries')));
  assert.ok(checked >= BigInt(before.entries_checked) && checked <= BigInt(after.entries_checked),
    `${checked} not within ${before.entries_checked}..${after.entries_checked}`);
  await shot(page, 'ledger-zh');

  await page.locator('nav a[data-page="engagements"]').click();
  await page.locator('h1', { hasText: '审计项目' }).waitFor();
  await page.locator('#engagements-org').fill(data.county.org_id);
  await page.locator('#engagements-query').click();
  await page.locator('#engagements-list a', { hasText: '南湖经费专项审计' }).click();
  await page.locator('#engagement-detail h2', { hasText: '南湖经费专项审计' }).waitFor();
  const detail = await text(page.locator('#engagement-detail'));
  assert.match(detail, /专项审计/);
  assert.match(detail, /现场审计/);
  assert.match(detail, /严重.*公务接待.*¥200\.00/);
  assert.match(detail, /退回超标接待费.*2025-04-30.*待整改/);
  const overdue = await api(`${A}/ListOverdueRectifications`, { org_id: data.county.org_id });
  assert.equal(overdue.items.length, 1);
  const overdueRow = page.locator('#overdue tbody tr', { hasText: '退回超标接待费' });
  await overdueRow.waitFor();
  assert.equal(await text(overdueRow.locator('td.num')), String(overdue.items[0].days_overdue));
  await shot(page, 'engagements-zh');

  // The dues statement of a member from the arrears list.
  await page.locator('nav a[data-page="collection"]').click();
  await page.locator('#collection-org').fill(data.county.org_id);
  await page.locator('#collection-from').fill('2025-03');
  await page.locator('#collection-to').fill('2025-03');
  await page.locator('#collection-query').click();
  await page.locator('#arrears a.statement-link', { hasText: '赵强' }).click();
  await page.locator('#statement h2', { hasText: '赵强 的会费明细' }).waitFor();
  const statement = await api(`${F}/GetMemberDuesStatement`, { member_id: data.members[2].member_id });
  assert.equal(await text(page.locator('#statement-due')), yuan(statement.total_due_fen));
  assert.equal(await text(page.locator('#statement-balance')), yuan(statement.balance_fen));
  assert.match(await text(page.locator('#statement-open')), /2025-03/);
  await page.locator('#statement td', { hasText: '0.50%' }).first().waitFor();
  await page.locator('#statement .empty', { hasText: '没有缴费记录。' }).waitFor();
  await shot(page, 'statement-zh');

  // A reversed month range: the reason in Chinese next to the end month.
  await page.locator('nav a[data-page="funds"]').click();
  await page.locator('#funds-from').fill('2025-04');
  await page.locator('#funds-to').fill('2025-03');
  await page.locator('#funds-query').click();
  const rangeError = page.locator('label:has(#funds-to) .field-error');
  await rangeError.waitFor();
  assert.equal(await text(rangeError), '不能早于起始月份');
  await shot(page, 'funds-range-error-zh');

  // English: the same engagement page's labels.
  await page.locator('#lang').click();
  await page.locator('nav a[data-page="engagements"]').click();
  await page.locator('h1', { hasText: 'Audit engagements' }).waitFor();
  await page.locator('#overdue h2', { hasText: 'Overdue rectifications' }).waitFor();
  await shot(page, 'engagements-en');
  await page.locator('#lang').click();
} catch (error) {
  for (const p of browser.contexts().flatMap((c) => c.pages())) {
    await p.screenshot({ path: `${artifacts}/registry-failure.png`, fullPage: true }).catch(() => {});
  }
  console.error('page errors and CSP reports:', violations);
  throw error;
} finally {
  await browser.close();
}
assert.deepEqual(violations, [], 'no CSP violation or script error');
console.log(`registry browser test: ok (screenshots in ${artifacts})`);
