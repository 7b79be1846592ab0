// What the 评选 pages share: the services' names, a programme field that
// suggests the programmes the caller may see, buttons that run a call and
// show its refusal, enum and rule labels, and the eligibility evidence.
import { t } from '../i18n.js';
import { call, requestId } from '../api.js';
import { h, clear, errorBox, table } from '../dom.js';
import { money, rate } from '../format.js';
import { evidenceFigure } from './awards_figures.js';

export const AWARDS = 'unionhub.awards.v1.AwardsService';
export const CONTESTS = 'unionhub.awards.v1.CompetitionService';

// A mutating call with a fresh request_id.
export function mutate(method, body) {
  return call(method, { request_id: requestId(), ...body });
}

export function enumText(value) {
  return value ? t(`enum.${value}`) : '';
}

// <option>s for an enum's values (without UNSPECIFIED unless `blank`).
export function enumOptions(values, selected, blank) {
  return [blank ? h('option', { value: '' }, t(blank)) : null,
    ...values.map((v) => h('option', { value: v, selected: v === selected }, t(`enum.${v}`)))];
}

// The caller's org scope for List calls whose organiser filter the gate
// checks: the session's org, or 0 (everywhere) for an unscoped caller.
export function scopeOrg(ctx) {
  return ctx.session.org_id && ctx.session.org_id !== '0' ? ctx.session.org_id : '0';
}

// The programmes the caller may see (ListPrograms in its scope), as a
// datalist of id -> title; typing an id still works when none are listed.
export function programDatalist(ctx, id) {
  const list = h('datalist', { id });
  call(`${AWARDS}/ListPrograms`, { organizer_org_id: scopeOrg(ctx), page_size: 200 }).then((r) => {
    for (const p of r.programs ?? []) list.append(h('option', { value: p.program_id }, `${p.title}（${p.year}）`));
  }).catch(() => {});
  return list;
}

