// Suggestions for the organisation fields: the caller's subtree from
// MembershipService.ListOrgs (up to 1,000, loaded once per session), as a
// <datalist> of id -> name. Typing an id still works when the list could
// not be read.
import { call } from './api.js';
import { h } from './dom.js';

const LIST_ORGS = 'unionhub.membership.v1.MembershipService/ListOrgs';

export async function orgChoices(ctx) {
  if (ctx.state.orgs) return ctx.state.orgs;
  const scope = ctx.session.org_id && ctx.session.org_id !== '0' ? ctx.session.org_id : '0';
  try {
    const r = await call(LIST_ORGS, { parent_id: scope, recursive: true, page_size: 1000 });
    ctx.state.orgs = r.orgs ?? [];
  } catch {
    ctx.state.orgs = [];
  }
  return ctx.state.orgs;
}

// A datalist with the id `id`, filled when the list arrives.
export function orgDatalist(ctx, id) {
  const list = h('datalist', { id });
  orgChoices(ctx).then((orgs) => {
    for (const org of orgs) list.append(h('option', { value: org.org_id }, org.name));
  });
  return list;
}
