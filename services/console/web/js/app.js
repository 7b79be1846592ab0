// The console's shell: session, navigation, language switch and the
// hash router (#/collection, #/members, #/signin). Each page module
// exports render(main, ctx); ctx.state[page] survives a language switch so
// the page can redraw what it showed. A page's parameters ride in the hash
// after '?' (#/award-program?program=7), so a reload or a shared link opens
// the same thing; the page reads them from ctx.params.
import { t, lang, setLang } from './i18n.js';
import { session, signOut } from './api.js';
import { h, clear } from './dom.js';
import { mayOpen, homeFor } from './access.js';
import * as signin from './pages/signin.js';
import * as audit from './areas/audit.js';
import * as members from './areas/members.js';
import * as awards from './areas/awards.js';

// Each area (areas/<name>.js) lists its own pages, each with the
// permission it needs and its navigation label.
const AREAS = [audit, members, awards];
const PAGES = Object.assign({ signin: { module: signin } }, ...AREAS.map((area) => area.pages));

const ctx = {
  session: null,
  state: {},
  // Whether the caller is offered page `name` (for links between pages).
  may(name) { return mayOpen(PAGES[name], ctx.session); },
  go(name) {
    if (location.hash === `#/${name}`) render(); else location.hash = `#/${name}`;
  },
  async signedIn() {
    ctx.session = await session();
    ctx.state = {};
    ctx.go(homeFor(AREAS, ctx.session) ?? 'collection');
  },
};

// The page to show: the one in the hash, the caller's home page for an
// unknown one, and the sign-in page for anyone not signed in. A page the
// caller may not open keeps its address and shows the refusal (render).
function current() {
  const asked = location.hash.replace(/^#\//, '').split('?')[0];
  if (!ctx.session?.signed_in) return 'signin';
  if (asked in PAGES) return asked;
  return homeFor(AREAS, ctx.session) ?? 'collection';
}

function renderShell(name) {
  document.title = t('app.brand');
  document.getElementById('brand').textContent = t('app.brand');
  const nav = clear(document.getElementById('nav'));
  const signedIn = ctx.session?.signed_in;
  if (signedIn) {
    for (const [page, entry] of Object.entries(PAGES)) {
      if (!entry.nav || !mayOpen(entry, ctx.session)) continue;
      nav.append(h('a', { href: `#/${page}`, class: page === name ? 'active' : null, 'data-page': page }, t(entry.nav)));
    }
  }
  const who = document.getElementById('who');
  who.textContent = '';
  if (signedIn && ctx.session.subject) {
    const roles = (ctx.session.roles ?? []).map((r) => t(`role.${r}`)).join('、');
    const org = ctx.session.org_id && ctx.session.org_id !== '0'
      ? t('who.org', { org: ctx.session.org_id }) : t('who.everywhere');
    who.textContent = `${t('who.signed_in', { subject: ctx.session.subject, roles })} · ${org}`;
  }
  document.getElementById('lang').textContent = t('lang.switch');
  const out = document.getElementById('signout');
  out.textContent = t('nav.signout');
  out.hidden = !(signedIn && ctx.session.dev_sign_in);
}

async function render() {
  const name = current();
  // Show where we are without another hashchange; the parameters stay only
  // with the page they were given to.
  const [asked, query = ''] = location.hash.replace(/^#\//, '').split('?');
  if (asked !== name) history.replaceState(null, '', `#/${name}`);
  ctx.params = new URLSearchParams(asked === name ? query : '');
  renderShell(name);
  const main = clear(document.getElementById('main'));
  main.setAttribute('data-page', name);
  if (name !== 'signin' && !mayOpen(PAGES[name], ctx.session)) {
    main.append(h('h1', {}, t('denied.title')),
      h('section', { class: 'card', id: 'page-denied', role: 'alert' }, h('p', { class: 'error' }, t('denied.note'))));
    return;
  }
  await PAGES[name].module.render(main, ctx);
}

async function start() {
  setLang(lang());
  document.getElementById('lang').addEventListener('click', () => {
    setLang(lang() === 'zh-CN' ? 'en' : 'zh-CN');
    render();
  });
  document.getElementById('signout').addEventListener('click', async () => {
    await signOut().catch(() => {});
    ctx.session = await session();
    ctx.state = {};
    ctx.go('signin');
  });
  window.addEventListener('hashchange', render);
  ctx.session = await session();
  await render();
}

start();
