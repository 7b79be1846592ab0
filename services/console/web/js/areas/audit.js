// 经审 (auditor) area: its pages, each with the permission its work needs
// (the gate's names, common/auth/roles.cc) and its navigation label.
import * as collection from '../pages/collection.js';
import * as funds from '../pages/audit_funds.js';
import * as spending from '../pages/audit_spending.js';
import * as ledger from '../pages/audit_ledger.js';
import * as engagements from '../pages/audit_engagements.js';

export const pages = {
  collection: { module: collection, needs: 'audit.reports.read', nav: 'nav.collection' },
  funds: { module: funds, needs: 'audit.reports.read', nav: 'nav.funds' },
  spending: { module: spending, needs: 'audit.reports.read', nav: 'nav.spending' },
  ledger: { module: ledger, needs: 'audit.ledger.read', nav: 'nav.ledger' },
  engagements: { module: engagements, needs: 'audit.engagements.read', nav: 'nav.engagements' },
};
// The page an auditor lands on after signing in.
export const home = { page: 'collection', roles: ['auditor', 'finance_clerk', 'admin'] };
