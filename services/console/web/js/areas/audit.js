// 经审 (auditor) area: its pages and navigation entries.
import * as collection from '../pages/collection.js';
import * as funds from '../pages/audit_funds.js';
import * as spending from '../pages/audit_spending.js';
import * as ledger from '../pages/audit_ledger.js';
import * as engagements from '../pages/audit_engagements.js';

export const pages = { collection, funds, spending, ledger, engagements };
export const nav = [
  ['collection', 'nav.collection'],
  ['funds', 'nav.funds'],
  ['spending', 'nav.spending'],
  ['ledger', 'nav.ledger'],
  ['engagements', 'nav.engagements'],
];
// The page an auditor lands on after signing in.
export const home = { page: 'collection', roles: ['auditor', 'finance_clerk', 'admin'] };
