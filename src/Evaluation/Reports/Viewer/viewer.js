// EvalCluster run viewer: everything runs from disk (file://). Samples come from viewer/*.js side files, loaded with
// <script src> on demand (file:// forbids fetch of JSON), 50 rows per page; only the chunks a page needs are loaded.
'use strict';
const EVC = (() => {
  const PAGE = 50;
  const state = { page: 0, selected: -1, search: 0 };
  const chunks = new Map();
  const waiting = new Map();
  let idx = null;
  let byProblem = null;
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };

  function index(data) {
    idx = data;
    byProblem = new Map();
    for (let i = 0; i < idx.t.length; i++) {
      const key = idx.t[i] + '|' + idx.p[i];
      if (!byProblem.has(key)) byProblem.set(key, []);
      byProblem.get(key).push(i);
    }
    fill($('f-task'), idx.tasks);
    fill($('f-arm'), idx.arms);
    for (const id of ['f-task', 'f-arm', 'f-result']) $(id).addEventListener('change', () => { state.page = 0; render(); });
    for (const id of ['f-problem', 'f-text']) $(id).addEventListener('input', () => { state.page = 0; render(); });
    $('prev').addEventListener('click', () => { if (state.page > 0) { state.page--; render(); } });
    $('next').addEventListener('click', () => { state.page++; render(); });
    // report.html#row=N opens sample N of the index (a link to one sample).
    const linked = /row=(\d+)/.exec(location.hash);
    render().then(() => (linked && +linked[1] < idx.t.length ? show(+linked[1]).then(() => $('detail').scrollIntoView()) : null))
      .then(() => { document.body.dataset.ready = '1'; });
  }

  function fill(select, names) {
    names.forEach((n, i) => { const o = el('option', '', n); o.value = String(i); select.appendChild(o); });
  }

  function chunk(id, data) {
    chunks.set(id, data);
    const w = waiting.get(id);
    if (w) { waiting.delete(id); w.resolve(data); }
  }

  function load(id) {
    if (chunks.has(id)) return Promise.resolve(chunks.get(id));
    if (waiting.has(id)) return waiting.get(id).promise;
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    waiting.set(id, { promise, resolve });
    const s = document.createElement('script');
    s.src = 'viewer/samples-' + String(id).padStart(5, '0') + '.js';
    s.onerror = () => { waiting.delete(id); reject(new Error('cannot load ' + s.src + '; keep the viewer folder next to report.html')); };
    document.body.appendChild(s);
    return promise;
  }

  async function record(i) {
    const c = await load(Math.floor(i / idx.chunk));
    const r = c.r[i % idx.chunk];
    return { i, prompt: c.p[r[0]], response: r[1], sources: r[2], scores: r[3], ends: r[4], error: r[5], takeovers: r[6], tokens: r[7], rho: r[8] };
  }

  // Rows that pass the index-level filters (task, arm, result, problem); text search needs the chunks.
  function filtered() {
    const task = $('f-task').value, arm = $('f-arm').value, result = $('f-result').value, problem = $('f-problem').value.trim();
    const rows = [];
    for (let i = 0; i < idx.t.length; i++) {
      if (task !== '' && idx.t[i] !== +task) continue;
      if (arm !== '' && idx.a[i] !== +arm) continue;
      if (result !== '' && idx.c[i] !== +result) continue;
      if (problem !== '' && !idx.problems[idx.p[i]].includes(problem)) continue;
      rows.push(i);
    }
    return rows;
  }

  async function render() {
    const run = ++state.search;
    let rows = filtered();
    const text = $('f-text').value.trim().toLowerCase();
    if (text !== '') {
      // Scan chunk by chunk until the page is full; a newer keystroke abandons this scan.
      const need = (state.page + 1) * PAGE + 1, hits = [];
      for (let k = 0; k < rows.length && hits.length < need; k++) {
        const r = await record(rows[k]);
        if (run !== state.search) return;
        if (r.response.toLowerCase().includes(text) || r.prompt.toLowerCase().includes(text) || idx.x[rows[k]].toLowerCase().includes(text)) hits.push(rows[k]);
        if (k % 200 === 0) $('status').textContent = 'searching ' + k + ' / ' + rows.length + ' samples';
      }
      $('status').textContent = '';
      rows = hits;
    }
    if (run !== state.search) return;
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    const body = $('list').tBodies[0];
    body.replaceChildren();
    for (const i of rows.slice(state.page * PAGE, (state.page + 1) * PAGE)) {
      const tr = el('tr');
      tr.dataset.row = String(i);
      if (i === state.selected) tr.className = 'sel';
      const result = idx.c[i] === 1 ? ['ok', 'correct'] : idx.c[i] === 2 ? ['fail', 'failed'] : ['bad', 'wrong'];
      for (const [cls, v] of [['l', idx.tasks[idx.t[i]]], ['l', idx.arms[idx.a[i]]], ['l', idx.problems[idx.p[i]]], ['', String(idx.s[i])],
        [result[0], result[1]], ['l', idx.x[i]], ['l', idx.gold[idx.p[i]]], ['', pct(idx.rho[i], 2)]]) {
        tr.appendChild(el('td', cls, v));
      }
      tr.addEventListener('click', () => show(i));
      body.appendChild(tr);
    }
    $('count').textContent = rows.length + (text !== '' && rows.length >= (state.page + 1) * PAGE + 1 ? '+' : '') + ' samples';
    $('page').textContent = 'page ' + (state.page + 1) + ' / ' + pages;
  }

  function pct(v, digits) { return (100 * v).toFixed(digits) + '%'; }

  function half(bytes, k) {
    const h = bytes[2 * k] | (bytes[2 * k + 1] << 8);
    const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
    if (e === 0) return s * Math.pow(2, -14) * (f / 1024);
    if (e === 31) return f ? NaN : s * Infinity;
    return s * Math.pow(2, e - 15) * (1 + f / 1024);
  }

  // The response as one span per token: guide-written tokens outlined, the disagreement score as background.
  function tokens(r) {
    const box = el('div', 'resp');
    if (!r.sources || !r.ends) { box.textContent = r.response; return box; }
    const bytes = Uint8Array.from(atob(r.scores || ''), (ch) => ch.charCodeAt(0));
    // A response the guide wrote entirely (the guide arm) has no takeovers to point out.
    const mark = r.sources.includes('b');
    let start = 0;
    for (let k = 0; k < r.ends.length; k++) {
      const span = el('span', 'tok' + (mark && r.sources[k] === 'g' ? ' g' : ''), r.response.slice(start, r.ends[k]));
      const score = 2 * k + 1 < bytes.length ? half(bytes, k) : NaN;
      if (Number.isFinite(score)) {
        span.style.background = 'rgba(255,110,0,' + Math.min(0.9, Math.max(0.05, score / idx.scale)).toFixed(3) + ')';
        span.title = 'token ' + k + (r.sources[k] === 'g' ? ' (guide)' : ' (base)') + ', score ' + score.toFixed(3);
      } else {
        span.title = 'token ' + k + (r.sources[k] === 'g' ? ' (guide)' : ' (base)') + ', guide not consulted';
      }
      box.appendChild(span);
      start = r.ends[k];
    }
    if (start < r.response.length) box.appendChild(document.createTextNode(r.response.slice(start)));
    return box;
  }

  function card(r, title) {
    const d = el('div');
    d.dataset.row = String(r.i);
    const i = r.i;
    const verdict = idx.c[i] === 1 ? ['ok', 'correct'] : idx.c[i] === 2 ? ['fail', 'failed'] : ['bad', 'wrong'];
    const h = el('h3', '', title + ' ');
    h.appendChild(el('span', verdict[0], verdict[1]));
    d.appendChild(h);
    d.appendChild(el('p', '', 'extracted: ' + (idx.x[i] || '(none)') + ' | gold: ' + idx.gold[idx.p[i]] + ' | takeovers ' + r.takeovers + ' of ' + r.tokens + ' tokens (rho ' + pct(r.rho, 2) + ')'));
    if (r.error) d.appendChild(el('p', 'fail', 'error: ' + r.error));
    d.appendChild(tokens(r));
    return d;
  }

  async function show(i) {
    state.selected = i;
    for (const tr of $('list').tBodies[0].rows) tr.className = +tr.dataset.row === i ? 'sel' : '';
    const detail = $('detail');
    detail.dataset.ready = '';
    const r = await record(i);
    const same = byProblem.get(idx.t[i] + '|' + idx.p[i]).filter((j) => j !== i && idx.s[j] === idx.s[i]).sort((x, y) => idx.a[x] - idx.a[y]);
    const others = await Promise.all(same.map(record));
    detail.replaceChildren();
    detail.appendChild(el('h2', '', idx.tasks[idx.t[i]] + ' / ' + idx.problems[idx.p[i]] + ' / sample ' + idx.s[i] + ' / ' + idx.arms[idx.a[i]]));
    detail.appendChild(el('h3', '', 'Prompt'));
    detail.appendChild(el('pre', '', r.prompt));
    const legend = el('p', 'legend', 'Guide-written tokens are outlined in purple; background = disagreement score (0 to ' + idx.scale.toFixed(2) + ', the 99th percentile of the run) ');
    legend.appendChild(el('span', 'swatch'));
    detail.appendChild(legend);
    const side = el('div', 'side');
    side.appendChild(card(r, idx.arms[idx.a[i]]));
    for (const o of others) side.appendChild(card(o, idx.arms[idx.a[o.i]]));
    detail.appendChild(el('h3', '', 'Responses of this problem (sample ' + idx.s[i] + ') in ' + (1 + others.length) + ' arms'));
    detail.appendChild(side);
    detail.dataset.ready = '1';
  }

  window.addEventListener('error', (e) => { $('status').textContent = 'error: ' + e.message; });
  return { index, chunk, show };
})();
