// The realtime-sync web console: one page, hash routes, every figure read from the operator API of the task that
// serves it (docs/console.md), polled every 2 seconds. Text from the API is only ever set as text, never as HTML.
'use strict';

const POLL_MS = 2000;
const PAGE_SIZE = 50;
const HOUR_MS = 3600 * 1000;
/** Seconds over which the row rates are measured. */
const RATE_WINDOW_MS = 10000;

const OPERATIONS = {
  pause: {title: 'Pause', text: 'Its changes are held in the target until you resume it; the other tables go on.'},
  resume: {title: 'Resume', text: 'Its held changes are applied in source order, then it streams again.'},
  resync: {title: 'Resync', text: 'The table is loaded anew while the task streams, through a staging table that replaces its rows in one commit.'},
  backfill: {title: 'Backfill', text: 'The source rows the condition selects are copied anew and merged into the target table.'},
  prioritize: {title: 'Prioritize', text: 'Its waiting chunks move to the front of the running full load.'},
  cancel: {title: 'Cancel load', text: 'It leaves the running full load and stays stopped, visibly, until a resync loads it.'},
};

const state = {
  tasks: [],
  task: null,
  page: null,
  timer: null,
  busy: false,
  ticks: 0,
  signedIn: false,
};

// ---------------------------------------------------------------------------------------------------------------------
// Small helpers

/** An element with attributes (on* and HTML never: text only) and children (strings become text). */
function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'onclick') e.addEventListener('click', v);
    else if (k === 'oninput') e.addEventListener('input', v);
    else if (k === 'onchange') e.addEventListener('change', v);
    else if (k === 'onsubmit') e.addEventListener('submit', v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    e.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return e;
}

const DASH = '—';
const numbers = new Intl.NumberFormat('en-US');

function count(n) {
  return n === null || n === undefined || !isFinite(n) ? DASH : numbers.format(n);
}

function rate(perSecond) {
  if (perSecond === null || perSecond === undefined || !isFinite(perSecond)) return DASH;
  return `${numbers.format(Math.round(perSecond))}/s`;
}

