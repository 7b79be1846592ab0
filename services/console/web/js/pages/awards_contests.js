// 评选 · 劳动和技能竞赛: competitions (CompetitionService) — the list, a new
// competition with its events and judges, and for one competition its
// entrants (registered by national ID or as a team), a judge's score, the
// leaderboard overall and per event (ties share a rank; provisional while
// OPEN), finishing it, and nominating its top entrants into the linked
// programme.
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors } from '../dom.js';
import { hundredths, points, rate } from '../format.js';
import { orgDatalist } from '../orgs.js';
import { CONTESTS, mutate, enumText, enumOptions, actionButton, field, scopeOrg } from './awards_common.js';

const KINDS = ['COMPETITION_KIND_LABOUR', 'COMPETITION_KIND_SKILLS', 'COMPETITION_KIND_SAFETY'];
const MEMBERSHIP = 'unionhub.membership.v1.MembershipService';

export async function render(main, ctx) {
  const state = ctx.state['award-contests'] ??= { competitionId: '' };
  main.append(h('h1', {}, t('awards.contests.title')));
  const list = h('div', { id: 'contests-list' });
  const detail = h('div', { id: 'contest-detail' });
  main.append(h('section', { class: 'card' }, h('h2', {}, t('awards.contests.list')), list), detail);

  async function showList() {
    try {
      const r = await call(`${CONTESTS}/ListCompetitions`, { organizer_org_id: scopeOrg(ctx), page_size: 100 });
      clear(list).append(table([
        { label: 'awards.contest_id', key: 'competition_id', num: true },
        { label: 'awards.contest_name', render: (c) => h('a', { href: '#/award-contests', class: 'contest-link', onclick: (event) => {
          event.preventDefault();
          state.competitionId = c.competition_id;
          showDetail();
        } }, c.name) },
        { label: 'awards.contest_kind', render: (c) => enumText(c.kind) },
        { label: 'awards.year', key: 'year', num: true },
        { label: 'awards.organizer', key: 'organizer_org_id' },
        { label: 'awards.entrants', key: 'entrant_count', num: true },
        { label: 'awards.status', render: (c) => enumText(c.status) },
      ], r.competitions, 'awards.contests.empty'));
    } catch (error) {
      clear(list).append(errorBox(error));
    }
  }

  async function showDetail() {
    if (!state.competitionId) return;
    clear(detail).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const [c, entrants, board] = await Promise.all([
        call(`${CONTESTS}/GetCompetition`, { competition_id: state.competitionId }).then((r) => r.competition),
        call(`${CONTESTS}/ListEntrants`, { competition_id: state.competitionId, page_size: 500 }).then((r) => r.entrants ?? []),
        call(`${CONTESTS}/GetLeaderboard`, { competition_id: state.competitionId }),
      ]);
      const reload = async () => { await showDetail(); await showList(); };
      clear(detail).append(h('section', { class: 'card', id: 'contest-summary' }, h('h2', {}, c.name),
        h('p', { class: 'muted' }, t('awards.contest_line', { kind: enumText(c.kind), year: c.year, status: enumText(c.status),
          max: points(c.max_points_centi || 10000) })),
        table([{ label: 'awards.event', key: 'name' }, { label: 'awards.weight', num: true, render: (e) => rate(e.weight_bp) }], c.events, 'awards.events_empty'),
        table([{ label: 'awards.judge_subject', key: 'subject' }, { label: 'awards.judge_name', key: 'name' }], c.judges, 'awards.judges_empty')),
      leaderboard(board), entrantsCard(ctx, c, entrants, reload), scoreCard(c, entrants, reload), finishCard(c, reload));
    } catch (error) {
      clear(detail).append(errorBox(error));
    }
  }

  main.append(createForm(ctx, async (c) => { state.competitionId = c.competition_id; await showList(); await showDetail(); }));
  await showList();
  await showDetail();
}

const BOARD = [
  { label: 'awards.rank', key: 'rank', num: true },
  { label: 'awards.nominee', key: 'name' },
  { label: 'awards.employer', render: (r) => r.employer_name || r.employer_org_id },
  { label: 'awards.points', num: true, render: (r) => points(r.points_centi) },
  { label: 'awards.scores_counted', key: 'scores_counted', num: true },
  { label: 'awards.scores_dropped', key: 'scores_dropped', num: true },
];

