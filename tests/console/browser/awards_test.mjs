// The 评选 walkthrough in Chromium against a real stack (run.sh starts it).
// Seeds a county with two townships and a union under each, and members
// (a man and a woman; a second man in the east union), through the JSON
// API as an integrator would; then, each person in a browser context of
// their own signed in through the development sign-in:
//   the committee creates a programme (2 honours; allocations; a
//   composition rule "women at least 50 %"), opens nominations and
//   assigns three reviewers; each union's nominator nominates its member
//   (found by national ID), submits it and sees the eligibility evidence —
//   and only its own; the east union's second man is nominated through
//   the API; the committee closes nominations; two reviewers approve all
//   three; the township reviewer sees only its township's nominee and is
//   shown as recused; the committee closes review, starts publicity,
//   downloads the notice PDF (names with masked IDs only, read back with
//   pdftotext), takes an objection and dismisses it, and tries to
//   finalise: refused, the women rule shown by name with actual 1 and
//   required 2, the quota with 3 and 2; an objection against the second
//   man is upheld (his nomination withdrawn); a nominator asking for the
//   county's programmes gets the Chinese permission error, not data; the
//   committee runs a skills contest and sees the leaderboard. Then awards
//   is restarted on the day after publicity ends (run.sh's service.sh:
//   no RPC moves the business date), the committee finalises, sees the
//   two honours and revokes one with a reason; the programme page shows
//   masked national IDs only.
// Fails on any Content-Security-Policy violation. Screenshots in $ARTIFACTS.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import {
  apiAs as api, base, artifacts, nationalIdBorn as nationalId, creditCode, waitForConsole, shooter, signIn, watch,
} from './walkthrough.mjs';

const admin = process.env.ADMIN_TOKEN;
const shot = shooter('awards');
const year = new Date().getFullYear();
const title = '县五一劳动奖章';

