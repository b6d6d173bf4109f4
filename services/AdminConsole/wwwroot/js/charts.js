// Small SVG charts drawn with DOM calls only (no HTML strings, no inline styles, so the CSP holds): bars with
// optional intervals, lines over time, and scatter plots. Labels are text nodes, whatever they hold.

const NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#2457c5', '#d9480f', '#2b8a3e', '#862e9c', '#e8590c', '#0b7285', '#5c940d', '#a61e4d'];

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) node.setAttribute(key, String(value));
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

const color = (i) => PALETTE[i % PALETTE.length];

function frame(title, width, height) {
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': title });
  chart.append(svg('title', {}, title));
  return chart;
}

const niceMax = (value) => {
  if (!(value > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
};

/** Vertical bars, one per { label, value, low?, high? }; low/high draw an interval. */
export function barChart(title, bars, format = (v) => String(v)) {
  const [width, height, left, bottom, top] = [560, 240, 56, 36, 14];
  const chart = frame(title, width, height);
  const max = niceMax(Math.max(...bars.map((b) => Math.max(b.value, b.high ?? 0)), 0));
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const slot = (width - left - 10) / Math.max(bars.length, 1);
  axis(chart, left, width, top, height - bottom, max, format, y);
  bars.forEach((bar, i) => {
    const x = left + i * slot + slot * 0.2;
    const w = slot * 0.6;
    chart.append(svg('rect', { x, y: y(bar.value), width: w, height: Math.max(0, y(0) - y(bar.value)), fill: bar.color ?? color(i), class: 'bar' },
      svg('title', {}, `${bar.label}: ${format(bar.value)}`)));
    if (bar.low !== undefined && bar.high !== undefined) {
      const mid = x + w / 2;
      chart.append(svg('path', { d: `M${mid},${y(bar.high)}V${y(Math.max(0, bar.low))}M${mid - 6},${y(bar.high)}h12M${mid - 6},${y(Math.max(0, bar.low))}h12`, class: 'whisker' }));
    }
    chart.append(svg('text', { x: x + w / 2, y: height - bottom + 16, 'text-anchor': 'middle', class: 'label' }, bar.label));
  });
  return chart;
}

/** Lines over time: series [{ name, points: [{ at: Date|string, value }] }]. */
export function lineChart(title, series, format = (v) => String(v)) {
  const [width, height, left, bottom, top] = [560, 220, 56, 30, 14];
  const chart = frame(title, width, height);
  const points = series.flatMap((s) => s.points.map((p) => ({ t: new Date(p.at).getTime(), v: p.value })));
  if (points.length === 0) {
    chart.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'label' }, 'No data yet'));
    return chart;
  }
  const [t0, t1] = [Math.min(...points.map((p) => p.t)), Math.max(...points.map((p) => p.t))];
  const max = niceMax(Math.max(...points.map((p) => p.v)));
  const x = (t) => left + (width - left - 10) * (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0));
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  axis(chart, left, width, top, height - bottom, max, format, y);
  chart.append(svg('text', { x: left, y: height - 8, class: 'label' }, new Date(t0).toLocaleString()),
    svg('text', { x: width - 10, y: height - 8, 'text-anchor': 'end', class: 'label' }, new Date(t1).toLocaleString()));
  series.forEach((s, i) => {
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${x(new Date(p.at).getTime()).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
    chart.append(svg('path', { d, stroke: color(i), class: 'line' }, svg('title', {}, s.name)));
    s.points.forEach((p) => chart.append(svg('circle', { cx: x(new Date(p.at).getTime()), cy: y(p.value), r: 2.5, fill: color(i) },
      svg('title', {}, `${s.name}: ${format(p.value)} at ${new Date(p.at).toLocaleString()}`))));
  });
  return chart;
}

/** Points [{ x, y, group, label }] coloured by group. */
export function scatterChart(title, points) {
  const [width, height, pad] = [460, 320, 24];
  const chart = frame(title, width, height);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (v) => pad + (width - 2 * pad) * (x1 === x0 ? 0.5 : (v - x0) / (x1 - x0));
  const sy = (v) => height - pad - (height - 2 * pad) * (y1 === y0 ? 0.5 : (v - y0) / (y1 - y0));
  chart.append(svg('rect', { x: pad / 2, y: pad / 2, width: width - pad, height: height - pad, class: 'plot-area' }));
  for (const p of points)
    chart.append(svg('circle', { cx: sx(p.x).toFixed(1), cy: sy(p.y).toFixed(1), r: 3, fill: color(p.group), class: 'dot' }, svg('title', {}, p.label ?? `cluster ${p.group}`)));
  return chart;
}

function axis(chart, left, width, top, base, max, format, y) {
  for (const fraction of [0, 0.5, 1]) {
    const v = max * fraction;
    chart.append(svg('line', { x1: left, x2: width - 10, y1: y(v), y2: y(v), class: fraction === 0 ? 'axis' : 'grid' }),
      svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'label' }, format(v)));
  }
}

/** A legend for series or groups, as text. */
export function legend(names) {
  return svg('svg', { class: 'legend', viewBox: `0 0 ${names.length * 140} 20`, role: 'img', 'aria-label': 'Legend' },
    names.map((name, i) => [svg('rect', { x: i * 140, y: 5, width: 10, height: 10, fill: color(i) }), svg('text', { x: i * 140 + 14, y: 14, class: 'label' }, name)]));
}
