// 会员: the organisation tree under the caller's scope with 入会率 (members
// over workers of covered employers) and 建会率 (employers with an
// established union over employers) per node
// (MembershipService.GetCoverage, as of a chosen day). A node opens to
// its children's figures, one GetCoverage call per opened node; which
// nodes have children comes from ListOrgs (orgs.js).
import { t } from '../i18n.js';
import { call } from '../api.js';
import { h, clear, errorBox, showFieldErrors, dateInput } from '../dom.js';
import { rate } from '../format.js';
import { orgChoices } from '../orgs.js';

const MEMBERSHIP = 'unionhub.membership.v1.MembershipService';

export async function render(main, ctx) {
  const state = ctx.state.orgTree ??= { asOf: '', open: new Set() };
  main.append(h('h1', {}, t('tree.title')));
  const asOf = dateInput({ id: 'tree-as-of', value: state.asOf, 'data-field': 'as_of' });
  const form = h('form', { class: 'filters', id: 'tree-form' },
    h('label', {}, t('tree.as_of'), asOf),
    h('button', { type: 'submit', class: 'primary', id: 'tree-query' }, t('collection.query')));
  const out = h('div', { id: 'org-tree' }, h('p', { class: 'muted' }, t('common.loading')));
  main.append(h('section', { class: 'card' }, h('p', { class: 'muted' }, t('tree.note')), form), out);

  const orgs = await orgChoices(ctx);
  const childrenOf = new Map();
  for (const o of orgs) {
    const list = childrenOf.get(o.parent_id) ?? [];
    list.push(o);
    childrenOf.set(o.parent_id, list);
  }
  const typeOf = new Map(orgs.map((o) => [o.org_id, o.type]));
  const scope = ctx.session.org_id && ctx.session.org_id !== '0' ? ctx.session.org_id : null;
  // The roots shown: the caller's own org, or the top of every tree.
  const roots = scope ? [scope] : orgs.filter((o) => o.parent_id === '0').map((o) => o.org_id);

  const table = h('table', { class: 'tree' },
    h('thead', {}, h('tr', {},
      h('th', {}, t('tree.org')), h('th', {}, t('tree.type')),
      h('th', { class: 'num' }, t('tree.members')), h('th', { class: 'num' }, t('tree.workers')),
      h('th', { class: 'num' }, t('tree.membership_rate')),
      h('th', { class: 'num' }, t('tree.employers_with_union')), h('th', { class: 'num' }, t('tree.employers')),
      h('th', { class: 'num' }, t('tree.unionisation_rate')))));
  const body = h('tbody', {});
  table.append(body);

  // One row of figures at `depth`; its toggle opens the children below it.
  function row(f, depth) {
    const hasChildren = (childrenOf.get(f.org_id) ?? []).length > 0;
    const toggle = hasChildren
      ? h('button', { type: 'button', class: 'toggle', 'aria-expanded': 'false', 'aria-label': t('tree.open') }, '▸')
      : h('span', { class: 'toggle leaf' }, '·');
    const tr = h('tr', { 'data-org': f.org_id, 'data-depth': depth },
      h('td', { class: `indent-${Math.min(depth, 8)}` }, toggle, ' ', f.org_name || f.org_id),
      h('td', {}, typeOf.has(f.org_id) ? t(`enum.${typeOf.get(f.org_id)}`) : ''),
      h('td', { class: 'num' }, String(f.members ?? 0)),
      h('td', { class: 'num' }, String(f.workers ?? 0)),
      h('td', { class: 'num rate-membership' }, rate(f.membership_rate_bp)),
      h('td', { class: 'num' }, String(f.employers_with_union ?? 0)),
      h('td', { class: 'num' }, String(f.employers ?? 0)),
      h('td', { class: 'num rate-unionisation' }, rate(f.unionisation_rate_bp)));
    if (hasChildren) {
      toggle.addEventListener('click', async () => {
        if (state.open.has(f.org_id)) {
          state.open.delete(f.org_id);
          closeBelow(tr);
          toggle.textContent = '▸';
          toggle.setAttribute('aria-expanded', 'false');
        } else {
          state.open.add(f.org_id);
          toggle.textContent = '▾';
          toggle.setAttribute('aria-expanded', 'true');
          await openBelow(tr, f.org_id, depth + 1);
        }
      });
    }
    return tr;
  }

  function closeBelow(tr) {
    const depth = Number(tr.dataset.depth);
    while (tr.nextElementSibling && Number(tr.nextElementSibling.dataset.depth) > depth) {
      state.open.delete(tr.nextElementSibling.dataset.org);
      tr.nextElementSibling.remove();
    }
  }

  async function coverage(orgId) {
    return call(`${MEMBERSHIP}/GetCoverage`, { org_id: orgId, as_of: state.asOf });
  }

  // The children's rows after `tr` (and theirs, for nodes left open).
  async function openBelow(tr, orgId, depth) {
    const r = await coverage(orgId);
    let after = tr;
    for (const child of r.children ?? []) {
      const childRow = row(child, depth);
      after.after(childRow);
      after = childRow;
      if (state.open.has(child.org_id)) {
        const button = childRow.querySelector('button.toggle');
        if (button) { button.textContent = '▾'; button.setAttribute('aria-expanded', 'true'); }
        await openBelow(childRow, child.org_id, depth + 1);
        while (after.nextElementSibling && Number(after.nextElementSibling.dataset.depth) > depth) after = after.nextElementSibling;
      }
    }
  }

  async function show() {
    clear(out).append(h('p', { class: 'muted' }, t('common.loading')));
    clear(body);
    try {
      if (roots.length === 0) {
        clear(out).append(h('p', { class: 'empty' }, t('tree.empty')));
        return;
      }
      let asOfShown = '';
      for (const root of roots) {
        // The caller's own org is not in its subtree's list: its type
        // from GetOrg.
        if (!typeOf.has(root)) {
          const { org } = await call(`${MEMBERSHIP}/GetOrg`, { org_id: root });
          typeOf.set(root, org.type);
        }
        const r = await coverage(root);
        asOfShown = r.as_of;
        const tr = row(r.total, 0);
        body.append(tr);
        if (state.open.has(root)) {
          const button = tr.querySelector('button.toggle');
          if (button) { button.textContent = '▾'; button.setAttribute('aria-expanded', 'true'); }
          await openBelow(tr, root, 1);
        }
      }
      showFieldErrors(form, []);
      clear(out).append(h('p', { class: 'muted', id: 'tree-as-of-shown' }, t('tree.as_of_shown', { day: asOfShown })), table);
    } catch (error) {
      const rest = showFieldErrors(form, error.fieldViolations);
      clear(out).append(errorBox(error, rest));
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.asOf = asOf.value;
    show();
  });
  await show();
}