async function seed() {
  let n = 0;
  const id = () => `awards-browser-${process.pid}-${++n}`;
  const org = async (type, name, parent, employer) => (await api(admin, 'unionhub.membership.v1.MembershipService/CreateOrg', {
    request_id: id(), org: { type, name, parent_id: parent, employer } })).org;
  const county = await org('ORG_TYPE_COUNTY_FEDERATION', '评选测试县总工会');
  const t1 = await org('ORG_TYPE_TOWNSHIP_UNION', '东城镇总工会', county.org_id);
  const t2 = await org('ORG_TYPE_TOWNSHIP_UNION', '西城镇总工会', county.org_id);
  const employer = (k, name) => ({ name, credit_code: creditCode(500 + k), ownership: 'OWNERSHIP_NON_PUBLIC', headcount: 80, address: `${name}厂区1号` });
  const u1 = await org('ORG_TYPE_GRASSROOTS_UNION', '东城纺织厂工会', t1.org_id, employer(1, '东城纺织厂'));
  const u2 = await org('ORG_TYPE_GRASSROOTS_UNION', '西城机械厂工会', t2.org_id, employer(2, '西城机械厂'));
  const join = async (name, nid, union) => (await api(admin, 'unionhub.membership.v1.MembershipService/JoinMember', {
    request_id: id(), joined_on: '2023-03-01',
    member: { name, national_id: nid, mobile: `1390000${String(n).padStart(4, '0')}`, household: 'HOUSEHOLD_URBAN',
      education: 'EDUCATION_VOCATIONAL', wage_base_fen: '650000', org_id: union.org_id } })).member;
  const a = { nid: nationalId('19850312', 41, false) };
  const b = { nid: nationalId('19900708', 42, true) };
  const c = { nid: nationalId('19880521', 43, false) };
  a.member = await join('张建国', a.nid, u1);
  b.member = await join('李秀英', b.nid, u2);
  c.member = await join('周志强', c.nid, u1);
  // Eligibility asks finance for the dues standing: wait until finance's
  // roster (fed by membership's change feed) has the members.
  for (const m of [a.member, b.member, c.member]) {
    for (let attempt = 0; ; attempt++) {
      try {
        await api(admin, 'unionhub.finance.v1.FinanceService/GetDuesStanding', { member_id: m.member_id });
        break;
      } catch (error) {
        assert.ok(attempt < 60, `finance never saw ${m.name}: ${error.message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
  return { county, t1, t2, u1, u2, a, b, c };
}

const masked = (nid) => `${'*'.repeat(14)}${nid.slice(14)}`;
const AWARDS = 'unionhub.awards.v1.AwardsService';
// "YYYY-MM-DD" plus one day.
function nextDay(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

await waitForConsole();
const data = await seed();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const violations = [];
// A person: a browser context of their own (own cookies, own session).
async function person(roleLabel, org) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-CN', acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watch(page, violations);
  await page.goto(base);
  await signIn(page, roleLabel, org);
  return page;
}

try {
  // ------------------------------------------------ the committee's programme
  const committee = await person('评选委员会', data.county.org_id);
  await committee.waitForURL(/#\/awards$/);
  await committee.locator('h1', { hasText: '评选表彰项目' }).waitFor();
  await committee.locator('#programs-rows .empty', { hasText: '没有符合条件的评选项目。' }).waitFor();
  await committee.locator('#program-title').fill(title);
  assert.equal(await committee.locator('#program-organizer').inputValue(), data.county.org_id);
  await committee.locator('#program-quota').fill('2');
  await committee.locator('#alloc-org-0').fill(data.u1.org_id);
  await committee.locator('#alloc-quota-0').fill('2');
  await committee.locator('#add-allocation').click();
  await committee.locator('#alloc-org-1').fill(data.u2.org_id);
  await committee.locator('#add-rule').click();
  await committee.locator('#program-rules .rule-category').selectOption('COMPOSITION_CATEGORY_WOMEN');
  await committee.locator('#program-rules .rule-bound').selectOption('COMPOSITION_BOUND_MIN_SHARE');
  await committee.locator('#rule-value-0').fill('50');
  await shot(committee, 'program-form-zh');
  await committee.locator('#program-submit').click();
  await committee.locator('#program-created .ok', { hasText: '已创建项目' }).waitFor();
  assert.match(await committee.locator('#program-created').textContent(), /女职工不低于 50\.00%/);
  const link = committee.locator('#programs-rows a.program-link', { hasText: title });
  await link.waitFor();
  const programId = await link.getAttribute('data-program');
  await committee.locator(`[data-open="${programId}"]`).click();
  await committee.locator('#programs-rows [data-status="PROGRAM_STATUS_NOMINATING"]', { hasText: '推荐中' }).waitFor();
  await shot(committee, 'programs-zh');

  // The workflow page: three reviewers, one of them from the west township.
  await link.click();
  await committee.waitForURL(new RegExp(`#/award-program\\?program=${programId}$`));
  await committee.locator('#program-summary h2', { hasText: title }).waitFor();
  await committee.locator(`#program-picks option[value="${programId}"]`, { hasText: title }).waitFor({ state: 'attached' });
  const reviewers = [
    ['console-reviewer', '王评审', data.county.org_id],
    [`console-reviewer-${data.county.org_id}`, '赵评审', data.county.org_id],
    [`console-reviewer-${data.t2.org_id}`, '钱评审', data.t2.org_id],
  ];
  for (const [i, [subject, name, org]] of reviewers.entries()) {
    await committee.locator('#reviewer-subject').fill(subject);
    await committee.locator('#reviewer-name').fill(name);
    await committee.locator('#reviewer-org').fill(org);
    await committee.locator('#reviewer-add').click();
    await committee.locator('#reviewer-list tbody tr').nth(i).waitFor();
  }
  assert.equal(await committee.locator('#reviewer-list tbody tr').count(), 3);
  // A reload keeps the programme (it is in the hash) and shows the
  // committee as stored (ListReviewers), not as this tab remembered it.
  await committee.reload();
  await committee.locator('#program-summary h2', { hasText: title }).waitFor();
  assert.equal(await committee.locator('#program-pick').inputValue(), programId);
  await committee.locator('#reviewer-list tbody tr').nth(2).waitFor();
  assert.deepEqual(await committee.locator('#reviewer-list tbody tr td:first-child').allTextContents(),
    reviewers.map(([subject]) => subject).sort());
  await shot(committee, 'program-reviewers-zh');

  // ------------------------------------------------------------ nominations
  async function nominate(org, nominee, name) {
    const page = await person('推荐单位', org.org_id);
    await page.waitForURL(/#\/award-nominations$/);
    await page.locator('h1', { hasText: '推荐申报' }).waitFor();
    await page.locator('#nominations-program').fill(programId);
    await page.locator('#nominations-pick button[type=submit]').click();
    await page.locator('#nominations-list .empty', { hasText: '没有推荐对象。' }).waitFor();
    assert.equal(await page.locator('#nomination-org').inputValue(), org.org_id);
    await page.locator('#nomination-national-id').fill(nominee.nid);
    await page.locator('#nomination-lookup').click();
    await page.locator('#nomination-found', { hasText: name }).waitFor();
    await page.locator('#nomination-citation').fill(`${name}同志爱岗敬业，技术革新成效显著。`);
    await page.locator('#nomination-create').click();
    await page.locator('#nominations-list [data-status="NOMINATION_STATUS_DRAFT"]').waitFor();
    await page.locator('#nominations-list [data-submit]').click();
    await page.locator('#nominations-list [data-status="NOMINATION_STATUS_UNDER_REVIEW"]', { hasText: '评审中' }).waitFor();
    // The evidence the check stored: eligible, tenure and dues by rule.
    await page.locator('#nomination-evidence', { hasText: '符合条件' }).waitFor();
    const evidence = await page.locator('#nomination-evidence').textContent();
    assert.match(evidence, /会龄/);
    assert.match(evidence, /会费缴纳/);
    assert.match(evidence, /欠缴金额 ¥\d[\d,]*\.\d{2}/);
    // A nominator sees its own nominations only.
    assert.equal(await page.locator('#nominations-list tbody tr').count(), 1);
    assert.match(await page.locator('#nominations-list tbody').textContent(), new RegExp(name));
    return page;
  }
  const east = await nominate(data.u1, data.a, '张建国');
  await shot(east, 'nominations-east-zh');
  const west = await nominate(data.u2, data.b, '李秀英');
  assert.doesNotMatch(await west.locator('#nominations-list tbody').textContent(), /张建国/);
  await shot(west, 'nominations-west-zh');
  // The east union's second nominee, as an integrator would.
  const third = (await api(admin, `${AWARDS}/CreateNomination`, { request_id: `awards-browser-${process.pid}-third`,
    nomination: { program_id: programId, nominating_org_id: data.u1.org_id, member_id: data.c.member.member_id,
      citation: '周志强同志攻坚克难，带徒传艺。' } })).nomination;
  assert.equal((await api(admin, `${AWARDS}/SubmitNomination`, { request_id: `awards-browser-${process.pid}-third-submit`,
    nomination_id: third.nomination_id })).nomination.status, 'NOMINATION_STATUS_UNDER_REVIEW');

  // The committee closes nominations: all three are under review.
  await committee.locator('#program-pick-form button[type=submit]').click();
  await committee.locator('#step-close').click();
  await committee.locator('#program-status[data-status="PROGRAM_STATUS_REVIEWING"]').waitFor();
  assert.equal(await committee.locator('#program-nominations [data-status="NOMINATION_STATUS_UNDER_REVIEW"]').count(), 3);

  // --------------------------------------------------------------- review
  async function reviewer(org) {
    const page = await person('评审专家', org);
    await page.waitForURL(/#\/award-review$/);
    await page.locator('#review-program').fill(programId);
    await page.locator('#review-pick button[type=submit]').click();
    await page.locator('#review-queue section.card').first().waitFor();
    return page;
  }
  for (const org of [0, data.county.org_id]) {
    const page = await reviewer(org);
    assert.equal(await page.locator('#review-queue section.nomination').count(), 3);
    for (const card of await page.locator('#review-queue section.nomination').all()) {
      await card.locator('[data-vote="VOTE_CHOICE_APPROVE"]').click();
      await card.locator('.my-vote', { hasText: '您已投票：赞成' }).waitFor();
    }
    await shot(page, `review-${org === 0 ? 'all' : 'county'}-zh`);
  }
  // The west township's reviewer: only the west nominee is in its queue,
  // and it must recuse from her.
  const township = await reviewer(data.t2.org_id);
  assert.equal(await township.locator('#review-queue section.nomination').count(), 1);
  assert.match(await township.locator('#review-queue').textContent(), /李秀英/);
  assert.doesNotMatch(await township.locator('#review-queue').textContent(), /张建国/);
  await township.locator('#review-queue [data-vote="VOTE_CHOICE_APPROVE"]').click();
  await township.locator('#review-queue section.nomination[data-recused="true"] .recusal', { hasText: '需回避' }).waitFor();
  assert.equal(await township.locator('#review-queue [data-vote="VOTE_CHOICE_APPROVE"]').isDisabled(), true);
  await shot(township, 'review-recused-zh');

  // --------------------------------------------------------- publicity
  await committee.locator('#program-pick-form button[type=submit]').click();
  await committee.locator('#program-nominations td', { hasText: '赞成 2 · 反对 0 · 弃权 0' }).first().waitFor();
  await committee.locator('#step-close-review').click();
  await committee.locator('#program-status[data-status="PROGRAM_STATUS_SHORTLISTED"]').waitFor();
  assert.equal(await committee.locator('#program-nominations [data-status="NOMINATION_STATUS_SHORTLISTED"]').count(), 3);
  await committee.locator('#step-publicity').click();
  await committee.locator('#program-status[data-status="PROGRAM_STATUS_IN_PUBLICITY"]').waitFor();
  const notice = await committee.locator('#program-publicity').textContent();
  for (const [name, nominee] of [['张建国', data.a], ['李秀英', data.b], ['周志强', data.c]]) {
    assert.match(notice, new RegExp(name));
    assert.ok(notice.includes(masked(nominee.nid)), `masked ID of ${name} on the page`);
    assert.ok(!notice.includes(nominee.nid.slice(0, 14)), `no unmasked ID of ${name} on the page`);
  }
  assert.match(await committee.locator('#notice-heading').textContent(), /评选测试县总工会/);
  await shot(committee, 'publicity-zh');

  // The notice PDF, read back: the programme, the names, masked IDs only.
  const [pdf] = await Promise.all([committee.waitForEvent('download'), committee.locator('#notice-pdf').click()]);
  assert.match(pdf.suggestedFilename(), /公示-\d+\.pdf$/);
  const pdfPath = `${artifacts}/awards-notice.pdf`;
  await pdf.saveAs(pdfPath);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-']).toString('utf8');
  assert.ok(text.includes(title), text);
  for (const [name, nominee] of [['张建国', data.a], ['李秀英', data.b], ['周志强', data.c]]) {
    assert.ok(text.includes(name), `${name} in the PDF: ${text}`);
    assert.ok(text.includes(masked(nominee.nid)), `masked ID of ${name} in the PDF: ${text}`);
    assert.ok(!text.includes(nominee.nid.slice(0, 14)), `no unmasked ID of ${name} in the PDF`);
  }

  // An objection against the west nominee, taken and dismissed.
  const against = await committee.locator('#objection-nomination option', { hasText: '李秀英' }).getAttribute('value');
  await committee.locator('#objection-nomination').selectOption(against);
  await committee.locator('#objection-grounds').fill('群众反映事迹材料需核实');
  await committee.locator('#objection-file').click();
  await committee.locator('#objections [data-status="OBJECTION_STATUS_OPEN"]', { hasText: '待处理' }).waitFor();
  await committee.locator('#objections input.resolution').fill('经核实，事迹属实');
  await committee.locator('#objections [data-resolve="OBJECTION_STATUS_DISMISSED"]').click();
  await committee.locator('#objections [data-status="OBJECTION_STATUS_DISMISSED"]', { hasText: '不成立' }).waitFor();
  assert.match(await committee.locator('#objections').textContent(), /经核实，事迹属实/);

  // Finalising is refused: publicity is still running, only one of the
  // three is a woman (50 % of 3 needs 2) and three are over the quota of
  // two; each broken rule by name with its figures.
  await committee.locator('#step-finalize').click();
  const broken = committee.locator('#broken-rules');
  await broken.waitFor();
  const figures = async (name) => (await broken.locator('tbody tr', { has: committee.locator('.rule-name', { hasText: name }) })
    .locator('td.num').allTextContents()).map((s) => s.trim());
  assert.deepEqual(await figures('女职工不低于 50.00%'), ['1', '2']);
  assert.deepEqual(await figures('表彰总名额不超过 2 名'), ['3', '2']);
  await broken.locator('.rule-name', { hasText: '公示期满' }).waitFor();
  assert.equal(await committee.locator('#step-status .error').getAttribute('data-code'), 'FAILED_PRECONDITION');
  assert.equal(await committee.locator('#program-status').getAttribute('data-status'), 'PROGRAM_STATUS_IN_PUBLICITY');
  await committee.locator('#program-honours .empty', { hasText: '还没有荣誉记录' }).waitFor();
  assert.equal(await committee.locator('#program-honours .error').count(), 0);
  await shot(committee, 'finalize-refused-zh');

  // An objection against the second man, upheld: his nomination is
  // withdrawn, which leaves one woman of two and two for two honours.
  const upheld = await committee.locator('#objection-nomination option', { hasText: '周志强' }).getAttribute('value');
  await committee.locator('#objection-nomination').selectOption(upheld);
  await committee.locator('#objection-grounds').fill('群众反映推荐材料与事实不符');
  await committee.locator('#objection-file').click();
  await committee.locator('#objections [data-status="OBJECTION_STATUS_OPEN"]').waitFor();
  await committee.locator('#objections input.resolution').fill('经核实，异议成立');
  await committee.locator('#objections [data-resolve="OBJECTION_STATUS_UPHELD"]').click();
  await committee.locator('#objections [data-status="OBJECTION_STATUS_UPHELD"]', { hasText: '成立' }).waitFor();
  // Off the notice now, still named in the objections.
  await committee.locator('#objections tr', { hasText: '经核实，异议成立' }).locator('td', { hasText: '周志强' }).waitFor();
  await committee.locator('#program-nominations tr', { hasText: '周志强' })
    .locator('[data-status="NOMINATION_STATUS_WITHDRAWN"]', { hasText: '已撤回' }).waitFor();
  await shot(committee, 'objection-upheld-zh');

  // English: the same page, English labels.
  await committee.locator('#lang').click();
  await committee.locator('h1', { hasText: 'Programme workflow' }).waitFor();
  await committee.locator('#program-summary', { hasText: 'women at least 50.00%' }).waitFor();
  await shot(committee, 'program-en');
  await committee.locator('#lang').click();
  await committee.locator('h1', { hasText: '评选项目工作台' }).waitFor();

  // ------------------------------------------- a scoped user asks too much
  await west.goto(`${base}/#/awards`);
  await west.locator('h1', { hasText: '评选表彰项目' }).waitFor();
  await west.locator('#programs-org').fill(data.county.org_id);
  await west.locator('#programs-query').click();
  const denied = west.locator('#programs-rows .error');
  await denied.waitFor();
  assert.equal(await denied.getAttribute('data-code'), 'PERMISSION_DENIED');
  assert.match(await denied.textContent(), /您没有执行此操作的权限/);
  assert.equal(await west.locator('#programs-rows a.program-link').count(), 0);
  assert.doesNotMatch(await west.locator('#programs-rows').textContent(), new RegExp(title));
  await shot(west, 'programs-denied-zh');

  // --------------------------------------------------- a skills contest
  await committee.goto(`${base}/#/award-contests`);
  await committee.locator('h1', { hasText: '劳动和技能竞赛' }).waitFor();
  await committee.locator('#contest-name').fill(`${year}年县职工数控车工技能比武`);
  await committee.locator('#contest-events').fill('理论考试, 30\n实操考核, 70');
  await committee.locator('#contest-judges').fill(`console-award_committee-${data.county.org_id}, 孙裁判`);
  await committee.locator('#contest-create').click();
  await committee.locator('#contest-summary h2', { hasText: '数控车工技能比武' }).waitFor();
  // Listed among the committee's contests (its scope's), with no refusal.
  await committee.locator('#contests-list a.contest-link', { hasText: '数控车工技能比武' }).waitFor();
  assert.equal(await committee.locator('#contests-list .error').count(), 0);
  for (const nominee of [data.a, data.b]) {
    await committee.locator('#entrant-national-id').fill(nominee.nid);
    await committee.locator('#entrant-add').click();
    await committee.locator('#contest-entrants td', { hasText: nominee.member.name }).waitFor();
  }
  const scores = [['张建国', '理论考试', '88.5'], ['张建国', '实操考核', '92'], ['李秀英', '理论考试', '95'], ['李秀英', '实操考核', '90.25']];
  for (const [name, event, value] of scores) {
    await committee.locator('#score-entrant').selectOption({ label: name });
    await committee.locator('#score-event').selectOption({ label: event });
    await committee.locator('#score-points').fill(value);
    await committee.locator('#score-submit').click();
    await committee.locator('#leaderboard td', { hasText: value.includes('.') ? value.padEnd(value.indexOf('.') + 3, '0') : `${value}.00` }).first().waitFor();
  }
  // Weighted: 张 88.5*.3+92*.7 = 90.95; 李 95*.3+90.25*.7 = 91.675 -> 李 first.
  const overall = committee.locator('#leaderboard table').first();
  const first = await overall.locator('tbody tr').first().locator('td').allTextContents();
  assert.equal(first[0].trim(), '1');
  assert.equal(first[1].trim(), '李秀英');
  assert.match(await committee.locator('#leaderboard').textContent(), /排名为暂定/);
  await shot(committee, 'contest-leaderboard-zh');

  // ------------------------------------ publicity ends: finalise, honours
  // Awards' business date moves to the day after publicity ends: the
  // stack restarts awards with that --today (run.sh's service.sh).
  const program = (await api(admin, `${AWARDS}/GetProgram`, { program_id: programId })).program;
  const after = nextDay(program.publicity_ends_on);
  execFileSync(process.env.STACK_SERVICE, ['restart', 'awards', `--today=${after}`], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
  // The console's channel to awards reconnects on a later call.
  for (let attempt = 0; ; attempt++) {
    try {
      await api(admin, `${AWARDS}/GetProgram`, { program_id: programId });
      break;
    } catch (error) {
      assert.ok(attempt < 60, `awards did not answer after its restart: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  await committee.goto(`${base}/#/award-program`);
  await committee.locator('#program-pick').fill(programId);
  await committee.locator('#program-pick-form button[type=submit]').click();
  await committee.locator('#program-status[data-status="PROGRAM_STATUS_IN_PUBLICITY"]').waitFor();
  await committee.locator('#step-finalize').click();
  await committee.locator('#program-status[data-status="PROGRAM_STATUS_FINALIZED"]', { hasText: '已确定表彰' }).waitFor();
  assert.equal(await committee.locator('#broken-rules').count(), 0);
  // The honours, by ListHonours for the programme (the committee's token
  // is limited to the county): the two approved, not the withdrawn man.
  const honours = committee.locator('#program-honours tbody tr');
  await honours.first().waitFor();
  assert.equal(await honours.count(), 2);
  assert.equal(await committee.locator('#program-honours .error').count(), 0);
  const honourRow = (name) => committee.locator('#program-honours tbody tr', { hasText: name });
  for (const name of ['张建国', '李秀英']) {
    const text = await honourRow(name).textContent();
    assert.match(text, new RegExp(title));
    assert.ok(text.includes(after), `${name} awarded on ${after}: ${text}`);
    assert.match(text, /有效/);
  }
  assert.doesNotMatch(await committee.locator('#program-honours').textContent(), /周志强/);
  assert.equal(await committee.locator('#program-nominations [data-status="NOMINATION_STATUS_APPROVED"]').count(), 2);
  await shot(committee, 'honours-zh');

  // One honour revoked, with the reason kept and shown.
  const reason = '经查，事迹材料弄虚作假';
  await honourRow('张建国').locator('input.revoke-reason').fill(reason);
  await honourRow('张建国').locator('[data-revoke]').click();
  await honourRow('张建国').locator('td', { hasText: reason }).waitFor();
  const revoked = await honourRow('张建国').textContent();
  assert.match(revoked, /已撤销/);
  assert.ok(revoked.includes(`${after} ${reason}`), revoked);
  assert.match(await honourRow('李秀英').textContent(), /有效/);
  assert.equal(await honourRow('李秀英').locator('[data-revoke]').count(), 1);
  // The whole programme page (notice, nominations, honours): masked
  // national IDs only.
  const whole = await committee.locator('main').textContent();
  for (const nominee of [data.a, data.b, data.c]) {
    assert.ok(!whole.includes(nominee.nid.slice(0, 14)), `no unmasked ID of ${nominee.member.name} on the page`);
  }
  for (const nominee of [data.a, data.b]) {
    assert.ok(whole.includes(masked(nominee.nid)), `masked ID of ${nominee.member.name} on the page`);
  }
  await shot(committee, 'honour-revoked-zh');
} catch (error) {
  for (const [i, page] of browser.contexts().flatMap((c) => c.pages()).entries()) {
    await page.screenshot({ path: `${artifacts}/awards-failure-${i}.png`, fullPage: true }).catch(() => {});
  }
  console.error('page errors and CSP reports:', violations);
  throw error;
} finally {
  await browser.close();
}
assert.deepEqual(violations, [], 'no CSP violation or script error');
console.log(`awards browser test: ok (screenshots in ${artifacts})`);
