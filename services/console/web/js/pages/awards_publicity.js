// The programme page's later sections: the 公示 notice as posted (IDs
// always masked) with its PDF, objections (filed against a nomination in
// publicity, upheld or dismissed by the committee), and the honours the
// finalisation recorded, with revocation.
import { t } from '../i18n.js';
import { call, download } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors } from '../dom.js';
import { AWARDS, mutate, enumText, actionButton, field } from './awards_common.js';

const PUBLIC = ['PROGRAM_STATUS_IN_PUBLICITY', 'PROGRAM_STATUS_FINALIZED'];

export async function publicitySection(p, reload) {
  const section = h('section', { class: 'card', id: 'program-publicity' }, h('h2', {}, t('awards.notice')));
  if (!PUBLIC.includes(p.status)) {
    section.append(h('p', { class: 'empty' }, t('awards.notice_none')));
    return section;
  }
  let notice;
  try {
    notice = await call(`${AWARDS}/GetPublicityNotice`, { program_id: p.program_id });
  } catch (error) {
    section.append(errorBox(error));
    return section;
  }
  const status = h('div', {});
  section.append(
    h('p', { id: 'notice-heading' }, t('awards.notice_heading', { organizer: notice.organizer, year: notice.year, title: notice.title })),
    h('p', { class: 'muted', id: 'notice-dates' }, t('awards.notice_dates', { starts: notice.starts_on, ends: notice.ends_on })),
    table([
      { label: 'awards.nominee', key: 'name' },
      { label: 'awards.organization', key: 'organization' },
      { label: 'members.national_id', key: 'national_id' },
      { label: 'awards.citation', key: 'citation' },
    ], notice.entries, 'awards.notice_empty'),
    h('div', { class: 'actions' }, actionButton({ id: 'notice-pdf' }, 'awards.notice_pdf', status,
      () => download('publicity-notice.pdf', { program_id: p.program_id }))),
    status,
    await objections(p, notice, reload));
  return section;
}

async function objections(p, notice, reload) {
  const section = h('div', { id: 'objections' }, h('h3', {}, t('awards.objections')));
  // Intake: while the programme is in publicity, against a nomination on the notice.
  if (p.status === 'PROGRAM_STATUS_IN_PUBLICITY' && (notice.entries ?? []).length) {
    const which = h('select', { id: 'objection-nomination', 'data-field': 'nomination_id' },
      notice.entries.map((e) => h('option', { value: e.nomination_id }, `${e.name}（${e.organization}）`)));
    const grounds = h('textarea', { id: 'objection-grounds', rows: 2, 'data-field': 'grounds' });
    const form = h('form', { class: 'filters', id: 'objection-form' }, field('awards.objection_nominee', which),
      field('awards.grounds', grounds), h('button', { type: 'submit', class: 'secondary', id: 'objection-file' }, t('awards.file_objection')));
    const errors = h('div');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clear(errors);
      try {
        await mutate(`${AWARDS}/FileObjection`, { nomination_id: which.value, grounds: grounds.value.trim() });
        await reload();
      } catch (error) {
        errors.append(errorBox(error, showFieldErrors(form, error.fieldViolations)));
      }
    });
    section.append(form, errors);
  }
  const names = new Map((notice.entries ?? []).map((e) => [e.nomination_id, e.name]));
  const status = h('div', { id: 'objection-status' });
  try {
    const r = await call(`${AWARDS}/ListObjections`, { program_id: p.program_id });
    // A nomination withdrawn by an upheld objection is off the notice:
    // its name from the programme's nominations.
    if ((r.objections ?? []).some((o) => !names.has(o.nomination_id))) {
      const all = await call(`${AWARDS}/ListNominations`, { program_id: p.program_id, page_size: 1000 });
      for (const n of all.nominations ?? []) if (!names.has(n.nomination_id)) names.set(n.nomination_id, n.subject_name);
    }
    section.append(table([
      { label: 'awards.objection_id', key: 'objection_id', num: true },
      { label: 'awards.nominee', render: (o) => names.get(o.nomination_id) ?? o.nomination_id },
      { label: 'awards.grounds', key: 'grounds' },
      { label: 'awards.filed_by', key: 'filed_by' },
      { label: 'awards.status', render: (o) => h('span', { 'data-status': o.status }, enumText(o.status)) },
      { label: 'awards.resolution', render: (o) => (o.status === 'OBJECTION_STATUS_OPEN' ? resolveForm(o, status, reload) : o.resolution) },
    ], r.objections, 'awards.objections_empty'), status);
  } catch (error) {
    section.append(errorBox(error));
  }
  return section;
}

// Uphold (withdraws the nomination) or dismiss, with the resolution text.
function resolveForm(o, status, reload) {
  const text = h('input', { class: 'resolution', 'data-objection': o.objection_id, autocomplete: 'off' });
  const resolve = (outcome, label) => actionButton({ 'data-resolve': outcome, 'data-objection': o.objection_id }, label, status,
    () => mutate(`${AWARDS}/ResolveObjection`, { objection_id: o.objection_id, outcome, resolution: text.value.trim() }), reload);
  return h('div', { class: 'actions' }, text,
    resolve('OBJECTION_STATUS_UPHELD', 'awards.uphold'), resolve('OBJECTION_STATUS_DISMISSED', 'awards.dismiss'));
}

export async function honoursSection(p) {
  const section = h('section', { class: 'card', id: 'program-honours' }, h('h2', {}, t('awards.honours')));
  const status = h('div', { id: 'honour-status' });
  const rows = h('div', {});
  section.append(rows, status);
  async function show() {
    try {
      const honours = await programHonours(p);
      clear(rows).append(table([
        { label: 'awards.honour_id', key: 'honour_id', num: true },
        { label: 'awards.nominee', key: 'subject_name' },
        { label: 'awards.title_field', key: 'title' },
        { label: 'awards.level', render: (x) => enumText(x.level) },
        { label: 'awards.awarded_on', key: 'awarded_on' },
        { label: 'awards.status', render: (x) => enumText(x.status) },
        { label: 'awards.revoked', render: (x) => (x.status === 'HONOUR_STATUS_REVOKED'
          ? `${x.revoked_on} ${x.revoked_reason}` : revokeForm(x, status, show)) },
      ], honours, 'awards.honours_empty'));
    } catch (error) {
      clear(rows).append(errorBox(error));
    }
  }
  await show();
  return section;
}

// The programme's honours, every page: a caller limited to a subtree
// gets those of its subtree (awards keeps the others out).
async function programHonours(p) {
  const honours = [];
  let token = '';
  do {
    const r = await call(`${AWARDS}/ListHonours`, { program_id: p.program_id, page_size: 200, page_token: token });
    honours.push(...(r.honours ?? []));
    token = r.next_page_token ?? '';
  } while (token);
  return honours;
}

function revokeForm(x, status, reload) {
  const reason = h('input', { class: 'revoke-reason', 'data-honour': x.honour_id, autocomplete: 'off', placeholder: t('awards.revoke_reason') });
  return h('div', { class: 'actions' }, reason, actionButton({ 'data-revoke': x.honour_id }, 'awards.revoke', status,
    () => mutate(`${AWARDS}/RevokeHonour`, { honour_id: x.honour_id, reason: reason.value.trim() }), reload));
}
