// 会员 (registrar) area: its pages and navigation entries.
import * as members from '../pages/members.js';

export const pages = { members };
export const nav = [['members', 'nav.members']];
export const home = { page: 'members', roles: ['registrar'] };