function seconds(s) {
  if (s === null || s === undefined || !isFinite(s)) return DASH;
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** An ISO time as local time (with the date when not today); the full UTC text in its title. */
function time(iso) {
  if (!iso) return h('span', {}, DASH);
  const date = new Date(iso);
  if (isNaN(date)) return h('span', {}, iso);
  const today = new Date().toDateString() === date.toDateString();
  const text = today ? date.toLocaleTimeString('en-GB') : date.toLocaleString('en-GB');
  return h('time', {datetime: iso, title: iso}, text);
}

/** A source position as people read it (PostgreSQL's LSN as X/Y, a binlog file:position); the full text in its title. */
function position(text) {
  if (!text) return h('span', {}, DASH);
  let shown = text;
  try {
    const p = JSON.parse(text);
    const hex = n => n.toString(16).toUpperCase();
    if (typeof p.lsn === 'number') shown = `LSN ${hex(Math.floor(p.lsn / 2 ** 32))}/${hex(p.lsn % 2 ** 32)}`;
    else if (p.file) shown = `${p.file}:${p.pos}`;
    else if (p.gtids) shown = `GTID ${p.gtids}`;
  } catch (e) {
    const lsn = /^lsn:(\d+)$/.exec(text); // a table's position: lsn:N
    if (lsn) {
      const n = Number(lsn[1]);
      shown = `LSN ${Math.floor(n / 2 ** 32).toString(16).toUpperCase()}/${(n % 2 ** 32).toString(16).toUpperCase()}`;
    }
  }
  return h('span', {class: 'position', title: text}, shown);
}

function enc(part) {
  return encodeURIComponent(part);
}

function taskPath(suffix) {
  return `/api/tasks/${enc(state.task)}${suffix || ''}`;
}

function tablePath(table, suffix) {
  return taskPath(`/tables/${enc(table)}${suffix || ''}`);
}

function hash(page, table) {
  const base = `#/tasks/${enc(state.task)}`;
  if (page === 'task') return base;
  if (page === 'table') return `${base}/tables/${enc(table)}`;
  return `${base}/${page}`;
}

class SignedOut extends Error {
}

/** GET (or another method) on this server with the session cookie; 401 shows the sign-in page. */
async function call(path, options) {
  let response;
  try {
    response = await fetch(path, Object.assign({credentials: 'same-origin', cache: 'no-store',
      headers: {'Accept': 'application/json'}}, options || {}));
  } catch (e) {
    live(`Cannot reach the task (${e.message}); trying again`, true);
    throw e;
  }
  if (response.status === 401 && !path.startsWith('/console/')) {
    if (!document.getElementById('sign-in')) signIn(state.signedIn ? 'Your session ended: sign in again.' : '');
    throw new SignedOut();
  }
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json().catch(() => null) : await response.text();
  return {status: response.status, body};
}

/** The JSON of a GET, or null when the API has no such call (an older task) or answers an error. */
async function optional(path) {
  const answer = await call(path);
  return answer.status === 200 ? answer.body : null;
}

function live(text, problem) {
  const element = document.getElementById('live');
  element.textContent = text;
  element.classList.toggle('problem', !!problem);
}

function notice(text, problem) {
  const element = document.getElementById('notice');
  element.replaceChildren(h('p', {class: problem ? 'problem' : ''}, text,
    h('button', {type: 'button', class: 'link', onclick: () => element.replaceChildren()}, 'Dismiss')));
}

function badge(value) {
  return h('span', {class: `badge state-${String(value || 'none').toLowerCase()}`}, value || DASH);
}

/** Sets an element's text and its raw value (data-value, for scripts and tests) when it changed. */
function put(element, text, value) {
  if (element.textContent !== text) element.textContent = text;
  const raw = value === null || value === undefined ? '' : String(value);
  if (element.dataset.value !== raw) element.dataset.value = raw;
}

// ---------------------------------------------------------------------------------------------------------------------
// Rates and local samples (when the task's API keeps no history, the chart shows what this page saw)

const samples = {
  rows: [],
  latency: [],
  counts: [],
  add(task) {
    const now = Date.now();
    this.rows.push([now, task.rowsRead, task.rowsWritten]);
    while (this.rows.length > 2 && now - this.rows[1][0] >= RATE_WINDOW_MS) this.rows.shift();
    this.latency.push([now, task.commitLatencySeconds]);
    while (this.latency.length && now - this.latency[0][0] > HOUR_MS) this.latency.shift();
    this.counts.push([now, task.rowsRead, task.rowsWritten]);
    while (this.counts.length && now - this.counts[0][0] > HOUR_MS) this.counts.shift();
  },
  rates() {
    if (this.rows.length < 2) return [null, null];
    const first = this.rows[0], last = this.rows[this.rows.length - 1];
    const dt = (last[0] - first[0]) / 1000;
    if (dt <= 0) return [null, null];
    const r = (a, b) => (a === null || a === undefined || b === null || b === undefined || b < a) ? null : (b - a) / dt;
    return [r(first[1], last[1]), r(first[2], last[2])];
  },
  reset() {
    this.rows = [];
    this.latency = [];
    this.counts = [];
  },
};

/** The latency series of a history answer ({"points": [{"at", "commitLatencySeconds", ...}]}). */
function historySeries(history) {
  const points = (history && history.points) || [];
  const latency = points.map(p => [Date.parse(p.at), p.commitLatencySeconds]);
  return {latency};
}

/** Where a chart of the last hour starts: an hour ago, or the oldest point known when that is later (5 minutes at least). */
function since(points, now) {
  const oldest = points.length ? points[0][0] : now;
  return Math.max(now - HOUR_MS, Math.min(now - 5 * 60 * 1000, oldest));
}

/** A history answer with points enough for a line (else the page draws what it saw itself), or null. */
function fullEnough(history) {
  return history && Array.isArray(history.points) && history.points.length >= 2 ? history : null;
}

/** Rows read and written per second between successive [time, read, written] counts (none across a restart). */
function rowRates(counts) {
  const read = [], written = [];
  for (let i = 1; i < counts.length; i++) {
    const [t0, r0, w0] = counts[i - 1], [t1, r1, w1] = counts[i];
    const dt = (t1 - t0) / 1000;
    const rate = (a, b) => dt > 0 && a !== null && b !== null && a !== undefined && b !== undefined && b >= a ? (b - a) / dt : null;
    read.push([t1, rate(r0, r1)]);
    written.push([t1, rate(w0, w1)]);
  }
  return [{name: 'read', points: read}, {name: 'written', points: written}];
}

// ---------------------------------------------------------------------------------------------------------------------
// Confirmation dialog for the table operations

function confirmOperation(operation, table) {
  const dialog = document.getElementById('confirm');
  const described = OPERATIONS[operation];
  const where = document.getElementById('confirm-where');
  document.getElementById('confirm-title').textContent = `${described.title} ${table}?`;
  document.getElementById('confirm-text').textContent = described.text;
  document.getElementById('confirm-ok').textContent = described.title;
  document.getElementById('confirm-where-label').hidden = operation !== 'backfill';
  where.required = operation === 'backfill';
  where.value = '';
  const opener = document.activeElement;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      if (opener && opener.isConnected) opener.focus();
      resolve(dialog.returnValue === 'confirm' ? {where: where.value} : null);
    }, {once: true});
    dialog.returnValue = '';
    dialog.showModal();
    (operation === 'backfill' ? where : document.getElementById('confirm-cancel')).focus();
  });
}

async function operate(operation, table) {
  const confirmed = await confirmOperation(operation, table);
  if (!confirmed) return;
  const options = {method: 'POST', headers: {'Accept': 'application/json', 'Content-Type': 'application/json'}};
  if (operation === 'backfill') options.body = JSON.stringify({where: confirmed.where});
  const answer = await call(tablePath(table, `/${operation}`), options);
  if (answer.status === 202 || answer.status === 200) {
    notice(`${OPERATIONS[operation].title} of ${table}: recorded, state now ${(answer.body && answer.body.state) || DASH}.`);
  } else {
    notice(`${OPERATIONS[operation].title} of ${table} refused: ${(answer.body && answer.body.message) || answer.status}`, true);
  }
  refresh();
}

