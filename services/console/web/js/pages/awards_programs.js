// 评选 · 评选项目: the programmes the caller may see
// (AwardsService.ListPrograms, filtered by organiser, year and status),
// opening and closing nominations from the list, and the form that
// creates a programme with its allocations (名额分配) and composition
// rules (结构比例要求). A programme's name opens its workflow page.
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors, newPaging, pager, dateInput } from '../dom.js';
import { hundredths } from '../format.js';
import { orgDatalist } from '../orgs.js';
import { AWARDS, mutate, enumText, enumOptions, actionButton, ruleLabel, field, scopeOrg } from './awards_common.js';

const LEVELS = ['AWARD_LEVEL_NATIONAL', 'AWARD_LEVEL_PROVINCIAL', 'AWARD_LEVEL_CITY', 'AWARD_LEVEL_COUNTY', 'AWARD_LEVEL_ENTERPRISE'];
const SUBJECTS = ['SUBJECT_TYPE_INDIVIDUAL', 'SUBJECT_TYPE_TEAM', 'SUBJECT_TYPE_ORGANISATION'];
const STATUSES = ['PROGRAM_STATUS_DRAFT', 'PROGRAM_STATUS_NOMINATING', 'PROGRAM_STATUS_REVIEWING', 'PROGRAM_STATUS_SHORTLISTED',
  'PROGRAM_STATUS_IN_PUBLICITY', 'PROGRAM_STATUS_FINALIZED'];
const CATEGORIES = ['COMPOSITION_CATEGORY_FRONT_LINE', 'COMPOSITION_CATEGORY_MIGRANT_WORKER', 'COMPOSITION_CATEGORY_ENTERPRISE_LEADER',
  'COMPOSITION_CATEGORY_WOMEN', 'COMPOSITION_CATEGORY_MODEL_WORKER'];
const BOUNDS = ['COMPOSITION_BOUND_MIN_SHARE', 'COMPOSITION_BOUND_MAX_SHARE', 'COMPOSITION_BOUND_MIN_COUNT', 'COMPOSITION_BOUND_MAX_COUNT'];
const WORKER_LEVELS = ['MODEL_WORKER_LEVEL_COUNTY', 'MODEL_WORKER_LEVEL_CITY', 'MODEL_WORKER_LEVEL_PROVINCIAL', 'MODEL_WORKER_LEVEL_NATIONAL'];
const PAGE_SIZE = 20;

export async function render(main, ctx) {
  const state = ctx.state.awards ??= {
    orgId: ctx.session.org_id && ctx.session.org_id !== '0' ? ctx.session.org_id : '', year: '', status: '', paging: newPaging(),
  };
  main.append(h('h1', {}, t('awards.programs.title')));
  // Those who may read programmes but not run them (nominators,
  // reviewers) get the list without the committee's links and steps.
  const runs = ctx.may('award-program');

  // ------------------------------------------------------------ the list
  const org = h('input', { id: 'programs-org', inputmode: 'numeric', list: 'programs-orgs', value: state.orgId, 'data-field': 'organizer_org_id', autocomplete: 'off' });
  const year = h('input', { id: 'programs-year', type: 'number', min: 0, value: state.year, 'data-field': 'year' });
  const status = h('select', { id: 'programs-status', 'data-field': 'status' }, enumOptions(STATUSES, state.status, 'awards.any'));
  const filter = h('form', { class: 'filters', id: 'programs-filter' },
    field('awards.organizer', org), orgDatalist(ctx, 'programs-orgs'), field('awards.year', year), field('awards.status', status),
    h('button', { type: 'submit', class: 'primary', id: 'programs-query' }, t('collection.query')));
  const rows = h('div', { id: 'programs-rows' });
  main.append(h('section', { class: 'card' }, h('h2', {}, t('awards.programs.list')), filter, rows));

  async function showList() {
    clear(rows).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const r = await call(`${AWARDS}/ListPrograms`, {
        organizer_org_id: state.orgId || scopeOrg(ctx), year: Number(state.year) || 0, status: state.status || 'PROGRAM_STATUS_UNSPECIFIED',
        page_size: PAGE_SIZE, page_token: state.paging.tokens[state.paging.page],
      });
      showFieldErrors(filter, []);
      const acting = h('div', { id: 'programs-action' });
      clear(rows).append(table([
        { label: 'awards.program_id', key: 'program_id', num: true },
        { label: 'awards.title_field', render: (p) => (runs ? h('a', { href: `#/award-program?program=${encodeURIComponent(p.program_id)}`, class: 'program-link', 'data-program': p.program_id,
          onclick: () => { (ctx.state['award-program'] ??= {}).programId = p.program_id; } }, p.title) : p.title) },
        { label: 'awards.level', render: (p) => enumText(p.level) },
        { label: 'awards.year', key: 'year', num: true },
        { label: 'awards.subject_type', render: (p) => enumText(p.subject_type) },
        { label: 'awards.organizer', key: 'organizer_org_id' },
        { label: 'awards.total_quota', key: 'total_quota', num: true },
        { label: 'awards.window', render: (p) => `${p.nomination_opens_on} ~ ${p.nomination_closes_on}` },
        { label: 'awards.status', render: (p) => h('span', { class: 'status', 'data-status': p.status }, enumText(p.status)) },
        runs ? { label: 'awards.actions', render: (p) => lifecycleButtons(p, acting, showList) } : null,
      ].filter(Boolean), r.programs, 'awards.programs.empty'), acting, pager(state.paging, r.next_page_token, showList));
    } catch (error) {
      const rest = showFieldErrors(filter, error.fieldViolations);
      clear(rows).append(errorBox(error, rest));
    }
  }
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    state.orgId = org.value.trim();
    state.year = year.value.trim();
    state.status = status.value;
    state.paging = newPaging();
    showList();
  });

  // -------------------------------------------------------- the creation
  if (runs) main.append(createForm(ctx, () => { state.paging = newPaging(); return showList(); }));
  await showList();
}

