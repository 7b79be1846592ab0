// 评选 · 项目工作台: one programme's workflow for its committee — the
// programme as configured, the step its status allows (open or close
// nominations, close review, start publicity, finalise), the reviewers
// (ListReviewers, AssignReviewers), every nomination with its tally and eligibility
// evidence, then publicity, objections and honours (awards_publicity.js).
// A refused finalisation shows each broken rule by name with its figures
// (the service's precondition details).
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors, dateInput, newPaging, pager } from '../dom.js';
import { AWARDS, mutate, enumText, programDatalist, actionButton, ruleLabel, brokenRules, nominationColumns, tallyText, field } from './awards_common.js';
import { publicitySection, honoursSection } from './awards_publicity.js';

// Nominations per page on the workbench: a county programme has dozens,
// a provincial one hundreds.
const NOMINATIONS_PAGE = 20;

export async function render(main, ctx) {
  const state = ctx.state['award-program'] ??= { programId: '' };
  // The programme in the hash wins (a reload, a shared link, back); one
  // chosen earlier in this session is written into the hash.
  const linked = ctx.params?.get('program');
  if (linked) state.programId = linked;
  else if (state.programId) history.replaceState(null, '', programHash(state.programId));
  main.append(h('h1', {}, t('awards.program.title')));
  const id = h('input', { id: 'program-pick', inputmode: 'numeric', list: 'program-picks', value: state.programId ?? '', 'data-field': 'program_id', autocomplete: 'off' });
  const pick = h('form', { class: 'filters', id: 'program-pick-form' }, field('awards.program_id', id), programDatalist(ctx, 'program-picks'),
    h('button', { type: 'submit', class: 'primary' }, t('awards.show')));
  const body = h('div', { id: 'program-body' });
  main.append(h('section', { class: 'card' }, pick), body);
  pick.addEventListener('submit', (event) => {
    event.preventDefault();
    state.programId = id.value.trim();
    // A new history entry per programme, without a hashchange redraw.
    if (location.hash !== programHash(state.programId)) history.pushState(null, '', programHash(state.programId));
    show();
  });

  // A show() still loading when a newer one starts (the page opened on a
  // remembered programme, then another was picked) gives way, so the body
  // never holds two programmes.
  let newest = 0;
  async function show() {
    const mine = ++newest;
    clear(body).append(h('p', { class: 'muted' }, t('common.loading')));
    let program;
    try {
      program = (await call(`${AWARDS}/GetProgram`, { program_id: state.programId || '0' })).program;
    } catch (error) {
      if (mine === newest) clear(body).append(errorBox(error, showFieldErrors(pick, error.fieldViolations)));
      return;
    }
    const parts = [summary(program), steps(program, show), await reviewers(program),
      await nominations(program, state), await publicitySection(program, show), await honoursSection(program)];
    if (mine !== newest) return;
    showFieldErrors(pick, []);
    clear(body).append(...parts);
  }
  if (state.programId) await show();
  else body.append(h('p', { class: 'empty' }, t('awards.program.pick')));
}

function programHash(programId) {
  return programId ? `#/award-program?program=${encodeURIComponent(programId)}` : '#/award-program';
}

function summary(p) {
  const row = (label, value) => [h('dt', {}, t(label)), h('dd', {}, value)];
  return h('section', { class: 'card', id: 'program-summary' }, h('h2', {}, p.title),
    h('dl', { class: 'detail' },
      row('awards.status', h('span', { id: 'program-status', 'data-status': p.status }, enumText(p.status))),
      row('awards.level', enumText(p.level)), row('awards.year', String(p.year)),
      row('awards.subject_type', enumText(p.subject_type)), row('awards.organizer', p.organizer_org_id),
      row('awards.total_quota', String(p.total_quota)),
      row('awards.window', `${p.nomination_opens_on} ~ ${p.nomination_closes_on}`),
      row('awards.threshold_label', t('awards.threshold', { num: p.shortlist_numerator, den: p.shortlist_denominator })),
      row('awards.publicity', p.publicity_starts_on ? `${p.publicity_starts_on} ~ ${p.publicity_ends_on}` : t('awards.not_yet')),
      row('awards.eligibility', eligibilityText(p.eligibility ?? {}))),
    h('h3', {}, t('awards.allocations')),
    table([{ label: 'awards.alloc_org', key: 'org_id' }, { label: 'awards.alloc_quota', key: 'quota', num: true }], p.allocations, 'awards.allocations_empty'),
    h('h3', {}, t('awards.rules')),
    (p.composition_rules ?? []).length
      ? h('ul', { id: 'program-rules-list' }, p.composition_rules.map((r) => h('li', {}, ruleLabel(r))))
      : h('p', { class: 'empty' }, t('awards.rules_empty')));
}

// The eligibility rules as awards checks them: tenure and the no-repeat
// rule only when set (0 means none), arrears always.
function eligibilityText(e) {
  return [
    e.min_tenure_months > 0 ? t('awards.eligibility.tenure', { months: e.min_tenure_months }) : null,
    t('awards.eligibility.arrears', { months: e.max_arrears_months ?? 0 }),
    e.no_repeat_years > 0 ? t('awards.eligibility.repeat', { years: e.no_repeat_years }) : null,
  ].filter(Boolean).join(t('awards.eligibility.separator'));
}

