// 评选 (award committee, reviewer, nominator) area: its pages and
// navigation entries.
import * as programs from '../pages/awards_programs.js';
import * as program from '../pages/awards_program.js';
import * as nominations from '../pages/awards_nominations.js';
import * as review from '../pages/awards_review.js';
import * as contests from '../pages/awards_contests.js';

export const pages = {
  awards: programs,
  'award-program': program,
  'award-nominations': nominations,
  'award-review': review,
  'award-contests': contests,
};
export const nav = [
  ['awards', 'nav.awards'],
  ['award-program', 'nav.award_program'],
  ['award-nominations', 'nav.award_nominations'],
  ['award-review', 'nav.award_review'],
  ['award-contests', 'nav.award_contests'],
];
// The committee lands on its programmes; the other awards roles on the
// page their work starts from.
export const home = {
  page: 'awards',
  roles: ['award_committee'],
  byRole: { reviewer: 'award-review', nominator: 'award-nominations', judge: 'award-contests' },
};
