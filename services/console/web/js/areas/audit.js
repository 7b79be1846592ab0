// 经审 (auditor) area: its pages and navigation entries.
import * as collection from '../pages/collection.js';

export const pages = { collection };
export const nav = [['collection', 'nav.collection']];
// The page an auditor lands on after signing in.
export const home = { page: 'collection', roles: ['auditor', 'finance_clerk', 'admin'] };
