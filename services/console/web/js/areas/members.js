// 会员 (registrar) area: its pages, each with the permission its work
// needs (the gate's names, common/auth/roles.cc) and its navigation label.
import * as members from '../pages/members.js';
import * as join from '../pages/members_join.js';
import * as orgs from '../pages/members_tree.js';

export const pages = {
  members: { module: members, needs: 'membership.members.read', nav: 'nav.members' },
  join: { module: join, needs: 'membership.members.write', nav: 'nav.join' },
  orgs: { module: orgs, needs: 'membership.coverage.read', nav: 'nav.orgs' },
};
export const home = { page: 'members', roles: ['registrar'] };