/** The operation buttons that apply to a table in its state. */
function actions(table) {
  const name = table.table;
  const loading = table.fullLoad && !table.fullLoad.done;
  const button = (operation, label) => h('button', {type: 'button', class: 'small', dataset: {action: operation, table: name},
    'aria-label': `${label} ${name}`, onclick: () => operate(operation, name)}, label);
  return h('span', {class: 'actions'},
    table.state === 'PAUSED' ? button('resume', 'Resume') : button('pause', 'Pause'),
    button('resync', 'Resync'),
    button('backfill', 'Backfill…'),
    loading ? button('prioritize', 'Prioritize') : null,
    loading ? button('cancel', 'Cancel load') : null);
}

/** The full-load progress of a table: a bar, the percentage and the time left. */
function progress(load) {
  if (!load) return h('span', {class: 'muted'}, DASH);
  let done, total;
  if (load.rowsTotal) {
    done = load.rowsCopied;
    total = load.rowsTotal;
  } else {
    done = load.chunksDone;
    total = load.chunks;
  }
  const fraction = load.done ? 1 : total ? Math.min(1, done / total) : 0;
  const percent = Math.floor(fraction * 100);
  const text = load.done ? 'done' : `${percent}%${load.etaSeconds !== null && load.etaSeconds !== undefined ? ` · ${seconds(load.etaSeconds)} left` : ''}`;
  return h('span', {class: 'progress'},
    h('progress', {max: 100, value: percent, 'aria-label': `full load ${text}`}),
    h('span', {class: 'progress-text', dataset: {value: load.rowsCopied}}, text));
}

// ---------------------------------------------------------------------------------------------------------------------
// Pages

const pages = {};

