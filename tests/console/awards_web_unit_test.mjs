// The 评选 pages' pure parts under node (ctest label unit): points and
// percentages typed with two decimals become hundredths without floating
// point, and every text key the awards pages ask for exists in both
// languages (a missing one would show as the bare key).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hundredths, points } from '../../services/console/web/js/format.js';
import awards from '../../services/console/web/js/text/awards.js';
import shell from '../../services/console/web/js/text/shell.js';
import members from '../../services/console/web/js/text/members.js';
import audit from '../../services/console/web/js/text/audit.js';

const web = fileURLToPath(new URL('../../services/console/web/js/', import.meta.url));

test('shares and points typed with two decimals become hundredths', () => {
  assert.equal(hundredths('30'), '3000');
  assert.equal(hundredths('12.5'), '1250');
  assert.equal(hundredths('0.07'), '7');
  assert.equal(hundredths('9.755'), null);
  assert.equal(hundredths('-1'), null);
  assert.equal(hundredths('abc'), null);
  assert.equal(points('975'), '9.75');
  assert.equal(points('10000'), '100.00');
});

test('every key the awards pages use exists in both languages', () => {
  const tables = Object.fromEntries(['zh-CN', 'en'].map((l) => [l,
    { ...shell[l], ...audit[l], ...members[l], ...awards[l] }]));
  const sources = readdirSync(`${web}/pages`).filter((f) => f.startsWith('awards_'))
    .map((f) => readFileSync(`${web}/pages/${f}`, 'utf8'))
    // (A page's `needs` is a permission of the gate, not a text key.)
    .concat(readFileSync(`${web}/areas/awards.js`, 'utf8').replace(/needs: '[^']*'/g, ''));
  const used = new Set();
  for (const source of sources) {
    for (const m of source.matchAll(/'((?:awards|nav|common|collection|members|error)\.[A-Za-z_.]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 150, `only ${used.size} keys found`);
  for (const lang of ['zh-CN', 'en']) {
    const missing = [...used].filter((k) => !(k in tables[lang]));
    assert.deepEqual(missing, [], `${lang} lacks keys`);
  }
  // The keys the pages build from enum values.
  for (const prefix of ['COMPOSITION_BOUND_MIN_SHARE', 'COMPOSITION_BOUND_MAX_COUNT']) {
    assert.ok(`awards.rule.${prefix}` in tables.en);
  }
  for (const status of ['DRAFT', 'NOMINATING', 'REVIEWING', 'SHORTLISTED', 'IN_PUBLICITY', 'FINALIZED']) {
    assert.ok(`awards.step_note.PROGRAM_STATUS_${status}` in tables['zh-CN']);
    assert.ok(`enum.PROGRAM_STATUS_${status}` in tables.en);
  }
});

test("the eligibility checks' figures are said in the page's language", async () => {
  const { evidenceFigure } = await import('../../services/console/web/js/pages/awards_figures.js');
  // The forms awards' domain/eligibility.cc writes.
  assert.equal(evidenceFigure('45 months'), '45 个月');
  assert.equal(evidenceFigure('>= 12 months'), '≥ 12 个月');
  assert.equal(evidenceFigure('<= 3 months'), '≤ 3 个月');
  assert.equal(evidenceFigure('none'), '无');
  assert.equal(evidenceFigure('honours 3, 7'), '已获荣誉（编号 3, 7）');
  assert.equal(evidenceFigure('no 五一劳动奖章 at this level since 2021'), '2021 年以来未获同级五一劳动奖章');
  // A form it does not know is shown as sent.
  assert.equal(evidenceFigure('12 weeks'), '12 weeks');
  assert.equal(evidenceFigure(undefined), undefined);
});

test('every status and eligibility reason awards gives has its text in both languages', () => {
  // The one list of codes (services/awards/domain/reasons.h, namespace status_reasons).
  const header = readFileSync(new URL('../../services/awards/domain/reasons.h', import.meta.url), 'utf8');
  const block = header.slice(header.indexOf('namespace status_reasons {'), header.indexOf('}  // namespace status_reasons'));
  const codes = [...block.matchAll(/=\s*"([A-Z_]+)"/g)].map((m) => m[1]);
  assert.equal(codes.length, 17, codes.join());
  for (const lang of ['zh-CN', 'en']) {
    for (const code of codes) assert.ok(`awards.reason.${code}` in awards[lang], `${lang} has no text for ${code}`);
  }
});

test("a nomination's reason is said by its code in the page's language", async () => {
  const { reasonText } = await import('../../services/console/web/js/pages/awards_common.js');
  assert.equal(reasonText({ code: 'APPROVED', params: { day: '2026-03-12' } }, 'approved on 2026-03-12'), '已于 2026-03-12 批准授予');
  assert.equal(reasonText({ code: 'ELIGIBLE' }, 'eligible'), '符合推荐条件');
  assert.equal(reasonText({ code: 'INELIGIBLE', params: { rules: 'tenure,dues_arrears' } }, 'x'), '不符合推荐条件：会龄、会费缴纳');
  assert.equal(reasonText({ code: 'DUES_IN_ARREARS', params: { months: '3', outstanding_fen: '9000', since: '2025-10', allowed: '0' } }, 'x'),
    '欠缴会费 3 个月（欠缴金额 ¥90.00，自 2025-10 起未缴），最多允许 0 个月');
  assert.equal(reasonText({ code: 'NOMINEE_EXPELLED', params: { on: '2026-03-01', sequence: '7', note: '严重违纪' } }, 'x'),
    '被推荐人已于 2026-03-01 被开除会籍（严重违纪），推荐自动撤回');
  assert.equal(reasonText({ code: 'NOMINEE_LEFT', params: { on: '2026-03-01', sequence: '7', note: '' } }, 'x'),
    '被推荐人已于 2026-03-01 退会，推荐自动撤回');
  assert.equal(reasonText({ code: 'NOT_ACTIVE_MEMBER', params: { status: 'MEMBER_STATUS_LAPSED' } }, 'x'), '被推荐人不是在籍会员（停籍）');
  // No code (stored before awards gave them) or one the console does not
  // know: the service's English.
  assert.equal(reasonText(undefined, 'in publicity until 2026-03-11'), 'in publicity until 2026-03-11');
  assert.equal(reasonText({ code: 'SOMETHING_NEW' }, 'as the service said'), 'as the service said');
});
