// Building the page from data: every piece of text goes in through
// textContent (never innerHTML), so names and messages from the services
// cannot become markup.
import { t } from './i18n.js';
import { isIsoDate, isIsoMonth } from './format.js';

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

// A field violation in the user's language: the text for its stable
// reason (text/violations.js), else the service's own description.
export function violationText(v) {
  const key = `violation.${v.reason}`;
  return v.reason && t(key) !== key ? t(key) : v.description;
}

// The error box for an ApiError: the code in the user's language, the
// service's own message, and each field violation (`violations`: those no
// input showed already). A refusal made of field violations says nothing
// more in its message, which is the services' English, so it is left out.
export function errorBox(error, violations = error.fieldViolations) {
  const code = error.code ?? 'UNKNOWN';
  const known = t(`error.${code}`) !== `error.${code}`;
  const onlyFields = code === 'INVALID_ARGUMENT' && error.fieldViolations?.length > 0;
  return h('div', { class: 'error', role: 'alert', 'data-code': code },
    h('strong', {}, t('error.title'), '：', known ? t(`error.${code}`) : t('error.UNKNOWN')),
    error.message && !onlyFields ? h('div', { class: 'muted' }, t('error.detail', { message: error.message })) : null,
    violations?.length
      ? h('ul', {}, violations.map((v) => h('li', { 'data-field': v.field, 'data-reason': v.reason || null }, `${v.field}: ${violationText(v)}`)))
      : null);
}

// Puts each field violation next to the input named by its field path
// (the input's data-field attribute, e.g. "member.national_id"), in the
// user's language (the service's English description as its title);
// returns the violations nothing showed.
export function showFieldErrors(form, violations = []) {
  form.querySelectorAll('.field-error').forEach((el) => el.remove());
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  const rest = [];
  for (const v of violations) {
    const input = form.querySelector(`[data-field="${CSS.escape(v.field)}"]`);
    const label = input?.closest('label');
    if (label) {
      input.setAttribute('aria-invalid', 'true');
      label.append(h('span', { class: 'field-error', title: v.description, 'data-reason': v.reason || null }, violationText(v)));
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

// A day (kind 'date', YYYY-MM-DD) or month ('month', YYYY-MM) field: a
// text input in the services' ISO form, the way Chinese forms write dates
// and unambiguous in English. Not <input type=date>: Chromium formats
// that by the browser's own locale (mm/dd/yyyy in an English browser)
// whatever the page's lang says, so the page's language could not decide
// it. A value that is no real day or month is marked next to the field in
// the page's language and the form is not sent.
export function dateInput(attrs = {}, kind = 'date') {
  const month = kind === 'month';
  const valid = month ? isIsoMonth : isIsoDate;
  const message = t(month ? 'violation.BAD_MONTH' : 'violation.BAD_DATE');
  const el = h('input', {
    type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: month ? 7 : 10, size: month ? 8 : 11,
    placeholder: t(month ? 'date.month_placeholder' : 'date.placeholder'), 'data-date': kind, ...attrs,
  });
  const mark = (bad) => {
    el.closest('label')?.querySelectorAll('.field-error[data-reason="LOCAL_DATE"]').forEach((e) => e.remove());
    if (bad) el.closest('label')?.append(h('span', { class: 'field-error', 'data-reason': 'LOCAL_DATE' }, message));
  };
  const check = () => {
    const value = el.value.trim();
    const bad = value !== '' && !valid(value);
    el.setCustomValidity(bad ? message : '');
    if (bad) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
    if (!bad) mark(false);
  };
  el.addEventListener('input', check);
  el.addEventListener('change', () => { check(); if (!el.validity.valid) mark(true); });
  // The form's own check on submit: shown next to the field, not as the
  // browser's bubble (which speaks the browser's language).
  el.addEventListener('invalid', (event) => {
    if (el.validity.customError) {
      event.preventDefault();
      mark(true);
    }
  });
  return el;
}
