// Sign-in. On the development stack (console started with the signing
// key) a role and org chooser that mints a development token; in
// production the identity proxy signs people in and this page only says so.
import { t } from '../i18n.js';
import { signIn } from '../api.js';
import { h, errorBox, showFieldErrors } from '../dom.js';

export async function render(main, ctx) {
  main.append(h('h1', {}, t('signin.title')));
  const s = ctx.session;
  if (!s.dev_sign_in) {
    main.append(h('section', { class: 'card' }, h('p', {}, t('signin.prod_note'))));
    return;
  }
  const role = h('select', { id: 'signin-role', name: 'role', 'data-field': 'role' },
    (s.known_roles ?? []).filter((r) => r !== 'service')
      .map((r) => h('option', { value: r }, t(`role.${r}`))));
  const org = h('input', { id: 'signin-org', name: 'org_id', type: 'number', min: 0, value: '0', 'data-field': 'org_id' });
  const errors = h('div');
  const form = h('form', { class: 'stack', id: 'signin-form' },
    h('label', {}, t('signin.role'), role),
    h('label', {}, t('signin.org'), org),
    h('div', {}, h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, t('signin.submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.textContent = '';
    try {
      await signIn(role.value, org.value.trim() || '0');
      await ctx.signedIn();
    } catch (error) {
      const rest = showFieldErrors(form, error.fieldViolations);
      errors.append(errorBox(error, rest));
    }
  });
  main.append(h('section', { class: 'card' }, h('p', { class: 'muted' }, t('signin.dev_note')), form, errors));
}