// A button that runs `action` (async), showing "loading" and then its
// refusal in `status` (an element); `done` gets the result.
export function actionButton(attrs, label, status, action, done) {
  const b = h('button', { type: 'button', class: 'secondary', ...attrs }, t(label));
  b.addEventListener('click', async () => {
    b.disabled = true;
    clear(status).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const result = await action();
      clear(status);
      if (done) await done(result);
    } catch (error) {
      clear(status).append(errorBox(error));
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

// "女职工 不少于 20.00%" / "women at least 2" for a composition rule.
export function ruleLabel(rule) {
  const category = enumText(rule.category);
  const level = rule.category === 'COMPOSITION_CATEGORY_MODEL_WORKER' && rule.model_worker_level
    && rule.model_worker_level !== 'MODEL_WORKER_LEVEL_UNSPECIFIED'
    ? t('awards.rule.level', { level: enumText(rule.model_worker_level) }) : '';
  const share = /SHARE$/.test(rule.bound ?? '');
  const value = share ? rate(rule.share_bp) : t('awards.rule.count', { count: rule.count });
  return t(`awards.rule.${rule.bound}`, { category: `${category}${level}`, value });
}

// The name of a broken rule from finalisation's precondition details:
// a composition rule by its label (from the programme), the others by kind.
export function brokenRuleName(v, program) {
  const m = /^composition_rules\[(\d+)\]$/.exec(v.subject ?? '');
  if (m && program?.composition_rules?.[Number(m[1])]) return ruleLabel(program.composition_rules[Number(m[1])]);
  if (v.type === 'quota') return t('awards.broken.quota', { quota: program?.total_quota ?? v.required });
  if (v.type === 'publicity') return t('awards.broken.publicity', { ends: program?.publicity_ends_on ?? '' });
  const key = `awards.broken.${v.type}`;
  return t(key) === key ? v.subject : t(key);
}

// The table of every broken rule a FAILED_PRECONDITION named, with the
// figures; null when the refusal carried none.
export function brokenRules(error, program) {
  const rows = error.preconditionViolations ?? [];
  if (rows.length === 0) return null;
  const figured = (v) => v.type === 'composition' || v.type === 'quota' || v.type === 'objections' || v.type === 'nominations';
  return h('section', { class: 'card', id: 'broken-rules' }, h('h2', {}, t('awards.broken.title')),
    table([
      // The service's English description on hover.
      { label: 'awards.broken.rule', render: (v) => h('span', { class: 'rule-name', title: v.description || null }, brokenRuleName(v, program)) },
      { label: 'awards.broken.actual', num: true, render: (v) => (figured(v) ? String(v.actual) : '—') },
      { label: 'awards.broken.required', num: true, render: (v) => (figured(v) ? String(v.required) : '—') },
    ], rows, 'awards.broken.none'));
}

// A nomination's eligibility evidence: each rule checked, what was found
// and what was required, and the figures membership and finance gave.
export function evidenceView(n) {
  const e = n.evidence ?? {};
  if (!e.checked_on) return h('p', { class: 'empty' }, t('awards.evidence.none'));
  return h('div', { class: 'evidence' },
    h('p', { class: 'muted' }, t('awards.evidence.checked', { day: e.checked_on }),
      ' · ', t(e.eligible ? 'awards.evidence.eligible' : 'awards.evidence.ineligible')),
    table([
      { label: 'awards.evidence.rule', render: (c) => ruleName(c.rule) },
      { label: 'awards.evidence.passed', render: (c) => t(c.passed ? 'awards.evidence.pass' : 'awards.evidence.fail') },
      { label: 'awards.evidence.actual', render: (c) => enumOrText(c.actual) },
      { label: 'awards.evidence.required', render: (c) => enumOrText(c.required) },
    ], e.checks, 'awards.evidence.none'),
    e.dues_as_of_month ? h('p', { class: 'muted' }, t('awards.evidence.dues',
      { month: e.dues_as_of_month, months: e.months_in_arrears, owed: money(e.outstanding_fen) })) : null,
    // Each failed rule's reason with its figures, by its code in the
    // page's language (evidence stored before awards gave codes: the
    // English sentences, when there is no table of checks to say them).
    (e.reason_codes ?? []).length
      ? h('ul', { class: 'reasons' }, e.reason_codes.map((r, i) => h('li', {}, reasonText(r, e.reasons?.[i]))))
      : (e.reasons ?? []).length && !(e.checks ?? []).length
        ? h('ul', { class: 'reasons' }, e.reasons.map((r) => h('li', {}, r))) : null);
}

function ruleName(rule) {
  const key = `awards.check.${rule}`;
  return t(key) === key ? rule : t(key);
}

// A status or eligibility reason (awards' Reason: a stable code with its
// figures) in the page's language, from text/awards.js
// ('awards.reason.<CODE>'); `english` (the service's own text) for a code
// the console does not know or a nomination stored without one.
export function reasonText(reason, english) {
  const key = `awards.reason.${reason?.code}`;
  if (!reason?.code || t(key) === key) return english ?? '';
  const p = reason.params ?? {};
  return t(key, {
    ...p,
    status: enumText(p.status),
    rules: (p.rules ?? '').split(',').filter(Boolean).map(ruleName).join(t('awards.reason.list_separator')),
    outstanding: money(p.outstanding_fen),
    note: p.note ? t('awards.reason.note', { note: p.note }) : '',
  });
}

// An enum name the services put in a text field (MEMBER_STATUS_ACTIVE) in
// the page's language when there is a label for it; a check's figure
// ("45 months") in the page's language; other text as sent.
function enumOrText(value) {
  if (!/^[A-Z][A-Z0-9_]+$/.test(value ?? '')) return evidenceFigure(value);
  const key = `enum.${value}`;
  return t(key) === key ? value : t(key);
}

export function tallyText(n) {
  const y = n.tally ?? {};
  return t('awards.tally', { approve: y.approve ?? 0, reject: y.reject ?? 0, abstain: y.abstain ?? 0, comments: y.comments ?? 0 });
}

// A labelled input for forms (data-field names the request field so the
// service's field violations appear next to it).
export function field(label, input) {
  return h('label', {}, t(label), input);
}

// Shows `n`'s evidence in `where` under its name.
export function showEvidence(where, n) {
  clear(where).append(h('h3', {}, t('awards.evidence_of', { name: n.subject_name })), evidenceView(n));
}

// The columns every nominations table starts with; the name shows the
// nomination's evidence in `evidence` (on the page `page`).
export function nominationColumns(page, evidence) {
  return [
    { label: 'awards.nomination_id', key: 'nomination_id', num: true },
    { label: 'awards.nominee', render: (n) => h('a', { href: `#/${page}`, class: 'nominee-link', onclick: (event) => {
      event.preventDefault();
      showEvidence(evidence, n);
    } }, n.subject_name) },
    { label: 'members.national_id', key: 'national_id' },
    { label: 'awards.nominating_org', key: 'nominating_org_id' },
    { label: 'awards.status', render: (n) => h('span', { class: 'status', 'data-status': n.status }, enumText(n.status)) },
    { label: 'awards.status_reason', render: (n) => h('span', { class: 'status-reason', 'data-reason': n.status_reason_code?.code ?? null, title: n.status_reason || null },
      reasonText(n.status_reason_code, n.status_reason)) },
  ];
}