function leaderboard(board) {
  return h('section', { class: 'card', id: 'leaderboard' }, h('h2', {}, t('awards.leaderboard')),
    h('p', { class: 'muted' }, t(board.status === 'COMPETITION_STATUS_FINISHED' ? 'awards.board_final' : 'awards.board_provisional')),
    h('h3', {}, t('awards.overall')), table(BOARD, board.overall, 'awards.board_empty'),
    (board.events ?? []).flatMap((e) => [h('h3', {}, e.event_name), table(BOARD, e.rows, 'awards.board_empty')]));
}

function entrantsCard(ctx, c, entrants, reload) {
  const nationalId = h('input', { id: 'entrant-national-id', 'data-field': 'national_id', autocomplete: 'off' });
  const team = h('input', { id: 'entrant-team', 'data-field': 'entrant.team_name', autocomplete: 'off' });
  const employer = h('input', { id: 'entrant-employer', inputmode: 'numeric', list: 'entrant-orgs', 'data-field': 'entrant.employer_org_id', autocomplete: 'off' });
  const errors = h('div');
  const form = h('form', { class: 'filters', id: 'entrant-form' }, field('members.national_id', nationalId), field('awards.team_name', team),
    field('awards.employer', employer), orgDatalist(ctx, 'entrant-orgs'),
    h('button', { type: 'submit', class: 'secondary', id: 'entrant-add' }, t('awards.register_entrant')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(errors);
    try {
      const entrant = { competition_id: c.competition_id };
      if (nationalId.value.trim()) {
        entrant.member_id = (await call(`${MEMBERSHIP}/LookupMember`, { national_id: nationalId.value.trim() })).member.member_id;
      }
      if (team.value.trim()) entrant.team_name = team.value.trim();
      if (employer.value.trim()) entrant.employer_org_id = employer.value.trim();
      await mutate(`${CONTESTS}/RegisterEntrant`, { entrant });
      await reload();
    } catch (error) {
      errors.append(errorBox(error, showFieldErrors(form, error.fieldViolations)));
    }
  });
  return h('section', { class: 'card', id: 'contest-entrants' }, h('h2', {}, t('awards.entrants')),
    table([{ label: 'awards.entrant_id', key: 'entrant_id', num: true }, { label: 'awards.nominee', key: 'name' },
      { label: 'awards.employer', render: (e) => e.employer_name || e.employer_org_id }], entrants, 'awards.entrants_empty'),
    c.status === 'COMPETITION_STATUS_OPEN' ? [form, errors] : null);
}

// A judge's score for one entrant and event (points with two decimals).
function scoreCard(c, entrants, reload) {
  if (c.status !== 'COMPETITION_STATUS_OPEN') return null;
  const entrant = h('select', { id: 'score-entrant', 'data-field': 'score.entrant_id' }, entrants.map((e) => h('option', { value: e.entrant_id }, e.name)));
  const event = h('select', { id: 'score-event', 'data-field': 'score.event_id' }, (c.events ?? []).map((e) => h('option', { value: e.event_id }, e.name)));
  const value = h('input', { id: 'score-points', 'data-field': 'score.points_centi', autocomplete: 'off' });
  const errors = h('div');
  const form = h('form', { class: 'filters', id: 'score-form' }, field('awards.entrant', entrant), field('awards.event', event), field('awards.points', value),
    h('button', { type: 'submit', class: 'secondary', id: 'score-submit' }, t('awards.submit_score')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(errors);
    const centi = hundredths(value.value);
    if (centi === null) {
      showFieldErrors(form, [{ field: 'score.points_centi', description: t('awards.bad_points') }]);
      return;
    }
    try {
      await mutate(`${CONTESTS}/SubmitScore`, { score: { competition_id: c.competition_id, entrant_id: entrant.value, event_id: event.value, points_centi: centi } });
      await reload();
    } catch (error) {
      errors.append(errorBox(error, showFieldErrors(form, error.fieldViolations)));
    }
  });
  return h('section', { class: 'card', id: 'contest-score' }, h('h2', {}, t('awards.score')), h('p', { class: 'muted' }, t('awards.score_note')), form, errors);
}

