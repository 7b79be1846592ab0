// Money and rates for display, with integer arithmetic only: the JSON
// gateway sends int64 fields (money in fen) as strings, read here as BigInt,
// so no amount ever passes through a floating-point number.

function toBigInt(value) {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (value === undefined || value === null || value === '') return 0n;
  return null;
}

function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// 123456 fen -> "¥1,234.56"; -5 -> "-¥0.05"; anything not an integer -> "—".
export function money(fen) {
  let v = toBigInt(fen);
  if (v === null) return '—';
  const negative = v < 0n;
  if (negative) v = -v;
  const yuan = v / 100n;
  const cents = v % 100n;
  return `${negative ? '-' : ''}¥${group(yuan.toString())}.${cents.toString().padStart(2, '0')}`;
}

// Basis points -> percent with two decimals: 8512 -> "85.12%".
export function rate(bp) {
  let v = toBigInt(bp);
  if (v === null) return '—';
  const negative = v < 0n;
  if (negative) v = -v;
  return `${negative ? '-' : ''}${v / 100n}.${(v % 100n).toString().padStart(2, '0')}%`;
}

// Basis points as a Number in [0, 100] for drawing charts only.
export function ratePercentForChart(bp) {
  const v = toBigInt(bp);
  if (v === null) return 0;
  return Math.max(0, Math.min(100, Number(v) / 100));
}

// "12.5" / "12.50" / "12" yuan -> "1250" fen (a string), or null when the
// text is not an amount with at most two decimals.
export function yuanToFen(text) {
  const m = /^\s*(-?)(\d{1,15})(?:\.(\d{1,2}))?\s*$/.exec(text ?? '');
  if (!m) return null;
  const fen = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return (m[1] === '-' && fen !== 0n ? -fen : fen).toString();
}

// "20" / "20.5" / "9.75" -> "2050" / "975" hundredths (a string), or null
// when the text is not a non-negative number with at most two decimals:
// percentages to basis points, contest points to hundredths.
export function hundredths(text) {
  const v = yuanToFen(text);
  return v === null || v.startsWith('-') ? null : v;
}

// Hundredths of a point -> "9.75" (the same integer formatting as rate).
export function points(centi) {
  return rate(centi).replace(/%$/, '');
}

// "2025-02-28" -> true; "2025-02-30", "2025-2-8" or "28/02/2025" -> false:
// the services' ISO form of a day, and a day the calendar has.
export function isIsoDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

// "2025-03" -> true; "2025-13" or "2025-3" -> false.
export function isIsoMonth(text) {
  const m = /^(\d{4})-(\d{2})$/.exec(text ?? '');
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

// Today as YYYY-MM-DD in the browser's own time zone (toISOString would
// give the UTC day, yesterday in China before 08:00).
export function localDay(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