/** The task: phase timeline, counters with rates, latency now and over the last hour, restarts, refused, open alerts. */
pages.task = {
  mount(main) {
    this.fields = {};
    const field = (key, label) => {
      const value = h('dd', {id: `task-${key}`}, DASH);
      this.fields[key] = value;
      return h('div', {class: 'card'}, h('dt', {}, label), value);
    };
    this.timeline = h('ol', {class: 'timeline', 'aria-label': 'Phases'});
    this.chart = h('div', {class: 'chart-box', id: 'task-latency-chart'});
    this.rates = h('div', {class: 'chart-box', id: 'task-rates-chart'});
    this.alerts = h('div', {id: 'task-open-alerts'});
    this.history = null;
    this.error = h('p', {class: 'error', id: 'task-last-error', hidden: true});
    this.phase = h('span', {id: 'task-phase'});
    main.replaceChildren(
      h('h1', {tabindex: -1}, 'Task ', h('span', {class: 'name'}, state.task), ' ', this.phase),
      this.timeline,
      this.error,
      h('dl', {class: 'cards'},
        field('rowsRead', 'Rows read'), field('readRate', 'Read rate'),
        field('rowsWritten', 'Rows written'), field('writeRate', 'Write rate'),
        field('latency', 'Commit to visible, now'), field('restarts', 'Engine restarts'),
        field('refused', 'Refused rows'), field('tables', 'Tables'),
        field('position', 'Committed source position'), field('positionTime', 'Its source time'),
        field('committedAt', 'Last target commit')),
      h('section', {}, h('h2', {}, 'Commit-to-visible latency, last hour'), this.chart),
      h('section', {}, h('h2', {}, 'Rows per second, last hour'), this.rates),
      h('section', {}, h('h2', {}, 'Open alerts'), this.alerts));
  },

  async update(tick) {
    const task = (await call(taskPath())).body;
    samples.add(task);
    const [readRate, writeRate] = samples.rates();
    this.phase.replaceChildren(badge(task.phase));
    this.drawTimeline(task);
    put(this.fields.rowsRead, count(task.rowsRead), task.rowsRead);
    put(this.fields.rowsWritten, count(task.rowsWritten), task.rowsWritten);
    put(this.fields.readRate, rate(readRate), readRate);
    put(this.fields.writeRate, rate(writeRate), writeRate);
    put(this.fields.latency, seconds(task.commitLatencySeconds), task.commitLatencySeconds);
    put(this.fields.refused, count(task.rowsRefused), task.rowsRefused);
    if (this.fields.position.dataset.value !== (task.position || '')) {
      this.fields.position.replaceChildren(position(task.position));
      this.fields.position.dataset.value = task.position || '';
    }
    this.fields.positionTime.replaceChildren(time(task.positionTime));
    this.fields.committedAt.replaceChildren(time(task.committedAt));
    const states = Object.entries(task.tableStates || {});
    put(this.fields.tables, states.length ? states.map(([s, n]) => `${count(n)} ${s.toLowerCase()}`).join(', ') : DASH,
      states.reduce((sum, [, n]) => sum + n, 0));
    this.error.hidden = !task.lastError;
    this.error.textContent = task.lastError ? `Last error: ${task.lastError}` : '';
    // The slower-moving parts every 10 s (and at once on a new page).
    if (tick % 5 === 0) {
      [this.history] = await Promise.all([optional(taskPath('/history?minutes=60')), this.drawRestarts()]);
    }
    this.drawChart();
    await this.drawAlerts();
  },

  drawTimeline(task) {
    const steps = [['STARTING', 'Initialization'], ['FULL_LOAD', 'Full load'], ['STREAMING', 'Streaming']];
    const current = steps.findIndex(([phase]) => phase === task.phase);
    const items = steps.map(([phase, label], index) => {
      const status = current < 0 ? 'unknown' : index < current ? 'done' : index === current ? 'current' : 'next';
      return h('li', {class: status, 'aria-current': status === 'current' ? 'step' : null},
        h('span', {class: 'dot', 'aria-hidden': 'true'}), label,
        h('span', {class: 'sr-only'}, ` (${status === 'unknown' ? 'task not running' : status})`));
    });
    if (current < 0) {
      items.push(h('li', {class: 'current halted', 'aria-current': 'step'}, h('span', {class: 'dot', 'aria-hidden': 'true'}),
        task.phase === 'FAILED' ? 'Failed' : 'Stopped', task.stoppedAt ? [' at ', time(task.stoppedAt)] : null));
    }
    this.timeline.replaceChildren(...items);
  },

  /** The task's own history when its API keeps one, else what this page saw since it opened. */
  drawChart() {
    const history = fullEnough(this.history);
    const now = Date.now();
    const points = history ? historySeries(history).latency : samples.latency;
    Charts.line(this.chart, [{name: 'latency', points}], since(points, now), now, {format: seconds,
      label: 'Commit-to-visible latency, last hour', empty: 'no commit yet'});
    this.chart.dataset.source = history ? 'task history' : 'this page since it opened';
    const counts = history ? history.points.map(p => [Date.parse(p.at), p.rowsRead, p.rowsWritten]) : samples.counts;
    Charts.line(this.rates, rowRates(counts), since(counts, now), now, {format: n => numbers.format(Math.round(n)),
      label: 'Rows read and written per second, last hour', empty: 'no rows yet'});
  },

  async drawRestarts() {
    const answer = await call('/observe/metrics', {headers: {'Accept': '*/*'}});
    if (answer.status !== 200 || typeof answer.body !== 'string') return;
    const restarts = Metrics.value(answer.body, 'realtime_sync_engine_restarts_total', {task: state.task});
    put(this.fields.restarts, count(restarts), restarts);
  },

  async drawAlerts() {
    const history = await optional(taskPath('/alerts'));
    const open = history ? Alerts.open(history) : [];
    if (!history) {
      this.alerts.replaceChildren(h('p', {class: 'muted'}, DASH));
    } else if (!open.length) {
      this.alerts.replaceChildren(h('p', {class: 'muted'}, 'None.'));
    } else {
      this.alerts.replaceChildren(h('ul', {class: 'alerts'}, open.map(a => h('li', {},
        badge(a.level), ' ', h('strong', {}, a.rule), a.table ? ` on ${a.table}` : '', a.value ? ` (${a.value}` : '',
        a.value && a.threshold ? `, threshold ${a.threshold})` : a.value ? ')' : '', ' since ', time(a.since)))));
    }
  },
};