function finishCard(c, reload) {
  const status = h('div', {});
  const topN = h('input', { id: 'contest-top-n', type: 'number', min: 1, value: 3, 'data-field': 'top_n' });
  const citation = h('input', { id: 'contest-citation', autocomplete: 'off', 'data-field': 'citation' });
  const done = h('div', { id: 'contest-nominated' });
  return h('section', { class: 'card', id: 'contest-finish' }, h('h2', {}, t('awards.contest_steps')),
    h('div', { class: 'actions' },
      c.status === 'COMPETITION_STATUS_OPEN' ? actionButton({ id: 'contest-finish-button', class: 'primary' }, 'awards.finish', status,
        () => mutate(`${CONTESTS}/FinishCompetition`, { competition_id: c.competition_id }), reload) : null,
      c.status === 'COMPETITION_STATUS_FINISHED' && c.linked_program_id && c.linked_program_id !== '0'
        ? [field('awards.top_n', topN), field('awards.citation', citation),
          actionButton({ id: 'contest-nominate' }, 'awards.nominate_top', status,
            () => mutate(`${CONTESTS}/NominateFromCompetition`, { competition_id: c.competition_id, top_n: Number(topN.value) || 0, citation: citation.value.trim() }),
            (r) => { clear(done).append(h('p', {}, t('awards.nominated', { count: (r.nomination_ids ?? []).length, program: c.linked_program_id }))); })]
        : null),
    status, done);
}

function createForm(ctx, created) {
  const y = new Date().getFullYear();
  const input = (id, name, attrs = {}) => h('input', { id, 'data-field': name, autocomplete: 'off', ...attrs });
  const kind = h('select', { id: 'contest-kind', 'data-field': 'competition.kind' }, enumOptions(KINDS, 'COMPETITION_KIND_SKILLS'));
  const name = input('contest-name', 'competition.name');
  const organizer = input('contest-organizer', 'competition.organizer_org_id', { inputmode: 'numeric', list: 'contest-orgs',
    value: ctx.session.org_id && ctx.session.org_id !== '0' ? ctx.session.org_id : '' });
  const year = input('contest-year', 'competition.year', { type: 'number', value: y });
  const events = h('textarea', { id: 'contest-events', rows: 3, 'data-field': 'competition.events' });
  const judges = h('textarea', { id: 'contest-judges', rows: 3, 'data-field': 'competition.judges' });
  const linked = input('contest-program', 'competition.linked_program_id', { inputmode: 'numeric' });
  const max = input('contest-max', 'competition.max_points_centi', { value: '100' });
  const errors = h('div');
  const form = h('form', { class: 'stack wide', id: 'contest-form' },
    h('div', { class: 'filters' }, field('awards.contest_kind', kind), field('awards.contest_name', name), field('awards.organizer', organizer),
      orgDatalist(ctx, 'contest-orgs'), field('awards.year', year), field('awards.max_points', max), field('awards.linked_program', linked)),
    field('awards.events_lines', events), field('awards.judges_lines', judges),
    h('div', {}, h('button', { type: 'submit', class: 'primary', id: 'contest-create' }, t('awards.create'))), errors);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(errors);
    // One event per line, "name" or "name, weight %"; one judge per line,
    // "subject, name".
    const local = [];
    const eventList = events.value.split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
      const [n, w] = line.split(/[,，]/).map((x) => x.trim());
      const bp = w ? hundredths(w.replace(/%$/, '')) : '0';
      if (bp === null) local.push({ field: 'competition.events', description: t('awards.bad_percent') });
      return { name: n, weight_bp: Number(bp ?? 0) };
    });
    const judgeList = judges.value.split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
      const [subject, ...rest] = line.split(/[,，]/).map((x) => x.trim());
      return { subject, name: rest.join(' ') || subject };
    });
    const maxCenti = hundredths(max.value);
    if (maxCenti === null) local.push({ field: 'competition.max_points_centi', description: t('awards.bad_points') });
    if (local.length) {
      showFieldErrors(form, local);
      return;
    }
    try {
      const r = await mutate(`${CONTESTS}/CreateCompetition`, { competition: {
        kind: kind.value, name: name.value.trim(), organizer_org_id: organizer.value.trim() || '0', year: Number(year.value) || 0,
        events: eventList, judges: judgeList, linked_program_id: linked.value.trim() || '0', max_points_centi: maxCenti } });
      showFieldErrors(form, []);
      await created(r.competition);
    } catch (error) {
      errors.append(errorBox(error, showFieldErrors(form, error.fieldViolations)));
    }
  });
  return h('section', { class: 'card' }, h('h2', {}, t('awards.contests.create')), form);
}
