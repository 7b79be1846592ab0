// The eligibility checks' figures in the page's language. Awards writes
// them for integrators in a fixed English form (domain/eligibility.cc:
// "45 months", ">= 12 months", "none", "honours 3, 7", "no 五一劳动奖章 at
// this level since 2021"); each form is said again here from its numbers.
// Anything else (a form awards may add later) is shown as sent.
import { t } from '../i18n.js';

const FORMS = [
  [/^(>=|<=)?\s*(\d+) months$/, (m) => t('awards.figure.months', { op: OPS[m[1] ?? ''], n: m[2] })],
  [/^none$/, () => t('awards.figure.none')],
  [/^honours (.+)$/, (m) => t('awards.figure.honours', { ids: m[1] })],
  [/^no (.+) at this level since (\d+)$/, (m) => t('awards.figure.no_repeat', { title: m[1], year: m[2] })],
];
const OPS = { '>=': '≥ ', '<=': '≤ ', '': '' };

export function evidenceFigure(value) {
  for (const [form, say] of FORMS) {
    const m = form.exec(value ?? '');
    if (m) return say(m);
  }
  return value;
}