/** Every table: filter, sort, pages of PAGE_SIZE (only the shown rows are in the document), actions. */
pages.tables = {
  mount(main) {
    this.all = [];
    this.rows = new Map();
    this.first = 0;
    this.sort = {key: 'table', descending: false};
    this.filter = h('input', {type: 'search', id: 'tables-filter', placeholder: 'name, state or error',
      oninput: () => { this.first = 0; this.render(); }});
    this.stateFilter = h('select', {id: 'tables-state', onchange: () => { this.first = 0; this.render(); }}, h('option', {value: ''}, 'any state'));
    this.body = h('tbody', {id: 'tables-body'});
    this.head = h('tr', {});
    this.counter = h('span', {id: 'tables-count', class: 'muted'});
    this.previous = h('button', {type: 'button', id: 'tables-previous', onclick: () => { this.first -= PAGE_SIZE; this.render(); }}, '‹ Previous');
    this.next = h('button', {type: 'button', id: 'tables-next', onclick: () => { this.first += PAGE_SIZE; this.render(); }}, 'Next ›');
    const columns = [['table', 'Table'], ['state', 'State'], ['rows', 'Rows written'], ['load', 'Full load', false],
      ['latency', 'Latency'], ['position', 'Last position', false], ['updated', 'Updated'], ['error', 'Last error', false],
      ['actions', 'Actions', false]];
    this.head.replaceChildren(...columns.map(([key, label, sortable]) => sortable === false
      ? h('th', {scope: 'col'}, label)
      : h('th', {scope: 'col', dataset: {key}}, h('button', {type: 'button', class: 'sort', dataset: {sort: key},
        onclick: () => this.sortBy(key)}, label))));
    main.replaceChildren(
      h('h1', {tabindex: -1}, 'Tables of ', h('span', {class: 'name'}, state.task)),
      h('div', {class: 'controls'},
        h('label', {}, 'Filter ', this.filter), h('label', {}, 'State ', this.stateFilter),
        h('span', {class: 'pager'}, this.previous, this.counter, this.next)),
      h('div', {class: 'table-box'}, h('table', {class: 'tables'}, h('thead', {}, this.head), this.body)));
  },

  async update() {
    this.all = (await call(taskPath('/tables'))).body || [];
    const states = [...new Set(this.all.map(t => t.state).filter(Boolean))].sort();
    const known = [...this.stateFilter.options].slice(1).map(o => o.value);
    if (states.join() !== known.join()) {
      const chosen = this.stateFilter.value;
      this.stateFilter.replaceChildren(h('option', {value: ''}, 'any state'), ...states.map(s => h('option', {value: s}, s)));
      this.stateFilter.value = states.includes(chosen) ? chosen : '';
    }
    this.render();
  },

  sortBy(key) {
    this.sort = {key, descending: this.sort.key === key ? !this.sort.descending : key !== 'table' && key !== 'state'};
    this.first = 0;
    this.render();
  },

  value(table, key) {
    switch (key) {
      case 'state': return table.state || '';
      case 'rows': return table.rowsWritten ?? (table.fullLoad ? table.fullLoad.rowsCopied : -1);
      case 'latency': return table.commitLatencySeconds ?? -1;
      case 'updated': return table.updatedAt || table.since || '';
      default: return table.table;
    }
  },

  render() {
    const words = this.filter.value.trim().toLowerCase();
    const only = this.stateFilter.value;
    const shown = this.all.filter(t => (!only || t.state === only)
      && (!words || [t.table, t.state, t.reason, t.lastError].some(v => v && String(v).toLowerCase().includes(words))));
    const {key, descending} = this.sort;
    shown.sort((a, b) => {
      const x = this.value(a, key), y = this.value(b, key);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return (descending ? -order : order) || a.table.localeCompare(b.table);
    });
    this.first = Math.max(0, Math.min(this.first, Math.floor(Math.max(0, shown.length - 1) / PAGE_SIZE) * PAGE_SIZE));
    const page = shown.slice(this.first, this.first + PAGE_SIZE);
    this.counter.textContent = shown.length
      ? `${count(this.first + 1)}–${count(this.first + page.length)} of ${count(shown.length)}${shown.length < this.all.length ? ` (${count(this.all.length)} in all)` : ''}`
      : `none of ${count(this.all.length)}`;
    this.previous.disabled = this.first === 0;
    this.next.disabled = this.first + PAGE_SIZE >= shown.length;
    for (const th of this.head.children) {
      if (th.dataset.key) th.setAttribute('aria-sort', th.dataset.key === key ? (descending ? 'descending' : 'ascending') : 'none');
    }
    // Rows are kept by table and only their cells change, so focus and the page's place stay while it updates.
    const wanted = new Set(page.map(t => t.table));
    for (const [name, row] of this.rows) {
      if (!wanted.has(name)) {
        row.remove();
        this.rows.delete(name);
      }
    }
    page.forEach((table, index) => {
      let row = this.rows.get(table.table);
      if (!row) {
        row = h('tr', {dataset: {table: table.table}});
        this.rows.set(table.table, row);
      }
      this.fill(row, table);
      if (this.body.children[index] !== row) this.body.insertBefore(row, this.body.children[index] || null);
    });
  },

  /** Fills a row's cells; a cell changes only when what it shows changed, so buttons stay put while the list updates. */
  fill(row, table) {
    if (!row.firstChild) {
      row.append(h('th', {scope: 'row'}), h('td', {class: 'state'}), h('td', {class: 'number rows'}), h('td', {class: 'load'}),
        h('td', {class: 'number latency'}), h('td', {class: 'position'}), h('td', {class: 'updated'}), h('td', {class: 'error'}),
        h('td', {class: 'actions-cell'}));
    }
    const cells = row.children;
    const set = (index, shown, build) => {
      const cell = cells[index];
      const signature = JSON.stringify(shown === undefined ? null : shown);
      if (cell.dataset.signature === signature) return;
      cell.dataset.signature = signature;
      const focused = cell.contains(document.activeElement) ? document.activeElement.dataset.action : null;
      cell.replaceChildren(...[].concat(build()).filter(c => c !== null && c !== undefined));
      if (focused) {
        const again = cell.querySelector(`[data-action="${focused}"]`) || cell.querySelector('button');
        if (again) again.focus();
      }
    };
    set(0, table.table, () => h('a', {href: hash('table', table.table)}, table.table));
    set(1, [table.state, table.reason], () => [badge(table.state), table.reason ? h('span', {class: 'reason'}, table.reason) : null]);
    cells[1].title = table.reason || '';
    set(2, table.rowsWritten, () => count(table.rowsWritten));
    cells[2].dataset.value = table.rowsWritten ?? '';
    set(3, table.fullLoad, () => progress(table.fullLoad));
    set(4, table.commitLatencySeconds, () => seconds(table.commitLatencySeconds));
    cells[4].dataset.value = table.commitLatencySeconds ?? '';
    set(5, [table.position, table.positionTime], () => [position(table.position), table.positionTime ? h('br') : null,
      table.positionTime ? time(table.positionTime) : null]);
    set(6, table.updatedAt, () => time(table.updatedAt || null));
    set(7, table.lastError, () => table.lastError || h('span', {class: 'muted'}, DASH));
    set(8, [table.state, !!(table.fullLoad && !table.fullLoad.done)], () => actions(table));
  },
};

