// The filter the 经审 report pages share: an org subtree and a month range,
// kept in ctx.state.auditRange so moving between the collection, funds and
// spending pages keeps the auditor's choice. Not a page (no render).
import { t } from '../i18n.js';
import { h, dateInput } from '../dom.js';
import { orgDatalist } from '../orgs.js';

function thisYear() {
  const now = new Date();
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  return { from: `${y}-01`, to: `${y}-${m}` };
}

export function rangeState(ctx) {
  const defaults = thisYear();
  return ctx.state.auditRange ??= {
    orgId: ctx.session.org_id && ctx.session.org_id !== '0' ? ctx.session.org_id : '',
    from: defaults.from,
    to: defaults.to,
  };
}

// The form (ids `${prefix}-org`, `-from`, `-to`, `-query`); `onSubmit`
// runs after the state took the inputs' values.
export function rangeForm(ctx, prefix, onSubmit) {
  const state = rangeState(ctx);
  const org = h('input', { id: `${prefix}-org`, inputmode: 'numeric', pattern: '[0-9]+', list: `${prefix}-orgs`, value: state.orgId, 'data-field': 'org_id', required: true, autocomplete: 'off' });
  const from = dateInput({ id: `${prefix}-from`, value: state.from, 'data-field': 'from_month', required: true }, 'month');
  const to = dateInput({ id: `${prefix}-to`, value: state.to, 'data-field': 'to_month', required: true }, 'month');
  const form = h('form', { class: 'filters', id: `${prefix}-form` },
    h('label', {}, t('collection.org_id'), org, orgDatalist(ctx, `${prefix}-orgs`)),
    h('label', {}, t('collection.from'), from),
    h('label', {}, t('collection.to'), to),
    h('button', { type: 'submit', class: 'primary', id: `${prefix}-query` }, t('collection.query')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.orgId = org.value.trim();
    state.from = from.value;
    state.to = to.value;
    onSubmit();
  });
  return form;
}

// One labelled figure of a summary card.
export function figure(label, value, id) {
  return h('div', { class: 'figure' }, h('div', { class: 'label' }, t(label)), h('div', { class: 'value', id }, value));
}
