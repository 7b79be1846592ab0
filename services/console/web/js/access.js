// Which pages a signed-in caller is offered. Each page names the one
// permission its work needs (areas/<area>.js, the gate's names); the
// session lists what the caller's roles grant, from the gate's own table
// (common/auth/roles.cc, via /api/session), so the console keeps no second
// list of what a role means. Presentation only: the services' gate still
// decides every call.

export function mayOpen(entry, session) {
  if (!entry) return false;
  return !entry.needs || (session?.permissions ?? []).includes(entry.needs);
}

// The page to land on: the first area whose home suits one of the
// caller's roles (or names a page of its own for one in home.byRole) and
// which the caller may open; else the first page the caller may open;
// null when there is none.
export function homeFor(areas, session) {
  const roles = session?.roles ?? [];
  const open = (name) => mayOpen(areas.map((a) => a.pages[name]).find(Boolean), session);
  for (const a of areas) {
    const page = a.home.page && a.home.roles.some((r) => roles.includes(r))
      ? a.home.page : roles.map((r) => a.home.byRole?.[r]).find(Boolean);
    if (page && open(page)) return page;
  }
  for (const a of areas) {
    const first = Object.keys(a.pages).find(open);
    if (first) return first;
  }
  return null;
}