/** One table: its figures, actions, latency chart, schema changes, refused rows, column mapping. */
pages.table = {
  mount(main, route) {
    this.table = route.table;
    this.facts = h('dl', {class: 'cards', id: 'table-facts'});
    this.actions = h('div', {class: 'toolbar'});
    this.chart = h('div', {class: 'chart-box', id: 'table-latency-chart'});
    this.changes = h('div', {id: 'table-schema-changes'});
    this.refused = h('div', {id: 'table-refused'});
    this.mapping = h('div', {id: 'table-mapping'});
    main.replaceChildren(
      h('p', {class: 'crumbs'}, h('a', {href: hash('tables')}, '‹ Tables')),
      h('h1', {tabindex: -1}, 'Table ', h('span', {class: 'name'}, this.table)),
      this.actions, this.facts,
      h('section', {}, h('h2', {}, 'Commit-to-visible latency, last hour'), this.chart),
      h('section', {}, h('h2', {}, 'Schema changes'), this.changes),
      h('section', {}, h('h2', {}, 'Refused rows'), this.refused),
      h('section', {}, h('h2', {}, 'Columns: source → target'), this.mapping));
    this.latency = [];
    this.history = null;
  },

  async update(tick) {
    const answer = await call(tablePath(this.table));
    if (answer.status !== 200) {
      this.facts.replaceChildren(h('p', {class: 'error'}, (answer.body && answer.body.message) || `no table ${this.table}`));
      return;
    }
    const table = answer.body;
    const signature = JSON.stringify([table.state, table.fullLoad && table.fullLoad.done]);
    if (this.actions.dataset.signature !== signature) {
      const focused = this.actions.contains(document.activeElement) ? document.activeElement.dataset.action : null;
      this.actions.dataset.signature = signature;
      this.actions.replaceChildren(actions(table));
      const again = focused && this.actions.querySelector(`[data-action="${focused}"]`);
      if (again) again.focus();
    }
    const fact = (label, value, id) => h('div', {class: 'card'}, h('dt', {}, label), h('dd', {id}, value));
    this.facts.replaceChildren(
      fact('State', [badge(table.state), table.reason ? h('span', {class: 'reason'}, ` ${table.reason}`) : null], 'table-state'),
      fact('Since', time(table.since)),
      fact('Rows written', count(table.rowsWritten), 'table-rows-written'),
      fact('Rows refused', count(table.rowsRefused)),
      fact('Commit to visible', seconds(table.commitLatencySeconds)),
      fact('Last position', position(table.position)),
      fact('Its source time', time(table.positionTime)),
      fact('Updated', time(table.updatedAt)),
      fact('Full load', progress(table.fullLoad)),
      fact('Last error', table.lastError || DASH));
    this.latency.push([Date.now(), table.commitLatencySeconds]);
    if (tick % 5 === 0) {
      const [history, changes, refused, mapping] = await Promise.all([
        optional(tablePath(this.table, '/history?minutes=60')), optional(tablePath(this.table, '/schema-changes')),
        optional(tablePath(this.table, '/refused')), optional(tablePath(this.table, '/mapping'))]);
      this.history = history;
      this.changes.replaceChildren(list(changes, ['When', 'Change', 'Description', 'Policy', 'Outcome'],
        c => [time(c.at), c.kind, c.description, c.policy, c.outcome], 'No schema change seen.'));
      this.refused.replaceChildren(list(refused, ['When', 'Reason', 'Row'],
        r => [time(r.at), r.reason, h('code', {}, r.key !== null && r.key !== undefined ? JSON.stringify(r.key)
          : r.row !== null && r.row !== undefined ? JSON.stringify(r.row) : DASH)],
        'No refused row.'));
      this.mapping.replaceChildren(list(mapping, ['Source column', 'Source type', '', 'Target column', 'Target type'],
        m => [m.sourceColumn, m.sourceType, '→', m.targetColumn, m.targetType], 'No column known yet.'));
    }
    const now = Date.now();
    const history = fullEnough(this.history);
    const points = history ? historySeries(history).latency : this.latency;
    Charts.line(this.chart, [{name: 'latency', points}], since(points, now), now, {format: seconds, label: `Latency of ${this.table}, last hour`, empty: 'no commit yet'});
  },
};

/** A table of items, or a line saying there are none, or a dash when the task's API does not say. */
function list(items, headings, cells, none) {
  if (!items) return h('p', {class: 'muted'}, DASH);
  if (!items.length) return h('p', {class: 'muted'}, none);
  return h('div', {class: 'table-box'}, h('table', {class: 'plain'},
    h('thead', {}, h('tr', {}, headings.map(text => h('th', {scope: 'col'}, text)))),
    h('tbody', {}, items.map(item => h('tr', {}, cells(item).map(cell => h('td', {}, cell ?? DASH)))))));
}

