// 经审: spending of an org subtree over a month range by category
// (AuditService.GetSpendingReport): the totals, the share that reached
// front-line workers, and the categories auditors look at first
// (hospitality, rating contests) flagged.
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors } from '../dom.js';
import { money, rate } from '../format.js';
import { barChart } from '../chart.js';
import { rangeForm, rangeState, figure } from './audit_range.js';

const AUDIT = 'unionhub.finance.v1.AuditService';

// part / whole in basis points rounded half up, as the service rounds its
// front-line share; integer arithmetic on the fen strings.
function shareBp(part, whole) {
  const w = BigInt(whole ?? 0);
  return w <= 0n ? 0n : (BigInt(part ?? 0) * 20000n + w) / (2n * w);
}

export async function render(main, ctx) {
  const state = ctx.state.spending ??= { shown: false };
  main.append(h('h1', {}, t('spending.title')));
  const out = h('div', { id: 'spending-report' }, h('p', { class: 'empty' }, t('collection.pick')));
  const form = rangeForm(ctx, 'spending', show);
  main.append(h('section', { class: 'card' }, form), out);

  async function show() {
    const range = rangeState(ctx);
    clear(out).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const r = await call(`${AUDIT}/GetSpendingReport`, { org_id: range.orgId, from_month: range.from, to_month: range.to });
      showFieldErrors(form, []);
      state.shown = true;
      const rows = r.by_category ?? [];
      const category = (c) => t(`enum.${c.category}`);
      clear(out).append(
        h('section', { class: 'card' }, h('div', { class: 'figures wrap' },
          figure('spending.total', money(r.total_fen), 'spending-total'),
          figure('spending.front_line', money(r.front_line_fen), 'spending-front-line'),
          figure('spending.front_line_share', rate(r.front_line_share_bp), 'spending-share'),
          figure('spending.flagged', money(r.flagged_fen), 'spending-flagged'),
          figure('spending.flagged_expenses', String(r.flagged_expenses ?? 0), 'spending-flagged-count'))),
        h('section', { class: 'card', id: 'spending-categories' }, h('h2', {}, t('spending.by_category')),
          rows.length ? barChart(rows.map((c) => {
            const bp = shareBp(c.amount_fen, r.total_fen);
            return { name: category(c), value: Number(bp) / 100, label: `${money(c.amount_fen)} (${rate(bp)})` };
          }), t('spending.by_category')) : null,
          table([
            { label: 'spending.category', render: (c) => h('span', { class: c.flagged ? 'flagged' : null, 'data-category': c.category }, category(c)) },
            { label: 'spending.amount', num: true, render: (c) => money(c.amount_fen) },
            { label: 'spending.front_line', num: true, render: (c) => money(c.front_line_fen) },
            { label: 'spending.expenses', key: 'expenses', num: true },
            { label: 'spending.budget', num: true, render: (c) => money(c.budget_fen) },
            { label: 'spending.flag', render: (c) => (c.flagged ? h('span', { class: 'badge bad' }, t('spending.flagged_mark')) : '') },
          ], rows, 'spending.empty')));
    } catch (error) {
      const rest = showFieldErrors(form, error.fieldViolations);
      clear(out).append(errorBox(error, rest));
    }
  }
  if (state.shown) await show();
}
