// 经审: dues collection of an org subtree over a month range
// (AuditService.GetCollectionReport): totals, the rate by month (line
// chart and table) and by child organisation (bar chart and table), then
// the arrears list with a minimum-months filter and paging
// (AuditService.ListArrears) and the lapse candidates
// (AuditService.ListLapseCandidates); a member's name opens their dues
// statement (audit_statement.js).
import { t, lang } from '../i18n.js';
import { call, download } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors, newPaging, pager, dateInput } from '../dom.js';
import { money, rate, ratePercentForChart } from '../format.js';
import { lineChart, barChart } from '../chart.js';
import { orgDatalist } from '../orgs.js';
import { showStatement } from './audit_statement.js';
import { rangeState } from './audit_range.js';

const AUDIT = 'unionhub.finance.v1.AuditService';
const PAGE_SIZE = 20;

export async function render(main, ctx) {
  // The org and months are the 经审 pages' shared choice (audit_range.js),
  // so 经费 and 支出 open on what was asked here.
  const range = rangeState(ctx);
  const state = ctx.state.collection ??= { minMonths: '1', arrears: newPaging(), lapse: newPaging(), shown: false };
  main.append(h('h1', {}, t('collection.title')));

  const org = h('input', { id: 'collection-org', inputmode: 'numeric', pattern: '[0-9]+', list: 'collection-orgs', value: range.orgId, 'data-field': 'org_id', required: true, autocomplete: 'off' });
  const from = dateInput({ id: 'collection-from', value: range.from, 'data-field': 'from_month', required: true }, 'month');
  const to = dateInput({ id: 'collection-to', value: range.to, 'data-field': 'to_month', required: true }, 'month');
  const form = h('form', { class: 'filters', id: 'collection-form' },
    h('label', {}, t('collection.org_id'), org, orgDatalist(ctx, 'collection-orgs')),
    h('label', {}, t('collection.from'), from),
    h('label', {}, t('collection.to'), to),
    h('button', { type: 'submit', class: 'primary', id: 'collection-query' }, t('collection.query')));
  const report = h('div', { id: 'collection-report' }, h('p', { class: 'empty' }, t('collection.pick')));
  const downloads = h('div', { id: 'downloads' });
  const arrears = h('div', { id: 'arrears' });
  const lapse = h('div', { id: 'lapse' });
  const statement = h('div', { id: 'statement-area' });
  main.append(h('section', { class: 'card' }, form), report, downloads, arrears, lapse, statement);

  // The auditors' workbook (the same builder as `unionctl audit report`)
  // and the arrears list as CSV, labelled in the page's language.
  function showDownloads() {
    const status = h('div', {});
    const button = (id, label, what, params) => {
      const b = h('button', { type: 'button', class: 'secondary', id }, t(label));
      b.addEventListener('click', async () => {
        b.disabled = true;
        clear(status).append(h('p', { class: 'muted' }, t('common.loading')));
        try {
          await download(what, { ...params(), lang: lang() });
          clear(status);
        } catch (error) {
          clear(status).append(errorBox(error));
        } finally {
          b.disabled = false;
        }
      });
      return b;
    };
    clear(downloads).append(h('section', { class: 'card' },
      h('h2', {}, t('download.title')),
      h('div', { class: 'actions' },
        button('download-workbook', 'download.workbook', 'audit-workbook',
          () => ({ org_id: range.orgId, from_month: range.from, to_month: range.to })),
        button('download-arrears', 'download.arrears', 'arrears.csv',
          () => ({ org_id: range.orgId, min_months: String(Number(state.minMonths) || 1) }))),
      status));
  }

  async function show() {
    clear(report).append(h('p', { class: 'muted' }, t('common.loading')));
    clear(downloads);
    clear(arrears);
    clear(lapse);
    clear(statement);
    try {
      const r = await call(`${AUDIT}/GetCollectionReport`,
        { org_id: range.orgId, from_month: range.from, to_month: range.to });
      showFieldErrors(form, []);
      clear(report).append(...reportView(r));
      showDownloads();
      state.shown = true;
      await Promise.all([showArrears(), showLapse()]);
    } catch (error) {
      const rest = showFieldErrors(form, error.fieldViolations);
      clear(report).append(errorBox(error, rest));
    }
  }

  async function showArrears() {
    const minMonths = h('input', { id: 'arrears-min', type: 'number', min: 1, value: state.minMonths, 'data-field': 'min_months' });
    const filter = h('form', { class: 'filters', id: 'arrears-form' },
      h('label', {}, t('arrears.min_months'), minMonths),
      h('button', { type: 'submit', class: 'secondary' }, t('collection.query')));
    filter.addEventListener('submit', (event) => {
      event.preventDefault();
      state.minMonths = minMonths.value || '1';
      state.arrears = newPaging();
      showArrears();
    });
    await entries(arrears, 'arrears.title', filter, 'ListArrears',
      { min_months: Number(state.minMonths) || 1 }, state.arrears, showArrears, 'arrears.empty');
  }

  function showLapse() {
    return entries(lapse, 'lapse.title', null, 'ListLapseCandidates', {}, state.lapse, showLapse, 'lapse.empty');
  }

  // A paged list of ArrearsEntry (arrears and lapse candidates) into `where`.
  async function entries(where, titleKey, filter, method, request, paging, reload, emptyKey) {
    const body = h('div', {}, h('p', { class: 'muted' }, t('common.loading')));
    clear(where).append(h('section', { class: 'card' }, h('h2', {}, t(titleKey)), filter, body));
    try {
      const r = await call(`${AUDIT}/${method}`, {
        ...request, org_id: range.orgId, page_size: PAGE_SIZE, page_token: paging.tokens[paging.page],
      });
      clear(body).append(
        r.as_of_month ? h('p', { class: 'muted' }, t('arrears.as_of', { month: r.as_of_month })) : null,
        table([
          { label: 'arrears.member', render: (e) => h('a', { href: '#/collection', class: 'statement-link', 'data-member': e.member_id, onclick: (event) => {
            event.preventDefault();
            showStatement(statement, e);
          } }, e.name) },
          { label: 'arrears.org', key: 'org_id' },
          { label: 'arrears.months', key: 'months_in_arrears', num: true },
          { label: 'arrears.longest', key: 'longest_consecutive_unpaid', num: true },
          { label: 'arrears.outstanding', num: true, render: (e) => money(e.outstanding_fen) },
          { label: 'arrears.oldest', key: 'oldest_open_month' },
          { label: 'arrears.lapse', render: (e) => t(e.lapse_candidate ? 'common.yes' : 'common.no') },
        ], r.entries, emptyKey),
        pager(paging, r.next_page_token, reload));
    } catch (error) {
      clear(body).append(errorBox(error));
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    range.orgId = org.value.trim();
    range.from = from.value;
    range.to = to.value;
    state.arrears = newPaging();
    state.lapse = newPaging();
    show();
  });
  if (state.shown) await show();
}

