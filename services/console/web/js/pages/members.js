// 会员: find a member by national ID or card number
// (MembershipService.LookupMember) or by the start of their name within
// the caller's organisation (ListMembers' name filter), see their detail
// and history (GetMemberHistory) with the transfer and status-change forms
// (members_forms.js), and list an organisation's members with paging
// (MembershipService.ListMembers; a name opens that member). National IDs
// arrive masked unless the caller's role may read them; the page shows
// what the service sent.
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors, newPaging, pager } from '../dom.js';
import { money } from '../format.js';
import { orgDatalist } from '../orgs.js';
import { memberActions } from './members_forms.js';

const MEMBERSHIP = 'unionhub.membership.v1.MembershipService';
const PAGE_SIZE = 20;

function status(m) { return t(`enum.${m.status}`); }

function detail(m) {
  const row = (label, value) => [h('dt', {}, t(label)), h('dd', {}, value)];
  return h('section', { class: 'card', id: 'member-detail' }, h('h2', {}, m.name),
    h('dl', { class: 'detail' },
      row('members.national_id', m.national_id),
      row('members.card_number', m.card_number),
      row('members.org_id', m.org_id),
      row('members.status', status(m)),
      row('members.joined_on', m.joined_on),
      row('members.mobile', m.mobile),
      row('members.wage_base', money(m.wage_base_fen)),
      row('members.front_line', t(m.front_line ? 'common.yes' : 'common.no'))));
}

function historyView(entries) {
  const orgMove = (e) => (e.kind === 'HISTORY_KIND_TRANSFERRED' ? `${e.from_org_id} → ${e.to_org_id}` : '');
  const statusMove = (e) => (e.from_status !== e.to_status && e.to_status !== 'MEMBER_STATUS_UNSPECIFIED'
    ? `${e.from_status === 'MEMBER_STATUS_UNSPECIFIED' ? '' : t(`enum.${e.from_status}`)} → ${t(`enum.${e.to_status}`)}` : '');
  return h('section', { class: 'card', id: 'member-history' }, h('h2', {}, t('members.history')),
    table([
      { label: 'members.history_on', key: 'effective_on' },
      { label: 'members.history_kind', render: (e) => t(`enum.${e.kind}`) },
      { label: 'members.history_org', render: orgMove },
      { label: 'members.history_status', render: statusMove },
      { label: 'members.history_fields', render: (e) => (e.changed_fields ?? []).join('、') },
      { label: 'members.history_reason', key: 'reason' },
    ], entries, 'members.history_empty'));
}

// The member's detail, the forms that change the membership, and the
// history into `where`.
export async function showMember(where, member, ctx) {
  clear(where).append(detail(member),
    memberActions(ctx, member, (changed) => showMember(where, changed, ctx)));
  try {
    const r = await call(`${MEMBERSHIP}/GetMemberHistory`, { member_id: member.member_id });
    where.append(historyView(r.entries));
  } catch (error) {
    where.append(errorBox(error));
  }
}

export async function render(main, ctx) {
  const state = ctx.state.members ??= { by: 'national_id', key: '', orgId: '', paging: newPaging(), listed: false };
  main.append(h('h1', {}, t('members.title')));

  const by = h('select', { id: 'member-by' },
    h('option', { value: 'national_id', selected: state.by === 'national_id' }, t('members.by_national_id')),
    h('option', { value: 'card_number', selected: state.by === 'card_number' }, t('members.by_card')),
    h('option', { value: 'name', selected: state.by === 'name' }, t('members.by_name')));
  const key = h('input', { id: 'member-key', value: state.key, required: true, 'data-field': 'national_id', autocomplete: 'off' });
  const lookup = h('form', { class: 'filters', id: 'member-lookup' },
    h('label', {}, t('members.by'), by), h('label', {}, t('members.key'), key),
    h('button', { type: 'submit', class: 'primary' }, t('members.search')));
  const found = h('div', { id: 'member-found' });
  main.append(h('section', { class: 'card' }, lookup), found);
  by.addEventListener('change', () => key.setAttribute('data-field', by.value));

  // Names starting with the text, in the caller's organisation (all orgs
  // for an unscoped caller); more than a page asks for a longer prefix.
  async function findByName() {
    const scope = ctx.session.org_id && ctx.session.org_id !== '0' ? ctx.session.org_id : '0';
    const r = await call(`${MEMBERSHIP}/ListMembers`, { org_id: scope, name: state.key, page_size: PAGE_SIZE });
    showFieldErrors(lookup, []);
    const members = r.members ?? [];
    if (members.length === 1) {
      await showMember(found, members[0], ctx);
      return;
    }
    clear(found).append(h('section', { class: 'card', id: 'member-matches' },
      h('h2', {}, t('members.matches', { name: state.key })),
      memberTable(members),
      r.next_page_token ? h('p', { class: 'muted' }, t('members.more_matches')) : null));
  }
  key.setAttribute('data-field', state.by);
  lookup.addEventListener('submit', async (event) => {
    event.preventDefault();
    state.by = by.value;
    state.key = key.value.trim();
    clear(found).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      if (state.by === 'name') {
        await findByName();
      } else {
        const r = await call(`${MEMBERSHIP}/LookupMember`, { [state.by]: state.key });
        showFieldErrors(lookup, []);
        await showMember(found, r.member, ctx);
      }
    } catch (error) {
      const rest = showFieldErrors(lookup, error.fieldViolations);
      clear(found).append(errorBox(error, rest));
    }
  });

  // Members as a table; a name opens that member above.
  function memberTable(members) {
    return table([
      { label: 'members.name', render: (m) => h('a', { href: '#/members', class: 'member-link', 'data-member': m.member_id, onclick: (event) => {
        event.preventDefault();
        showMember(found, m, ctx);
        found.scrollIntoView();
      } }, m.name) },
      { label: 'members.national_id', key: 'national_id' },
      { label: 'members.card_number', key: 'card_number' },
      { label: 'members.org_id', key: 'org_id' },
      { label: 'members.status', render: status },
      { label: 'members.wage_base', num: true, render: (m) => money(m.wage_base_fen) },
    ], members, 'members.empty');
  }

  const org = h('input', { id: 'members-org', inputmode: 'numeric', pattern: '[0-9]+', list: 'members-orgs', value: state.orgId, required: true, 'data-field': 'org_id', autocomplete: 'off' });
  const list = h('form', { class: 'filters', id: 'members-list' },
    h('label', {}, t('collection.org_id'), org, orgDatalist(ctx, 'members-orgs')),
    h('button', { type: 'submit', class: 'secondary' }, t('members.list')));
  const rows = h('div', { id: 'members-rows' });
  main.append(h('section', { class: 'card' }, h('h2', {}, t('members.list_title')), list, rows));

  async function showList() {
    clear(rows).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const r = await call(`${MEMBERSHIP}/ListMembers`, { org_id: state.orgId, page_size: PAGE_SIZE, page_token: state.paging.tokens[state.paging.page] });
      showFieldErrors(list, []);
      state.listed = true;
      clear(rows).append(memberTable(r.members), pager(state.paging, r.next_page_token, showList));
    } catch (error) {
      const rest = showFieldErrors(list, error.fieldViolations);
      clear(rows).append(errorBox(error, rest));
    }
  }
  list.addEventListener('submit', (event) => {
    event.preventDefault();
    state.orgId = org.value.trim();
    state.paging = newPaging();
    showList();
  });
  if (state.listed) await showList();
}
