// Building the page from data: every piece of text goes in through
// textContent (never innerHTML), so names and messages from the services
// cannot become markup.
import { t } from './i18n.js';

// h('td', {class: 'num'}, 'text', child, ...)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === undefined || value === null) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A table: `columns` are [{key, label, num, render(row)}].
export function table(columns, rows, emptyKey) {
  if (!rows || rows.length === 0) return h('p', { class: 'empty' }, t(emptyKey));
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : null }, t(c.label))))),
    h('tbody', {}, rows.map((row) => h('tr', {},
      columns.map((c) => h('td', { class: c.num ? 'num' : null },
        c.render ? c.render(row) : row[c.key]))))));
}

// The error box for an ApiError: the code in the user's language, the
// service's own message, and each field violation (`violations`: those no
// input showed already).
export function errorBox(error, violations = error.fieldViolations) {
  const code = error.code ?? 'UNKNOWN';
  const known = t(`error.${code}`) !== `error.${code}`;
  return h('div', { class: 'error', role: 'alert', 'data-code': code },
    h('strong', {}, t('error.title'), '：', known ? t(`error.${code}`) : t('error.UNKNOWN')),
    error.message ? h('div', { class: 'muted' }, t('error.detail', { message: error.message })) : null,
    violations?.length
      ? h('ul', {}, violations.map((v) => h('li', {}, `${v.field}: ${v.description}`)))
      : null);
}

// Puts each field violation next to the input named by its field (the
// input's data-field attribute); returns the violations nothing showed.
export function showFieldErrors(form, violations = []) {
  form.querySelectorAll('.field-error').forEach((el) => el.remove());
  const rest = [];
  for (const v of violations) {
    const input = form.querySelector(`[data-field="${CSS.escape(v.field)}"]`);
    if (input) {
      input.closest('label')?.append(h('span', { class: 'field-error' }, v.description));
    } else {
      rest.push(v);
    }
  }
  return rest;
}

// Paging over the services' opaque page tokens: tokens[i] opens page i.
export function newPaging() {
  return { tokens: [''], page: 0 };
}

// Previous / page n / next, calling `reload` after moving.
export function pager(paging, nextToken, reload) {
  const prev = h('button', { type: 'button', class: 'secondary', 'data-pager': 'prev', disabled: paging.page === 0 }, t('arrears.prev'));
  const next = h('button', { type: 'button', class: 'secondary', 'data-pager': 'next', disabled: !nextToken }, t('arrears.next'));
  prev.addEventListener('click', () => { paging.page -= 1; reload(); });
  next.addEventListener('click', () => {
    paging.tokens[paging.page + 1] = nextToken;
    paging.page += 1;
    reload();
  });
  return h('div', { class: 'pager' }, prev, h('span', { class: 'muted' }, t('arrears.page', { page: paging.page + 1 })), next);
}