function figure(label, value, id) {
  return h('div', { class: 'figure' }, h('div', { class: 'label' }, t(label)), h('div', { class: 'value', id }, value));
}

function reportView(r) {
  const total = r.total ?? {};
  const summary = h('section', { class: 'card' },
    h('h2', {}, r.org_name || r.org_id),
    h('div', { class: 'figures' },
      figure('collection.due', money(total.due_fen), 'total-due'),
      figure('collection.paid', money(total.paid_fen), 'total-paid'),
      figure('collection.rate', rate(total.collection_rate_bp), 'total-rate')));
  const months = r.by_month ?? [];
  if (months.length === 0) {
    return [summary, h('section', { class: 'card' }, h('p', { class: 'empty' }, t('collection.empty')))];
  }
  const columns = (first) => [
    first,
    { label: 'collection.due', num: true, render: (f) => money(f.due_fen) },
    { label: 'collection.paid', num: true, render: (f) => money(f.paid_fen) },
    { label: 'collection.rate', num: true, render: (f) => rate(f.collection_rate_bp) },
    { label: 'collection.members_charged', key: 'members_charged', num: true },
    { label: 'collection.members_paid', key: 'members_paid', num: true },
  ];
  const byMonth = h('section', { class: 'card', id: 'by-month' },
    h('h2', {}, t('collection.by_month')),
    lineChart(months.map((f) => ({ x: f.month, value: ratePercentForChart(f.collection_rate_bp), label: rate(f.collection_rate_bp) })), t('collection.by_month')),
    table(columns({ label: 'collection.month', key: 'month' }), months, 'collection.empty'));
  const children = r.by_child ?? [];
  const byChild = children.length === 0 ? null : h('section', { class: 'card', id: 'by-child' },
    h('h2', {}, t('collection.by_child')),
    barChart(children.map((f) => ({ name: f.org_name || f.org_id, value: ratePercentForChart(f.collection_rate_bp), label: rate(f.collection_rate_bp) })), t('collection.by_child')),
    table(columns({ label: 'collection.child', render: (f) => f.org_name || f.org_id }), children, 'collection.empty'));
  return [summary, byMonth, byChild].filter(Boolean);
}
