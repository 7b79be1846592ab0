// 评选 · 推荐申报: a nominating organisation's nominations in a programme
// (AwardsService.ListNominations: the service lists only those whose
// nominating org is in the caller's scope), each with its eligibility
// evidence; a new nomination (a member found by national ID, or an org
// or team), submitted for the eligibility check, or withdrawn.
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors } from '../dom.js';
import { orgDatalist } from '../orgs.js';
import { AWARDS, mutate, programDatalist, actionButton, nominationColumns, showEvidence, field } from './awards_common.js';

const MEMBERSHIP = 'unionhub.membership.v1.MembershipService';
const OPEN = ['NOMINATION_STATUS_DRAFT', 'NOMINATION_STATUS_INELIGIBLE'];
const LIVE = ['NOMINATION_STATUS_DRAFT', 'NOMINATION_STATUS_INELIGIBLE', 'NOMINATION_STATUS_UNDER_REVIEW',
  'NOMINATION_STATUS_SHORTLISTED', 'NOMINATION_STATUS_IN_PUBLICITY'];

export async function render(main, ctx) {
  const scoped = ctx.session.org_id && ctx.session.org_id !== '0' ? ctx.session.org_id : '';
  const state = ctx.state['award-nominations'] ??= { programId: ctx.state['award-program']?.programId ?? '' };
  main.append(h('h1', {}, t('awards.nominations.title')));
  const program = h('input', { id: 'nominations-program', inputmode: 'numeric', list: 'nominations-programs', value: state.programId, 'data-field': 'program_id', autocomplete: 'off' });
  const pick = h('form', { class: 'filters', id: 'nominations-pick' }, field('awards.program_id', program), programDatalist(ctx, 'nominations-programs'),
    h('button', { type: 'submit', class: 'primary' }, t('awards.show')));
  const list = h('div', { id: 'nominations-list' });
  const evidence = h('div', { id: 'nomination-evidence' });
  main.append(h('section', { class: 'card' }, pick, list, evidence));

  async function show() {
    clear(evidence);
    if (!state.programId) {
      clear(list).append(h('p', { class: 'empty' }, t('awards.program.pick')));
      return;
    }
    clear(list).append(h('p', { class: 'muted' }, t('common.loading')));
    const status = h('div', { id: 'nomination-action' });
    try {
      const r = await call(`${AWARDS}/ListNominations`, { program_id: state.programId, page_size: 200 });
      showFieldErrors(pick, []);
      clear(list).append(table([
        ...nominationColumns('award-nominations', evidence),
        { label: 'awards.actions', render: (n) => h('div', { class: 'actions' },
          OPEN.includes(n.status) ? actionButton({ 'data-submit': n.nomination_id }, 'awards.submit', status,
            () => mutate(`${AWARDS}/SubmitNomination`, { nomination_id: n.nomination_id }), async (res) => {
              await show();
              showEvidence(evidence, res.nomination);
            }) : null,
          LIVE.includes(n.status) ? actionButton({ 'data-withdraw': n.nomination_id }, 'awards.withdraw', status,
            () => mutate(`${AWARDS}/WithdrawNomination`, { nomination_id: n.nomination_id, reason: t('awards.withdraw_reason') }), show) : null) },
      ], r.nominations, 'awards.nominations_empty'), status);
    } catch (error) {
      clear(list).append(errorBox(error, showFieldErrors(pick, error.fieldViolations)));
    }
  }
  pick.addEventListener('submit', (event) => {
    event.preventDefault();
    state.programId = program.value.trim();
    show();
  });

  main.append(createForm(ctx, scoped, state, show));
  await show();
}

function createForm(ctx, scoped, state, created) {
  const input = (id, name, attrs = {}) => h('input', { id, 'data-field': name, autocomplete: 'off', ...attrs });
  const nominating = input('nomination-org', 'nomination.nominating_org_id', { inputmode: 'numeric', list: 'nomination-orgs', value: scoped });
  const nationalId = input('nomination-national-id', 'national_id');
  const member = input('nomination-member', 'nomination.member_id', { inputmode: 'numeric' });
  const found = h('span', { class: 'muted', id: 'nomination-found' });
  const subjectOrg = input('nomination-subject-org', 'nomination.subject_org_id', { inputmode: 'numeric', list: 'nomination-orgs' });
  const subjectName = input('nomination-subject-name', 'nomination.subject_name');
  const citation = h('textarea', { id: 'nomination-citation', rows: 3, 'data-field': 'nomination.citation' });
  const lookup = h('button', { type: 'button', class: 'secondary', id: 'nomination-lookup' }, t('awards.lookup'));
  const errors = h('div', { id: 'nomination-errors' });
  const form = h('form', { class: 'stack wide', id: 'nomination-form' },
    h('p', { class: 'muted' }, t('awards.nomination_note')),
    h('div', { class: 'filters' }, field('awards.nominating_org', nominating), orgDatalist(ctx, 'nomination-orgs')),
    h('div', { class: 'filters' }, field('members.national_id', nationalId), lookup, field('awards.member_id', member), found),
    h('div', { class: 'filters' }, field('awards.subject_org', subjectOrg), field('awards.subject_name', subjectName)),
    field('awards.citation', citation),
    h('div', {}, h('button', { type: 'submit', class: 'primary', id: 'nomination-create' }, t('awards.create_nomination'))), errors);
  // The member by national ID (MembershipService.LookupMember): the
  // nominator types what is on the form they hold, not an internal id.
  lookup.addEventListener('click', async () => {
    clear(errors);
    found.textContent = '';
    try {
      const r = await call(`${MEMBERSHIP}/LookupMember`, { national_id: nationalId.value.trim() });
      member.value = r.member.member_id;
      found.textContent = t('awards.found', { name: r.member.name, org: r.member.org_id });
      showFieldErrors(form, []);
    } catch (error) {
      errors.append(errorBox(error, showFieldErrors(form, error.fieldViolations)));
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(errors);
    if (!state.programId) {
      errors.append(h('p', { class: 'error' }, t('awards.program.pick')));
      return;
    }
    const nomination = { program_id: state.programId, nominating_org_id: nominating.value.trim() || '0', citation: citation.value.trim() };
    if (member.value.trim()) nomination.member_id = member.value.trim();
    if (subjectOrg.value.trim()) nomination.subject_org_id = subjectOrg.value.trim();
    if (subjectName.value.trim()) nomination.subject_name = subjectName.value.trim();
    try {
      await mutate(`${AWARDS}/CreateNomination`, { nomination });
      showFieldErrors(form, []);
      form.reset();
      nominating.value = scoped;
      found.textContent = '';
      await created();
    } catch (error) {
      errors.append(errorBox(error, showFieldErrors(form, error.fieldViolations)));
    }
  });
  return h('section', { class: 'card' }, h('h2', {}, t('awards.nominations.create')), form);
}
