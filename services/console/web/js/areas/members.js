// 会员 (registrar) area: its pages and navigation entries.
import * as members from '../pages/members.js';
import * as join from '../pages/members_join.js';
import * as orgs from '../pages/members_tree.js';

export const pages = { members, join, orgs };
export const nav = [
  ['members', 'nav.members'],
  ['join', 'nav.join'],
  ['orgs', 'nav.orgs'],
];
export const home = { page: 'members', roles: ['registrar'] };