// Open (DRAFT) or close (NOMINATING) nominations from the list.
function lifecycleButtons(p, status, reload) {
  const id = p.program_id;
  if (p.status === 'PROGRAM_STATUS_DRAFT') {
    return actionButton({ 'data-open': id }, 'awards.open_nominations', status,
      () => mutate(`${AWARDS}/OpenNominations`, { program_id: id }), reload);
  }
  if (p.status === 'PROGRAM_STATUS_NOMINATING') {
    return actionButton({ 'data-close': id }, 'awards.close_nominations', status,
      () => mutate(`${AWARDS}/CloseNominations`, { program_id: id }), reload);
  }
  return '';
}

// One removable row of a repeated field (allocations, composition rules).
function rows(container, makeRow) {
  const add = () => {
    const index = container.children.length;
    const row = makeRow(index);
    row.append(h('button', { type: 'button', class: 'secondary remove', onclick: () => { row.remove(); renumber(container); } }, t('awards.remove')));
    container.append(row);
  };
  return add;
}

// After a row is removed, each input's data-field index follows its row.
function renumber(container) {
  [...container.children].forEach((row, i) => {
    row.querySelectorAll('[data-field]').forEach((el) => {
      el.setAttribute('data-field', el.getAttribute('data-field').replace(/\[\d+\]/, `[${i}]`));
    });
  });
}

