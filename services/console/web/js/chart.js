// Small SVG charts drawn with DOM calls (no library, no inline styles):
// a line of rates by month and horizontal bars by organisation. Values are
// percentages 0..100; labels are the formatted texts to show.
const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

// points: [{x: '2025-01', value: 85.12, label: '85.12%'}]
export function lineChart(points, title) {
  const w = 640, hgt = 240, left = 44, right = 16, top = 16, bottom = 36;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': title });
  const plotW = w - left - right, plotH = hgt - top - bottom;
  const y = (v) => top + plotH - (v / 100) * plotH;
  for (const tick of [0, 25, 50, 75, 100]) {
    svg.append(s('line', { class: 'axis', x1: left, x2: w - right, y1: y(tick), y2: y(tick) }));
    svg.append(s('text', { x: left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, `${tick}%`));
  }
  const step = points.length > 1 ? plotW / (points.length - 1) : 0;
  const x = (i) => left + (points.length > 1 ? i * step : plotW / 2);
  if (points.length > 1) {
    svg.append(s('polyline', { class: 'line', points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ') }));
  }
  const every = Math.max(1, Math.ceil(points.length / 12));
  points.forEach((p, i) => {
    const dot = s('circle', { class: 'dot', cx: x(i), cy: y(p.value), r: 3.5, 'data-month': p.x, 'data-rate': p.label });
    dot.append(s('title', {}, `${p.x} ${p.label}`));
    svg.append(dot);
    if (i % every === 0) svg.append(s('text', { x: x(i), y: hgt - bottom + 16, 'text-anchor': 'middle' }, p.x));
  });
  return svg;
}

// bars: [{name: 'A镇工会', value: 70.5, label: '70.50%'}]
export function barChart(bars, title) {
  const row = 26, left = 150, right = 70, w = 640;
  const hgt = Math.max(1, bars.length) * row + 12;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': title });
  const plotW = w - left - right;
  bars.forEach((b, i) => {
    const yy = 6 + i * row;
    svg.append(s('text', { x: left - 8, y: yy + 15, 'text-anchor': 'end' }, b.name));
    const bar = s('rect', { class: 'bar', x: left, y: yy + 3, height: row - 8, width: Math.max(1, (b.value / 100) * plotW) });
    bar.append(s('title', {}, `${b.name} ${b.label}`));
    svg.append(bar);
    svg.append(s('text', { x: left + Math.max(1, (b.value / 100) * plotW) + 6, y: yy + 15 }, b.label));
  });
  return svg;
}
