// 经审: one member's dues statement (FinanceService.GetMemberDuesStatement)
// opened from the arrears or lapse list: each month charged and paid, the
// payments, the balance owed and the open months. Not a page (no render).
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, table, errorBox } from '../dom.js';
import { money, rate } from '../format.js';

const FINANCE = 'unionhub.finance.v1.FinanceService';

export async function showStatement(where, entry) {
  clear(where).append(h('section', { class: 'card' }, h('p', { class: 'muted' }, t('common.loading'))));
  try {
    const r = await call(`${FINANCE}/GetMemberDuesStatement`, { member_id: entry.member_id });
    const row = (label, value, id) => [h('dt', {}, t(label)), h('dd', { id }, value)];
    clear(where).append(h('section', { class: 'card', id: 'statement' },
      h('h2', {}, t('statement.title', { name: entry.name })),
      h('dl', { class: 'detail' },
        row('statement.total_due', money(r.total_due_fen), 'statement-due'),
        row('statement.total_paid', money(r.total_paid_fen), 'statement-paid'),
        row('statement.balance', money(r.balance_fen), 'statement-balance'),
        row('statement.credit', money(r.credit_fen), 'statement-credit'),
        row('statement.open_months', (r.open_months ?? []).join('、') || t('statement.none'), 'statement-open')),
      h('h3', {}, t('statement.charges')),
      table([
        { label: 'collection.month', key: 'month' },
        { label: 'statement.wage_base', num: true, render: (c) => money(c.wage_base_fen) },
        { label: 'statement.rate', num: true, render: (c) => rate(c.rate_bp) },
        { label: 'collection.due', num: true, render: (c) => money(c.due_fen) },
        { label: 'collection.paid', num: true, render: (c) => money(c.paid_fen) },
      ], r.charges, 'statement.no_charges'),
      h('h3', {}, t('statement.payments')),
      table([
        { label: 'statement.paid_on', key: 'paid_on' },
        { label: 'statement.amount', num: true, render: (p) => money(p.amount_fen) },
        { label: 'statement.method', render: (p) => t(`enum.${p.method}`) },
        { label: 'statement.months', render: (p) => (p.allocations ?? []).map((a) => a.month).join('、') },
      ], r.payments, 'statement.no_payments')));
  } catch (error) {
    clear(where).append(errorBox(error));
  }
  where.scrollIntoView?.();
}