/** The alerts the task's rules sent, newest first, and the rules that apply to it as configured, with their last state. */
pages.alerts = {
  mount(main) {
    this.open = h('div', {id: 'alerts-open'});
    this.rules = h('div', {id: 'alerts-rules'});
    this.history = h('div', {id: 'alerts-history'});
    main.replaceChildren(h('h1', {tabindex: -1}, 'Alerts of ', h('span', {class: 'name'}, state.task)),
      h('section', {}, h('h2', {}, 'Open'), this.open),
      h('section', {}, h('h2', {}, 'Rules'), this.rules),
      h('section', {}, h('h2', {}, 'History'), this.history));
  },

  async update() {
    const [history, configured] = await Promise.all([optional(taskPath('/alerts')), optional(taskPath('/alert-rules'))]);
    const signature = JSON.stringify([history, configured]);
    if (this.signature === signature) return;
    this.signature = signature;
    const sent = history || [];
    this.open.replaceChildren(list(history && Alerts.open(sent), ['Since', 'Level', 'Rule', 'Table', 'Value', 'Threshold'],
      a => [time(a.since), badge(a.level), a.rule, a.table || DASH, a.value || DASH, a.threshold || DASH], 'None.'));
    const last = Alerts.rules(sent);
    this.rules.replaceChildren(list(configured, ['Rule set', 'Rule', 'On', 'Level', 'Settings', 'Channels', 'Now', 'Last alert', 'Last recovery'],
      r => {
        const seen = last.get(r.rule) || {};
        return [r.ruleSet, r.rule, r.enabled ? 'on' : 'off', badge(r.level), Alerts.settings(r.settings), (r.channels || []).join(', ') || DASH,
          !seen.alerted ? DASH : seen.open ? badge('FIRING') : badge('OK'), time(seen.alerted), time(seen.recovered)];
      },
      'No alert rule set applies to this task (docs/alerting-rules.md).'));
    this.history.replaceChildren(list(history && [...sent].reverse(), ['Sent', 'Level', 'Rule', 'Table', 'What', 'Value', 'Threshold', 'Action'],
      a => [time(a.sent), badge(a.level), a.rule, a.table || DASH, a.recovery ? 'recovered' : 'alert', a.value || DASH,
        a.threshold || DASH, a.action || DASH], 'No alert sent.'));
  },
};

