// 经审: union funds (工会经费, 2 % of payroll) of an org subtree over a month
// range (AuditService.GetFundsReconciliation): whether every collected fen
// is accounted for, the totals, the split upward by level, by month, and
// by employer with paging.
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors, newPaging, pager } from '../dom.js';
import { money } from '../format.js';
import { rangeForm, rangeState, figure } from './audit_range.js';

const AUDIT = 'unionhub.finance.v1.AuditService';
const PAGE_SIZE = 20;

const figures = (first) => [
  first,
  { label: 'funds.payroll', num: true, render: (f) => money(f.declared_payroll_fen) },
  { label: 'funds.appropriation', num: true, render: (f) => money(f.appropriation_fen) },
  { label: 'funds.collected', num: true, render: (f) => money(f.collected_fen) },
  { label: 'funds.outstanding', num: true, render: (f) => money(f.outstanding_fen) },
  { label: 'funds.returned', num: true, render: (f) => money(f.returned_fen) },
  { label: 'funds.upward', num: true, render: (f) => money(f.allocated_upward_fen) },
  { label: 'funds.preparation_held', num: true, render: (f) => money(f.preparation_held_fen) },
];

export async function render(main, ctx) {
  const state = ctx.state.funds ??= { paging: newPaging(), shown: false };
  main.append(h('h1', {}, t('funds.title')));
  const out = h('div', { id: 'funds-report' }, h('p', { class: 'empty' }, t('collection.pick')));
  const form = rangeForm(ctx, 'funds', () => { state.paging = newPaging(); show(); });
  main.append(h('section', { class: 'card' }, form), out);

  async function show() {
    const range = rangeState(ctx);
    clear(out).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const r = await call(`${AUDIT}/GetFundsReconciliation`, {
        org_id: range.orgId, from_month: range.from, to_month: range.to,
        page_size: PAGE_SIZE, page_token: state.paging.tokens[state.paging.page],
      });
      showFieldErrors(form, []);
      state.shown = true;
      const total = r.total ?? {};
      clear(out).append(
        h('section', { class: 'card' },
          h('p', { id: 'funds-balanced', class: r.balanced ? 'badge ok' : 'badge bad', 'data-balanced': String(!!r.balanced) },
            t(r.balanced ? 'funds.balanced' : 'funds.unbalanced')),
          h('div', { class: 'figures wrap' },
            figure('funds.payroll', money(total.declared_payroll_fen), 'funds-payroll'),
            figure('funds.appropriation', money(total.appropriation_fen), 'funds-appropriation'),
            figure('funds.collected', money(total.collected_fen), 'funds-collected'),
            figure('funds.outstanding', money(total.outstanding_fen), 'funds-outstanding'),
            figure('funds.returned', money(total.returned_fen), 'funds-returned'),
            figure('funds.upward', money(total.allocated_upward_fen), 'funds-upward'),
            figure('funds.preparation_held', money(total.preparation_held_fen), 'funds-prep-held'),
            figure('funds.preparation_returned', money(total.preparation_returned_fen), 'funds-prep-returned'))),
        h('section', { class: 'card', id: 'funds-upward-levels' }, h('h2', {}, t('funds.by_level')),
          table([
            { label: 'funds.level', render: (u) => levelName(u.level) },
            { label: 'funds.amount', num: true, render: (u) => money(u.amount_fen) },
          ], byLevel(r.upward_by_level), 'funds.empty')),
        h('section', { class: 'card', id: 'funds-employers' }, h('h2', {}, t('funds.by_employer')),
          table(figures({ label: 'funds.employer', render: (f) => f.employer_name || f.employer_id }), r.employers, 'funds.empty'),
          pager(state.paging, r.next_page_token, show)),
        h('section', { class: 'card', id: 'funds-months' }, h('h2', {}, t('funds.by_month')),
          table(figures({ label: 'collection.month', key: 'month' }), r.by_month, 'funds.empty')));
    } catch (error) {
      const rest = showFieldErrors(form, error.fieldViolations);
      clear(out).append(errorBox(error, rest));
    }
  }
  if (state.shown) await show();
}

// National first, down to the county; levels not known here last.
const LEVELS = ['national', 'provincial', 'city', 'county'];
function byLevel(shares = []) {
  const rank = (u) => (LEVELS.includes(u.level) ? LEVELS.indexOf(u.level) : LEVELS.length);
  return [...shares].sort((a, b) => rank(a) - rank(b));
}

function levelName(level) {
  const key = `funds.level.${level}`;
  return t(key) === key ? level : t(key);
}
