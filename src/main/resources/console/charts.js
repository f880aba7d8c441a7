// Small SVG line charts for the console: no library, nothing fetched from elsewhere.
'use strict';

const Charts = (() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 720, H = 190, LEFT = 64, RIGHT = 12, TOP = 12, BOTTOM = 28;

  function node(name, attrs, text) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** A "nice" upper bound for the y axis: 1, 2 or 5 times a power of ten at or above max. */
  function niceMax(max) {
    if (!(max > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(max)));
    for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
    return 10 * power;
  }

  /**
   * Draws series of [timeMs, value] points between from and to (ms) into container, replacing what was there.
   * options: format (value -> text), label (what is drawn, for the accessible name), empty (text when no point).
   */
  function line(container, series, from, to, options) {
    const format = options.format || String;
    const points = series.flatMap(s => s.points).filter(p => p[1] !== null && p[1] !== undefined && isFinite(p[1]));
    const max = niceMax(points.reduce((m, p) => Math.max(m, p[1]), 0));
    const x = t => LEFT + (W - LEFT - RIGHT) * (t - from) / Math.max(1, to - from);
    const y = v => TOP + (H - TOP - BOTTOM) * (1 - v / max);
    const svg = node('svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img'});
    const last = series.map(s => s.points.filter(p => p[1] !== null && p[1] !== undefined).slice(-1)[0]).filter(Boolean);
    const summary = points.length
      ? `${options.label}: now ${last.map(p => format(p[1])).join(', ')}, highest ${format(points.reduce((m, p) => Math.max(m, p[1]), 0))}`
      : `${options.label}: ${options.empty || 'no data yet'}`;
    svg.setAttribute('aria-label', summary);
    svg.appendChild(node('title', {}, summary));
    for (const fraction of [0, 0.5, 1]) {
      const v = max * fraction;
      svg.appendChild(node('line', {x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v), class: 'grid'}));
      svg.appendChild(node('text', {x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis'}, format(v)));
    }
    const minutes = Math.round((to - from) / 60000);
    for (let i = 0; i <= 4; i++) {
      const t = from + (to - from) * i / 4;
      const ago = Math.round(minutes * (4 - i) / 4);
      svg.appendChild(node('text', {x: x(t), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle', class: 'axis'},
        ago === 0 ? 'now' : `-${ago} min`));
    }
    series.forEach((s, index) => {
      let d = '';
      let pen = false;
      for (const [t, v] of s.points) {
        if (v === null || v === undefined || !isFinite(v) || t < from) { pen = false; continue; }
        d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
        pen = true;
      }
      if (d) svg.appendChild(node('path', {d, class: `series series-${index}`}));
    });
    if (!points.length) {
      svg.appendChild(node('text', {x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'axis'}, options.empty || 'no data yet'));
    }
    container.replaceChildren(svg);
    if (series.length > 1) {
      const legend = document.createElement('p');
      legend.className = 'legend';
      series.forEach((s, index) => {
        const key = document.createElement('span');
        key.className = `key key-${index}`;
        key.textContent = s.name;
        legend.appendChild(key);
      });
      container.appendChild(legend);
    }
  }

  return {line, niceMax};
})();