/** The task's YAML as the API gives it (secrets masked by the task). */
pages.configuration = {
  mount(main) {
    this.text = h('pre', {id: 'configuration-yaml', class: 'yaml', tabindex: 0}, DASH);
    main.replaceChildren(h('h1', {tabindex: -1}, 'Configuration of ', h('span', {class: 'name'}, state.task)),
      h('p', {class: 'muted'}, 'As the task runs it; passwords and other secrets are masked.'), this.text);
  },

  async update(tick) {
    if (tick % 5 !== 0) return;
    const configuration = await optional(taskPath('/configuration'));
    const text = configuration && typeof configuration.yaml === 'string' ? configuration.yaml : DASH;
    if (this.text.textContent !== text) this.text.textContent = text;
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// Alerts and metrics from their raw forms

const Alerts = {
  /** The alerts whose rule (on its table) has sent no recovery since. */
  open(history) {
    const last = new Map();
    for (const entry of history) last.set(`${entry.rule}\u0000${entry.table || ''}`, entry);
    return [...last.values()].filter(entry => !entry.recovery);
  },

  /** Per rule: when it last alerted and recovered (on any table), and whether an alert of it is still open. */
  rules(history) {
    const rules = new Map();
    for (const entry of history) {
      const rule = rules.get(entry.rule) || {open: new Set()};
      if (entry.recovery) {
        rule.recovered = entry.sent;
        rule.open.delete(entry.table || '');
      } else {
        rule.alerted = entry.sent;
        rule.open.add(entry.table || '');
      }
      rules.set(entry.rule, rule);
    }
    for (const rule of rules.values()) rule.open = rule.open.size > 0;
    return rules;
  },

  /** A rule's parameters as name=value, one per line; a list may break after its commas. */
  settings(settings) {
    const pairs = Object.entries(settings || {}).map(([name, value]) =>
      h('code', {}, `${name}=`, String(value ?? DASH).split(',').flatMap((part, i) => i ? [',', h('wbr'), part] : [part])));
    return pairs.length ? h('span', {class: 'settings'}, pairs) : DASH;
  },
};

const Metrics = {
  /** The sum of a Prometheus metric's samples whose labels include all of the given ones (null when none). */
  value(text, name, labels) {
    let sum = null;
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      const match = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!match) continue;
      const found = {};
      for (const m of (match[1] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
        found[m[1]] = m[2].replace(/\\(.)/g, (_, c) => c === 'n' ? '\n' : c);
      }
      if (Object.entries(labels).every(([k, v]) => found[k] === v)) sum = (sum || 0) + Number(match[2]);
    }
    return sum;
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// Sign-in, routing and the polling loop

function signIn(message) {
  stop();
  state.signedIn = false;
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  live('');
  const token = h('input', {type: 'password', id: 'sign-in-token', name: 'token', autocomplete: 'off', required: true,
    spellcheck: 'false'});
  const problem = h('p', {id: 'sign-in-problem', class: 'error', role: 'alert'}, message || '');
  const form = h('form', {class: 'sign-in', id: 'sign-in', onsubmit: async event => {
    event.preventDefault();
    const answer = await call('/console/session', {method: 'POST', headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
      body: JSON.stringify({token: token.value})});
    token.value = '';
    if (answer.status === 200) {
      start();
    } else {
      problem.textContent = answer.status === 401
        ? 'Wrong token. Use the token in the file the task\'s log names (or the value of REALTIME_SYNC_TOKEN).'
        : `Cannot sign in: ${(answer.body && answer.body.message) || answer.status}`;
      token.focus();
    }
  }},
  h('h1', {}, 'Sign in'),
  h('p', {}, 'The console shows this task with the operator API\'s token. Without REALTIME_SYNC_TOKEN, the task writes it to a file ',
    'readable only by its user and logs the file\'s path (by default ~/.realtime-sync/token-PORT).'),
  h('label', {for: 'sign-in-token'}, 'Token'), token, problem,
  h('button', {type: 'submit', class: 'primary', id: 'sign-in-submit'}, 'Sign in'));
  document.getElementById('main').replaceChildren(form);
  token.focus();
}

async function signOut() {
  stop();
  await fetch('/console/session', {method: 'DELETE', credentials: 'same-origin'}).catch(() => null);
  signIn('Signed out.');
}

/** The route of the address's hash: #/tasks/T[/tables[/TABLE]|/alerts|/configuration]. */
function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'tasks' || !parts[1]) return {page: 'task', task: null};
  if (parts[2] === 'tables' && parts[3]) return {page: 'table', task: parts[1], table: parts.slice(3).join('/')};
  return {page: ['tables', 'alerts', 'configuration'].includes(parts[2]) ? parts[2] : 'task', task: parts[1]};
}

async function start() {
  let tasks;
  try {
    tasks = (await call('/api/tasks')).body;
  } catch (e) {
    if (!(e instanceof SignedOut)) setTimeout(start, POLL_MS);
    return;
  }
  state.signedIn = true;
  state.tasks = (tasks || []).map(t => t.name);
  document.getElementById('nav').hidden = false;
  document.getElementById('sign-out').hidden = false;
  const choice = document.getElementById('task-choice');
  choice.replaceChildren(...state.tasks.map(name => h('option', {value: name}, name)));
  choice.parentElement.hidden = state.tasks.length < 2;
  show();
}

function show() {
  if (!state.signedIn) return;
  const wanted = route();
  if (!wanted.task || !state.tasks.includes(wanted.task)) {
    if (!state.tasks.length) {
      document.getElementById('main').replaceChildren(h('h1', {}, 'No task'), h('p', {}, 'This process runs no task yet.'));
      return;
    }
    location.replace(`#/tasks/${enc(wanted.task && state.tasks.includes(wanted.task) ? wanted.task : state.tasks[0])}`);
    return;
  }
  if (state.task !== wanted.task) samples.reset();
  state.task = wanted.task;
  document.getElementById('task-choice').value = state.task;
  for (const link of document.querySelectorAll('#nav a[data-page]')) {
    link.href = hash(link.dataset.page);
    const current = link.dataset.page === wanted.page || (link.dataset.page === 'tables' && wanted.page === 'table');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  stop();
  state.page = pages[wanted.page];
  const main = document.getElementById('main');
  state.page.mount(main, wanted);
  document.title = `${document.querySelector('main h1').textContent} · realtime-sync`;
  state.ticks = 0;
  refresh();
  state.timer = setInterval(refresh, POLL_MS);
}

function stop() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

/** One poll of the shown page; a poll still running is not overtaken. */
async function refresh() {
  if (state.busy || !state.page) return;
  state.busy = true;
  const page = state.page;
  try {
    await page.update(state.ticks++);
    if (page === state.page) live(`Live · updated ${new Date().toLocaleTimeString('en-GB')}`);
  } catch (e) {
    if (!(e instanceof SignedOut) && !(e instanceof TypeError)) live(`Cannot update: ${e.message}`, true);
  } finally {
    state.busy = false;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-out').addEventListener('click', signOut);
  document.getElementById('task-choice').addEventListener('change', event => {
    location.hash = `#/tasks/${enc(event.target.value)}`;
  });
  // Enter in the WHERE field confirms (the form's first button, Cancel, would otherwise take it).
  document.getElementById('confirm-where').addEventListener('keydown', event => {
    if (event.key === 'Enter') {
      event.preventDefault();
      document.getElementById('confirm-ok').click();
    }
  });
  window.addEventListener('hashchange', show);
  start();
});
