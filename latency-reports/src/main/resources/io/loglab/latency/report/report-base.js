// What every loglab report page draws with: the series colours, a DOM element builder, the number format and a
// figure over repetitions (Spread in Java) as text.
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
  '#bcbd22', '#17becf'];
function el(tag, attrs, children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  (children || []).forEach(c => e.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return e;
}
function fmt(v, digits) {
  if (v === null || v === undefined || v === 'NaN' || (typeof v === 'number' && !isFinite(v))) return '-';
  if (typeof v !== 'number') return String(v);
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toPrecision(digits || 3);
}
function spread(s, f) {
  const format = f || fmt;
  if (!s || !s.count) return '-';
  const median = format(s.median);
  return s.count === 1 || s.min === s.max ? median : median + ' (' + format(s.min) + '–' + format(s.max) + ')';
}
