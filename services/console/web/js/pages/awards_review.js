// 评选 · 评审投票: a reviewer's queue — the nominations under review in a
// programme that the service lets the caller see (its gate and scope
// decide; the page shows what it gets) — with the evidence, the tally and
// the vote (approve, reject, abstain, or a comment only). A nomination the
// reviewer must sit out (their organisation is in the nominee's chain) is
// marked 需回避 when the service refuses the vote for that reason.
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, table, errorBox, showFieldErrors } from '../dom.js';
import { AWARDS, mutate, programDatalist, evidenceView, tallyText, field } from './awards_common.js';

const CHOICES = ['VOTE_CHOICE_APPROVE', 'VOTE_CHOICE_REJECT', 'VOTE_CHOICE_ABSTAIN'];

export async function render(main, ctx) {
  const state = ctx.state['award-review'] ??= { programId: '', voted: {}, recused: {} };
  main.append(h('h1', {}, t('awards.review.title')));
  const program = h('input', { id: 'review-program', inputmode: 'numeric', list: 'review-programs', value: state.programId, 'data-field': 'program_id', autocomplete: 'off' });
  const pick = h('form', { class: 'filters', id: 'review-pick' }, field('awards.program_id', program), programDatalist(ctx, 'review-programs'),
    h('button', { type: 'submit', class: 'primary' }, t('awards.show')));
  const queue = h('div', { id: 'review-queue' });
  main.append(h('section', { class: 'card' }, h('p', { class: 'muted' }, t('awards.review.note')), pick), queue);
  pick.addEventListener('submit', (event) => {
    event.preventDefault();
    state.programId = program.value.trim();
    show();
  });

  async function show() {
    if (!state.programId) {
      clear(queue).append(h('p', { class: 'empty' }, t('awards.program.pick')));
      return;
    }
    clear(queue).append(h('p', { class: 'muted' }, t('common.loading')));
    let r;
    try {
      r = await call(`${AWARDS}/ListNominations`, { program_id: state.programId, status: 'NOMINATION_STATUS_UNDER_REVIEW', page_size: 200 });
      showFieldErrors(pick, []);
    } catch (error) {
      clear(queue).append(errorBox(error, showFieldErrors(pick, error.fieldViolations)));
      return;
    }
    const items = r.nominations ?? [];
    clear(queue);
    if (items.length === 0) queue.append(h('section', { class: 'card' }, h('p', { class: 'empty' }, t('awards.review.empty'))));
    for (const n of items) queue.append(card(n));
  }

  function card(n) {
    const id = n.nomination_id;
    const status = h('div', { class: 'vote-status' });
    const tally = h('p', { class: 'muted tally' }, tallyText(n));
    const mine = h('p', { class: 'my-vote' }, state.voted[id] ? t('awards.review.voted', { choice: t(`enum.${state.voted[id]}`) }) : '');
    const recusal = h('p', { class: 'recusal' }, state.recused[id] ? t('awards.review.recused') : '');
    const comment = h('textarea', { rows: 2, class: 'vote-comment', 'data-field': 'comment' });
    const form = h('form', { class: 'filters vote-form' }, field('awards.review.comment', comment));
    const vote = async (choice, b) => {
      b.disabled = true;
      clear(status);
      try {
        const res = await mutate(`${AWARDS}/CastVote`, { nomination_id: id, choice, comment: comment.value.trim() });
        if (choice !== 'VOTE_CHOICE_COMMENT') state.voted[id] = choice;
        tally.textContent = tallyText(res.nomination);
        mine.textContent = state.voted[id] ? t('awards.review.voted', { choice: t(`enum.${state.voted[id]}`) }) : '';
        comment.value = '';
        showFieldErrors(form, []);
      } catch (error) {
        if ((error.preconditionViolations ?? []).some((v) => v.type === 'recusal')) {
          state.recused[id] = true;
          recusal.textContent = t('awards.review.recused');
          section.setAttribute('data-recused', 'true');
          form.querySelectorAll('button').forEach((x) => { x.disabled = true; });
        }
        status.append(errorBox(error, showFieldErrors(form, error.fieldViolations)));
      } finally {
        if (!state.recused[id]) b.disabled = false;
      }
    };
    for (const choice of [...CHOICES, 'VOTE_CHOICE_COMMENT']) {
      const b = h('button', { type: 'button', class: choice === 'VOTE_CHOICE_APPROVE' ? 'primary' : 'secondary', 'data-vote': choice,
        disabled: Boolean(state.recused[id]) }, t(`awards.vote.${choice}`));
      b.addEventListener('click', () => vote(choice, b));
      form.append(b);
    }
    const section = h('section', { class: 'card nomination', 'data-nomination': id, 'data-recused': state.recused[id] ? 'true' : null },
      h('h2', {}, n.subject_name),
      h('p', { class: 'muted' }, t('awards.review.from', { org: n.nominating_org_id, national_id: n.national_id })),
      table([{ label: 'awards.citation', key: 'citation' }], [n], 'awards.nominations_empty'),
      evidenceView(n), tally, mine, recusal, form, status);
    return section;
  }
  await show();
}
