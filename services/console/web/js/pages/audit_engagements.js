// 经审: audit engagements of an org subtree (AuditService.ListEngagements,
// paged, by status), one engagement with its findings and their
// rectifications (GetEngagement), and the rectifications past their
// deadline (ListOverdueRectifications).
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors, newPaging, pager } from '../dom.js';
import { money } from '../format.js';
import { orgDatalist } from '../orgs.js';
import { rangeState } from './audit_range.js';

const AUDIT = 'unionhub.finance.v1.AuditService';
const PAGE_SIZE = 20;
const STATUSES = ['ENGAGEMENT_STATUS_PLANNED', 'ENGAGEMENT_STATUS_FIELDWORK', 'ENGAGEMENT_STATUS_REPORTED', 'ENGAGEMENT_STATUS_CLOSED'];

export async function render(main, ctx) {
  const range = rangeState(ctx);
  const state = ctx.state.engagements ??= { status: '', paging: newPaging(), overdue: newPaging(), shown: false, open: null };
  main.append(h('h1', {}, t('engagements.title')));
  const org = h('input', { id: 'engagements-org', inputmode: 'numeric', pattern: '[0-9]+', list: 'engagements-orgs', value: range.orgId, 'data-field': 'org_id', required: true, autocomplete: 'off' });
  const status = h('select', { id: 'engagements-status', 'data-field': 'status' },
    h('option', { value: '' }, t('engagements.any_status')),
    STATUSES.map((s) => h('option', { value: s, selected: state.status === s }, t(`enum.${s}`))));
  const form = h('form', { class: 'filters', id: 'engagements-form' },
    h('label', {}, t('collection.org_id'), org, orgDatalist(ctx, 'engagements-orgs')),
    h('label', {}, t('engagements.status'), status),
    h('button', { type: 'submit', class: 'primary', id: 'engagements-query' }, t('collection.query')));
  const list = h('div', { id: 'engagements-list' }, h('p', { class: 'empty' }, t('engagements.pick')));
  const detail = h('div', { id: 'engagement-detail' });
  const overdue = h('div', { id: 'overdue' });
  main.append(h('section', { class: 'card' }, form), list, detail, overdue);

  async function showList() {
    clear(list).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const r = await call(`${AUDIT}/ListEngagements`, {
        org_id: range.orgId, status: state.status || 'ENGAGEMENT_STATUS_UNSPECIFIED',
        page_size: PAGE_SIZE, page_token: state.paging.tokens[state.paging.page],
      });
      showFieldErrors(form, []);
      state.shown = true;
      clear(list).append(h('section', { class: 'card' }, h('h2', {}, t('engagements.list')),
        table([
          { label: 'engagements.name', render: (e) => h('a', { href: '#/engagements', class: 'engagement-link', 'data-id': e.engagement_id, onclick: (event) => {
            event.preventDefault();
            state.open = e.engagement_id;
            showDetail();
          } }, e.title) },
          { label: 'engagements.type', render: (e) => t(`enum.${e.type}`) },
          { label: 'engagements.org', key: 'org_id' },
          { label: 'engagements.period', render: (e) => `${e.period_from} — ${e.period_to}` },
          { label: 'engagements.status', render: (e) => t(`enum.${e.status}`) },
        ], r.engagements, 'engagements.empty'),
        pager(state.paging, r.next_page_token, showList)));
    } catch (error) {
      const rest = showFieldErrors(form, error.fieldViolations);
      clear(list).append(errorBox(error, rest));
    }
  }

  async function showDetail() {
    if (!state.open) { clear(detail); return; }
    clear(detail).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const { engagement: e } = await call(`${AUDIT}/GetEngagement`, { engagement_id: state.open });
      const row = (label, value) => [h('dt', {}, t(label)), h('dd', {}, value)];
      clear(detail).append(h('section', { class: 'card' },
        h('h2', {}, e.title),
        h('dl', { class: 'detail' },
          row('engagements.type', t(`enum.${e.type}`)),
          row('engagements.org', e.org_id),
          row('engagements.period', `${e.period_from} — ${e.period_to}`),
          row('engagements.status', t(`enum.${e.status}`)),
          row('engagements.opened_by', e.opened_by)),
        h('h3', {}, t('engagements.findings')),
        (e.findings ?? []).length === 0 ? h('p', { class: 'empty' }, t('engagements.no_findings'))
          : (e.findings ?? []).map((f) => h('div', { class: 'finding', 'data-finding': f.finding_id },
            h('p', {}, h('span', { class: `badge severity ${f.severity}` }, t(`enum.${f.severity}`)), ' ',
              h('strong', {}, f.category), ' · ', money(f.amount_fen)),
            h('p', {}, f.description),
            table([
              { label: 'engagements.owner', key: 'owner' },
              { label: 'engagements.action', key: 'action' },
              { label: 'engagements.deadline', key: 'deadline' },
              { label: 'engagements.rect_status', render: (r) => t(`enum.${r.status}`) },
            ], f.rectifications, 'engagements.no_rectifications')))));
    } catch (error) {
      clear(detail).append(errorBox(error));
    }
  }

  async function showOverdue() {
    const body = h('div', {}, h('p', { class: 'muted' }, t('common.loading')));
    clear(overdue).append(h('section', { class: 'card' }, h('h2', {}, t('engagements.overdue')), body));
    try {
      const r = await call(`${AUDIT}/ListOverdueRectifications`, {
        org_id: range.orgId, page_size: PAGE_SIZE, page_token: state.overdue.tokens[state.overdue.page],
      });
      clear(body).append(table([
        { label: 'engagements.name', key: 'engagement_title' },
        { label: 'engagements.org', key: 'org_id' },
        { label: 'engagements.owner', render: (o) => o.rectification?.owner },
        { label: 'engagements.action', render: (o) => o.rectification?.action },
        { label: 'engagements.deadline', render: (o) => o.rectification?.deadline },
        { label: 'engagements.days_overdue', key: 'days_overdue', num: true },
        { label: 'engagements.rect_status', render: (o) => t(`enum.${o.rectification?.status}`) },
      ], r.items, 'engagements.no_overdue'),
      pager(state.overdue, r.next_page_token, showOverdue));
    } catch (error) {
      clear(body).append(errorBox(error));
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    range.orgId = org.value.trim();
    state.status = status.value;
    state.paging = newPaging();
    state.overdue = newPaging();
    state.open = null;
    clear(detail);
    showList().then(showOverdue);
  });
  if (state.shown) {
    await showList();
    await Promise.all([showDetail(), showOverdue()]);
  }
}