// The one step the programme's status allows, and finalisation's refusal.
function steps(p, reload) {
  const status = h('div', { id: 'step-status' });
  const id = p.program_id;
  const buttons = [];
  const step = (attrs, label, method, extra = () => ({})) => buttons.push(
    actionButton({ class: 'primary', ...attrs }, label, status, () => mutate(`${AWARDS}/${method}`, { program_id: id, ...extra() }), reload));
  switch (p.status) {
    case 'PROGRAM_STATUS_DRAFT': step({ id: 'step-open' }, 'awards.open_nominations', 'OpenNominations'); break;
    case 'PROGRAM_STATUS_NOMINATING': step({ id: 'step-close' }, 'awards.close_nominations', 'CloseNominations'); break;
    case 'PROGRAM_STATUS_REVIEWING': step({ id: 'step-close-review' }, 'awards.close_review', 'CloseReview'); break;
    case 'PROGRAM_STATUS_SHORTLISTED': {
      const starts = dateInput({ id: 'publicity-starts', 'data-field': 'starts_on' });
      buttons.push(field('awards.publicity_starts', starts));
      step({ id: 'step-publicity' }, 'awards.start_publicity', 'StartPublicity', () => (starts.value ? { starts_on: starts.value } : {}));
      break;
    }
    case 'PROGRAM_STATUS_IN_PUBLICITY': {
      const b = h('button', { type: 'button', class: 'primary', id: 'step-finalize' }, t('awards.finalize'));
      b.addEventListener('click', async () => {
        b.disabled = true;
        clear(status).append(h('p', { class: 'muted' }, t('common.loading')));
        try {
          await mutate(`${AWARDS}/FinalizeProgram`, { program_id: id });
          clear(status);
          await reload();
        } catch (error) {
          // The broken rules' table says what the English message does.
          const rules = brokenRules(error, p);
          clear(status).append(errorBox(rules ? { code: error.code } : error), rules);
        } finally {
          b.disabled = false;
        }
      });
      buttons.push(b);
      break;
    }
    default: buttons.push(h('p', { class: 'muted' }, t('awards.no_step')));
  }
  return h('section', { class: 'card', id: 'program-steps' }, h('h2', {}, t('awards.steps')),
    h('p', { class: 'muted' }, t(`awards.step_note.${p.status}`)), h('div', { class: 'actions' }, buttons), status);
}

// The committee's reviewers as stored (ListReviewers), each added by token
// subject, name and their own organisation (recusal is decided from it);
// the reply to an addition lists them all.
async function reviewers(p) {
  const subject = h('input', { id: 'reviewer-subject', 'data-field': 'reviewers[0].subject', autocomplete: 'off' });
  const name = h('input', { id: 'reviewer-name', 'data-field': 'reviewers[0].name', autocomplete: 'off' });
  const org = h('input', { id: 'reviewer-org', inputmode: 'numeric', 'data-field': 'reviewers[0].org_id', autocomplete: 'off' });
  const list = h('div', { id: 'reviewer-list' });
  const showList = (committee) => clear(list).append(table([
    { label: 'awards.reviewer_subject', key: 'subject' }, { label: 'awards.reviewer_name', key: 'name' },
    { label: 'awards.reviewer_org', key: 'org_id' }], committee, 'awards.reviewers_empty'));
  try {
    showList((await call(`${AWARDS}/ListReviewers`, { program_id: p.program_id })).reviewers);
  } catch (error) {
    list.append(errorBox(error));
  }
  const form = h('form', { class: 'filters', id: 'reviewer-form' }, field('awards.reviewer_subject', subject),
    field('awards.reviewer_name', name), field('awards.reviewer_org', org),
    h('button', { type: 'submit', class: 'secondary', id: 'reviewer-add' }, t('awards.assign')));
  const errors = h('div');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(errors);
    try {
      const r = await mutate(`${AWARDS}/AssignReviewers`, { program_id: p.program_id,
        reviewers: [{ subject: subject.value.trim(), name: name.value.trim(), org_id: org.value.trim() || '0' }] });
      showFieldErrors(form, []);
      showList(r.reviewers);
      form.reset();
    } catch (error) {
      errors.append(errorBox(error, showFieldErrors(form, error.fieldViolations)));
    }
  });
  return h('section', { class: 'card', id: 'program-reviewers' }, h('h2', {}, t('awards.reviewers')), form, errors, list);
}

// Every nomination of the programme the caller may see, a page at a time
// (ListNominations' page token), with a row's evidence shown on request.
// The page stays where it was while the same programme is redrawn.
async function nominations(p, state) {
  if (state.nominationsOf !== p.program_id) {
    state.nominationsOf = p.program_id;
    state.nominationPages = newPaging();
  }
  const list = h('div', { id: 'program-nominations-list' });
  const evidence = h('div', { id: 'program-evidence' });
  const section = h('section', { class: 'card', id: 'program-nominations' }, h('h2', {}, t('awards.nominations')), list, evidence);
  async function showPage() {
    clear(evidence);
    try {
      const paging = state.nominationPages;
      const r = await call(`${AWARDS}/ListNominations`, {
        program_id: p.program_id, page_size: NOMINATIONS_PAGE, page_token: paging.tokens[paging.page] });
      clear(list).append(table([
        ...nominationColumns('award-program', evidence),
        { label: 'awards.tally_label', render: tallyText },
      ], r.nominations, 'awards.nominations_empty'), pager(paging, r.next_page_token, showPage));
    } catch (error) {
      clear(list).append(errorBox(error));
    }
  }
  await showPage();
  return section;
}
