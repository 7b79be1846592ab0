// 会员: the forms that change a membership, shared by the pages: the
// member's details as inputs (join), transfer to another org
// (TransferMember) and a status change (ChangeMemberStatus). Each input's
// data-field is the request's field path, so the services' field
// violations land next to the input they name (dom.js showFieldErrors).
import { t } from '../i18n.js';
import { call, requestId } from '../api.js';
import { h, clear, errorBox, showFieldErrors, dateInput } from '../dom.js';
import { localDay } from '../format.js';
import { orgDatalist } from '../orgs.js';

const MEMBERSHIP = 'unionhub.membership.v1.MembershipService';
export const STATUSES = ['MEMBER_STATUS_ACTIVE', 'MEMBER_STATUS_RETAINED', 'MEMBER_STATUS_LAPSED', 'MEMBER_STATUS_LEFT', 'MEMBER_STATUS_EXPELLED', 'MEMBER_STATUS_DECEASED'];
const RETAINED = ['RETAINED_REASON_RETIRED', 'RETAINED_REASON_UNEMPLOYED', 'RETAINED_REASON_LAID_OFF'];

// <label>text input</label>; `attrs` go to the input.
export function field(label, attrs) {
  return h('label', {}, t(label), h('input', { autocomplete: 'off', ...attrs }));
}

// <label>text day input</label> (YYYY-MM-DD, dom.js dateInput).
export function dateField(label, attrs) {
  return h('label', {}, t(label), dateInput(attrs));
}

export function select(label, attrs, values, keyOf = (v) => `enum.${v}`) {
  return h('label', {}, t(label), h('select', attrs, values.map((v) => h('option', { value: v }, v ? t(keyOf(v)) : '—'))));
}

// Submits `form` as `method` with the request `build()` makes, showing
// field errors next to their inputs and the rest in `status`; `done(r)`
// gets the response. The request id is kept until the call succeeds, so a
// retry after a lost answer is the same request.
export function submitting(form, status, method, build, done) {
  let id = requestId();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    clear(status).append(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const r = await call(`${MEMBERSHIP}/${method}`, { request_id: id, ...build() });
      id = requestId();
      showFieldErrors(form, []);
      clear(status).append(h('p', { class: 'ok', role: 'status' }, t('forms.saved')));
      await done(r);
    } catch (error) {
      const rest = showFieldErrors(form, error.fieldViolations);
      clear(status).append(errorBox(error, rest));
    } finally {
      button.disabled = false;
    }
  });
}

// Transfer and status-change forms for `member`; `changed(member)` after
// either succeeded.
export function memberActions(ctx, member, changed) {
  const today = localDay();
  const transferStatus = h('div', {});
  const transfer = h('form', { class: 'stack', id: 'transfer-form' },
    h('h3', {}, t('forms.transfer')),
    field('forms.to_org', { id: 'transfer-org', 'data-field': 'to_org_id', inputmode: 'numeric', list: 'transfer-orgs', required: true }),
    orgDatalist(ctx, 'transfer-orgs'),
    dateField('forms.effective_on', { id: 'transfer-on', 'data-field': 'effective_on', value: today }),
    field('forms.reason', { id: 'transfer-reason', 'data-field': 'reason' }),
    h('button', { type: 'submit', class: 'primary' }, t('forms.transfer_submit')),
    transferStatus);
  submitting(transfer, transferStatus, 'TransferMember', () => ({
    member_id: member.member_id,
    to_org_id: transfer.querySelector('#transfer-org').value.trim() || '0',
    effective_on: transfer.querySelector('#transfer-on').value,
    reason: transfer.querySelector('#transfer-reason').value,
  }), (r) => changed(r.member));

  const statusStatus = h('div', {});
  const statusForm = h('form', { class: 'stack', id: 'status-form' },
    h('h3', {}, t('forms.status_change')),
    select('forms.new_status', { id: 'status-to', 'data-field': 'status' }, ['', ...STATUSES]),
    select('forms.retained_reason', { id: 'status-retained', 'data-field': 'retained_reason' }, ['', ...RETAINED]),
    dateField('forms.effective_on', { id: 'status-on', 'data-field': 'effective_on', value: today }),
    field('forms.reason', { id: 'status-reason', 'data-field': 'reason' }),
    h('button', { type: 'submit', class: 'primary' }, t('forms.status_submit')),
    statusStatus);
  submitting(statusForm, statusStatus, 'ChangeMemberStatus', () => ({
    member_id: member.member_id,
    status: statusForm.querySelector('#status-to').value || 'MEMBER_STATUS_UNSPECIFIED',
    retained_reason: statusForm.querySelector('#status-retained').value || 'RETAINED_REASON_UNSPECIFIED',
    effective_on: statusForm.querySelector('#status-on').value,
    reason: statusForm.querySelector('#status-reason').value,
  }), (r) => changed(r.member));

  return h('section', { class: 'card', id: 'member-actions' }, h('div', { class: 'columns' }, transfer, statusForm));
}