function createForm(ctx, created) {
  const now = new Date();
  const y = now.getFullYear();
  const input = (id, fieldName, attrs = {}) => h('input', { id, 'data-field': fieldName, autocomplete: 'off', ...attrs });
  const title = input('program-title', 'program.title', { required: true });
  const level = h('select', { id: 'program-level', 'data-field': 'program.level' }, enumOptions(LEVELS, 'AWARD_LEVEL_COUNTY'));
  const year = input('program-year', 'program.year', { type: 'number', value: y });
  const subject = h('select', { id: 'program-subject', 'data-field': 'program.subject_type' }, enumOptions(SUBJECTS, 'SUBJECT_TYPE_INDIVIDUAL'));
  const organizer = input('program-organizer', 'program.organizer_org_id', { inputmode: 'numeric', list: 'program-orgs',
    value: ctx.session.org_id && ctx.session.org_id !== '0' ? ctx.session.org_id : '' });
  const quota = input('program-quota', 'program.total_quota', { type: 'number', min: 1, value: 10 });
  const opens = dateInput({ id: 'program-opens', 'data-field': 'program.nomination_opens_on', value: `${y}-01-01` });
  const closes = dateInput({ id: 'program-closes', 'data-field': 'program.nomination_closes_on', value: `${y}-12-31` });
  const tenure = input('program-tenure', 'program.eligibility.min_tenure_months', { type: 'number', min: 0, value: 12 });
  const arrears = input('program-arrears', 'program.eligibility.max_arrears_months', { type: 'number', min: 0, value: 3 });
  const repeat = input('program-repeat', 'program.eligibility.no_repeat_years', { type: 'number', min: 0, value: 0 });
  const days = input('program-days', 'program.publicity_working_days', { type: 'number', min: 1, value: 5 });
  const num = input('program-num', 'program.shortlist_numerator', { type: 'number', min: 1, value: 2 });
  const den = input('program-den', 'program.shortlist_denominator', { type: 'number', min: 1, value: 3 });

  const allocations = h('div', { id: 'program-allocations', class: 'rows' });
  const addAllocation = rows(allocations, (i) => h('div', { class: 'row allocation' },
    field('awards.alloc_org', input(`alloc-org-${i}`, `program.allocations[${i}].org_id`, { class: 'alloc-org', inputmode: 'numeric', list: 'program-orgs' })),
    field('awards.alloc_quota', input(`alloc-quota-${i}`, `program.allocations[${i}].quota`, { class: 'alloc-quota', type: 'number', min: 1, value: 1 }))));
  const rules = h('div', { id: 'program-rules', class: 'rows' });
  const addRule = rows(rules, (i) => {
    const category = h('select', { class: 'rule-category', 'data-field': `program.composition_rules[${i}].category` }, enumOptions(CATEGORIES));
    const bound = h('select', { class: 'rule-bound', 'data-field': `program.composition_rules[${i}].bound` }, enumOptions(BOUNDS));
    const value = input(`rule-value-${i}`, `program.composition_rules[${i}].value`, { class: 'rule-value', value: '' });
    const worker = h('select', { class: 'rule-level', 'data-field': `program.composition_rules[${i}].model_worker_level` }, enumOptions(WORKER_LEVELS));
    return h('div', { class: 'row rule' }, field('awards.rule_category', category), field('awards.rule_bound', bound),
      field('awards.rule_value', value), field('awards.rule_worker_level', worker));
  });
  addAllocation();

  const errors = h('div', { id: 'program-errors' });
  const done = h('div', { id: 'program-created' });
  const form = h('form', { class: 'stack wide', id: 'program-form' },
    h('div', { class: 'filters' }, field('awards.title_field', title), field('awards.level', level), field('awards.year', year),
      field('awards.subject_type', subject)),
    h('div', { class: 'filters' }, field('awards.organizer', organizer), orgDatalist(ctx, 'program-orgs'), field('awards.total_quota', quota),
      field('awards.opens_on', opens), field('awards.closes_on', closes)),
    h('div', { class: 'filters' }, field('awards.min_tenure', tenure), field('awards.max_arrears', arrears), field('awards.no_repeat', repeat),
      field('awards.publicity_days', days), field('awards.threshold_num', num), field('awards.threshold_den', den)),
    h('h3', {}, t('awards.allocations')), allocations,
    h('div', {}, h('button', { type: 'button', class: 'secondary', id: 'add-allocation', onclick: addAllocation }, t('awards.add_allocation'))),
    h('h3', {}, t('awards.rules')), h('p', { class: 'muted' }, t('awards.rules_note')), rules,
    h('div', {}, h('button', { type: 'button', class: 'secondary', id: 'add-rule', onclick: addRule }, t('awards.add_rule'))),
    h('div', {}, h('button', { type: 'submit', class: 'primary', id: 'program-submit' }, t('awards.create'))), errors);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(errors);
    clear(done);
    // Shares are typed as percentages; a value that is not one is the
    // form's own field error, so nothing is sent.
    const local = [];
    const ruleList = [...rules.children].map((row, i) => {
      const bound = row.querySelector('.rule-bound').value;
      const raw = row.querySelector('.rule-value').value.trim();
      const share = /SHARE$/.test(bound);
      const out = { category: row.querySelector('.rule-category').value, bound };
      if (share) {
        const bp = hundredths(raw);
        if (bp === null) local.push({ field: `program.composition_rules[${i}].value`, description: t('awards.bad_percent') });
        out.share_bp = Number(bp);
      } else if (!/^\d+$/.test(raw)) {
        local.push({ field: `program.composition_rules[${i}].value`, description: t('awards.bad_count') });
      } else {
        out.count = Number(raw);
      }
      if (out.category === 'COMPOSITION_CATEGORY_MODEL_WORKER') out.model_worker_level = row.querySelector('.rule-level').value;
      return out;
    });
    if (local.length) {
      showFieldErrors(form, local);
      return;
    }
    const program = {
      title: title.value.trim(), level: level.value, year: Number(year.value) || 0, subject_type: subject.value,
      organizer_org_id: organizer.value.trim() || '0', total_quota: Number(quota.value) || 0,
      allocations: [...allocations.children].map((row) => ({
        org_id: row.querySelector('.alloc-org').value.trim() || '0', quota: Number(row.querySelector('.alloc-quota').value) || 0 })),
      nomination_opens_on: opens.value, nomination_closes_on: closes.value,
      eligibility: { min_tenure_months: Number(tenure.value) || 0, max_arrears_months: Number(arrears.value) || 0, no_repeat_years: Number(repeat.value) || 0 },
      composition_rules: ruleList,
      publicity_working_days: Number(days.value) || 0,
      shortlist_numerator: Number(num.value) || 0, shortlist_denominator: Number(den.value) || 0,
    };
    try {
      const r = await mutate(`${AWARDS}/CreateProgram`, { program });
      showFieldErrors(form, []);
      const p = r.program;
      done.append(h('p', { class: 'ok' }, t('awards.created', { id: p.program_id, title: p.title })),
        h('ul', {}, (p.composition_rules ?? []).map((rule) => h('li', {}, ruleLabel(rule)))),
        h('p', { class: 'muted' }, t('awards.threshold', { num: p.shortlist_numerator, den: p.shortlist_denominator })));
      await created();
    } catch (error) {
      const rest = showFieldErrors(form, error.fieldViolations);
      errors.append(errorBox(error, rest));
    }
  });
  return h('section', { class: 'card' }, h('h2', {}, t('awards.programs.create')), form, done);
}
