// 经审: the ledger's hash chain and seals checked by the finance service
// (AuditService.VerifyLedger) over an entry range (empty: all sealed
// entries): intact or the first entry that does not verify, and how much
// was checked.
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, errorBox, showFieldErrors } from '../dom.js';

const AUDIT = 'unionhub.finance.v1.AuditService';

export async function render(main, ctx) {
  const state = ctx.state.ledger ??= { from: '', to: '', shown: false };
  main.append(h('h1', {}, t('ledger.title')));
  const from = h('input', { id: 'ledger-from', inputmode: 'numeric', pattern: '[0-9]*', value: state.from, 'data-field': 'from_entry_id', placeholder: t('ledger.from_hint') });
  const to = h('input', { id: 'ledger-to', inputmode: 'numeric', pattern: '[0-9]*', value: state.to, 'data-field': 'to_entry_id', placeholder: t('ledger.to_hint') });
  const form = h('form', { class: 'filters', id: 'ledger-form' },
    h('label', {}, t('ledger.from'), from), h('label', {}, t('ledger.to'), to),
    h('button', { type: 'submit', class: 'primary', id: 'ledger-verify' }, t('ledger.verify')));
  const out = h('div', { id: 'ledger-result' }, h('p', { class: 'empty' }, t('ledger.pick')));
  main.append(h('section', { class: 'card' }, h('p', { class: 'muted' }, t('ledger.note')), form), out);

  async function show() {
    clear(out).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const r = await call(`${AUDIT}/VerifyLedger`, { from_entry_id: state.from || '0', to_entry_id: state.to || '0' });
      showFieldErrors(form, []);
      state.shown = true;
      const row = (label, value, id) => [h('dt', {}, t(label)), h('dd', { id }, value)];
      clear(out).append(h('section', { class: 'card' },
        h('p', { id: 'ledger-intact', class: r.intact ? 'badge ok' : 'badge bad', 'data-intact': String(!!r.intact) },
          t(r.intact ? 'ledger.intact' : 'ledger.broken')),
        h('dl', { class: 'detail' },
          row('ledger.entries_checked', String(r.entries_checked ?? 0), 'ledger-entries'),
          row('ledger.seals_checked', String(r.seals_checked ?? 0), 'ledger-seals'),
          row('ledger.last_sealed', String(r.last_sealed_entry_id ?? 0), 'ledger-last-sealed'),
          row('ledger.unsealed', String(r.unsealed_entries ?? 0), 'ledger-unsealed'),
          row('ledger.balanced', t(r.ledger_balanced ? 'common.yes' : 'common.no'), 'ledger-balanced'),
          row('ledger.seal_hash', h('code', {}, r.latest_seal_hash || '—'), 'ledger-hash'),
          r.intact ? null : row('ledger.first_bad', String(r.first_bad_entry_id ?? 0), 'ledger-first-bad'),
          r.intact ? null : row('ledger.reason', r.reason, 'ledger-reason'))));
    } catch (error) {
      const rest = showFieldErrors(form, error.fieldViolations);
      clear(out).append(errorBox(error, rest));
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.from = from.value.trim();
    state.to = to.value.trim();
    show();
  });
  if (state.shown) await show();
}
