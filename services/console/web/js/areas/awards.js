// 评选 (award committee, reviewer, nominator) area: its pages, each with
// the permission its work needs (the gate's names, common/auth/roles.cc)
// and its navigation label. The programme list is for everyone who may
// read programmes; the workbench runs one, so it needs the committee's
// write permission.
import * as programs from '../pages/awards_programs.js';
import * as program from '../pages/awards_program.js';
import * as nominations from '../pages/awards_nominations.js';
import * as review from '../pages/awards_review.js';
import * as contests from '../pages/awards_contests.js';

export const pages = {
  awards: { module: programs, needs: 'awards.programs.read', nav: 'nav.awards' },
  'award-program': { module: program, needs: 'awards.programs.write', nav: 'nav.award_program' },
  'award-nominations': { module: nominations, needs: 'awards.nominations.write', nav: 'nav.award_nominations' },
  'award-review': { module: review, needs: 'awards.review.vote', nav: 'nav.award_review' },
  'award-contests': { module: contests, needs: 'awards.contests.read', nav: 'nav.award_contests' },
};
// The committee lands on its programmes; the other awards roles on the
// page their work starts from.
export const home = {
  page: 'awards',
  roles: ['award_committee'],
  byRole: { reviewer: 'award-review', nominator: 'award-nominations', judge: 'award-contests' },
};
