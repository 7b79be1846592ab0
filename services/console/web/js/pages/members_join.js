// 会员: registering a person who joins an organisation
// (MembershipService.JoinMember). The service checks every field (the
// national ID's check character, the mobile number, age 16 on the join
// date, ...) and names each bad one; the page shows each reason next to its
// input in the user's language. A joined member's detail follows.
import { t } from '../i18n.js';
import { ApiError } from '../api.js';
import { h, clear } from '../dom.js';
import { yuanToFen, localDay } from '../format.js';
import { orgDatalist } from '../orgs.js';
import { field, dateField, select, submitting } from './members_forms.js';
import { showMember } from './members.js';

const SEX = ['', 'SEX_MALE', 'SEX_FEMALE'];
const HOUSEHOLD = ['HOUSEHOLD_URBAN', 'HOUSEHOLD_RURAL'];
const EDUCATION = ['EDUCATION_PRIMARY_OR_BELOW', 'EDUCATION_JUNIOR_SECONDARY', 'EDUCATION_SENIOR_SECONDARY', 'EDUCATION_VOCATIONAL', 'EDUCATION_COLLEGE', 'EDUCATION_BACHELOR', 'EDUCATION_POSTGRADUATE'];

// Yuan typed by a person as fen; text that is not an amount is refused
// here, next to the field, as the services refuse their fields.
function fen(text) {
  const value = yuanToFen(text || '0');
  if (value !== null) return value;
  throw new ApiError(400, {
    code: 'INVALID_ARGUMENT',
    field_violations: [{ field: 'member.wage_base_fen', reason: 'BAD_AMOUNT', description: 'must be yuan with at most two decimals' }],
  });
}

export async function render(main, ctx) {
  main.append(h('h1', {}, t('join.title')));
  const scope = ctx.session.org_id && ctx.session.org_id !== '0' ? ctx.session.org_id : '';
  const today = localDay();
  const status = h('div', { id: 'join-status' });
  const check = (name, label) => h('label', { class: 'check' }, h('input', { type: 'checkbox', id: `join-${name}`, 'data-field': `member.${name}` }), t(label));
  const form = h('form', { class: 'grid', id: 'join-form', novalidate: true },
    field('members.name', { id: 'join-name', 'data-field': 'member.name' }),
    field('members.national_id', { id: 'join-national-id', 'data-field': 'member.national_id', maxlength: 18 }),
    select('join.sex', { id: 'join-sex', 'data-field': 'member.sex' }, SEX),
    field('members.mobile', { id: 'join-mobile', 'data-field': 'member.mobile', inputmode: 'numeric', maxlength: 11 }),
    select('join.household', { id: 'join-household', 'data-field': 'member.household' }, HOUSEHOLD),
    select('join.education', { id: 'join-education', 'data-field': 'member.education' }, EDUCATION),
    field('join.ethnicity', { id: 'join-ethnicity', 'data-field': 'member.ethnicity', value: '汉族' }),
    field('join.wage_base', { id: 'join-wage', 'data-field': 'member.wage_base_fen', inputmode: 'decimal', placeholder: '6000.00' }),
    h('label', {}, t('members.org_id'),
      h('input', { id: 'join-org', 'data-field': 'member.org_id', inputmode: 'numeric', list: 'join-orgs', value: scope, autocomplete: 'off' }),
      orgDatalist(ctx, 'join-orgs')),
    dateField('members.joined_on', { id: 'join-on', 'data-field': 'joined_on', value: today }),
    check('front_line', 'members.front_line'),
    check('migrant_worker', 'join.migrant_worker'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'join-submit' }, t('join.submit'))),
    status);
  const result = h('div', { id: 'join-result' });
  main.append(h('section', { class: 'card' }, h('p', { class: 'muted' }, t('join.note')), form), result);
  const value = (id) => form.querySelector(`#${id}`).value.trim();
  submitting(form, status, 'JoinMember', () => ({
    joined_on: value('join-on'),
    member: {
      name: value('join-name'),
      national_id: value('join-national-id'),
      sex: value('join-sex') || 'SEX_UNSPECIFIED',
      mobile: value('join-mobile'),
      household: value('join-household'),
      education: value('join-education'),
      ethnicity: value('join-ethnicity'),
      wage_base_fen: fen(value('join-wage')),
      org_id: value('join-org') || '0',
      front_line: form.querySelector('#join-front_line').checked,
      migrant_worker: form.querySelector('#join-migrant_worker').checked,
    },
  }), async (r) => {
    clear(result);
    await showMember(result, r.member, ctx);
  });
}
