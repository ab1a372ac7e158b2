// sluice docs: a single-page app over window.SLUICE_DOCS (written by DocsGenerator into data.js).
// Every piece of project text goes into the page through text nodes or attribute setters, never
// through innerHTML, so descriptions and SQL cannot inject markup.
(function () {
  'use strict';

  const D = window.SLUICE_DOCS;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const TYPE_ORDER = ['model', 'snapshot', 'seed', 'source'];
  const TYPE_COLOUR = { model: '#2563eb', seed: '#0d9488', source: '#7c3aed', snapshot: '#db2777', test: '#64748b' };

  // ---- small DOM helpers -------------------------------------------------------------------

  function append(parent, kids) {
    for (const k of kids) {
      if (k === null || k === undefined || k === false) continue;
      if (Array.isArray(k)) append(parent, k);
      else if (k instanceof Node) parent.appendChild(k);
      else parent.appendChild(document.createTextNode(String(k)));
    }
    return parent;
  }

  function setAttrs(e, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, String(v));
    }
    return e;
  }

  function el(tag, attrs, ...kids) {
    return append(setAttrs(document.createElement(tag), attrs), kids);
  }

  function svg(tag, attrs, ...kids) {
    return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), kids);
  }

  function fmtSec(s) {
    if (s === null || s === undefined) return '';
    return s >= 10 ? s.toFixed(1) + 's' : s.toFixed(2) + 's';
  }

  function pct(x) {
    return (x * 100).toFixed(1) + '%';
  }

  function num(x) {
    if (x === null || x === undefined) return '–';
    return Math.abs(x) >= 1000 || Number.isInteger(x) ? x.toLocaleString('en-US', { maximumFractionDigits: 1 }) : x.toFixed(2);
  }

  function statusClass(s) {
    return String(s || 'not run').toLowerCase().replace(/[^a-z]+/g, '-');
  }

  function badge(text, cls) {
    return el('span', { class: 'badge ' + (cls || statusClass(text)) }, text);
  }

  function truncate(s, n) {
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }

  // ---- data indexes ------------------------------------------------------------------------

  const nodes = new Map(D.nodes.map(n => [n.id, n]));
  const tests = new Map(D.tests.map(t => [t.id, t]));
  const nodeHref = id => '#/node/' + encodeURIComponent(id);
  const nodeLink = id => {
    const n = nodes.get(id);
    return n ? el('a', { href: nodeHref(id) }, n.name) : el('span', { class: 'mono' }, id);
  };

  // ---- shell -------------------------------------------------------------------------------

  const app = document.getElementById('app');
  app.textContent = '';
  const navItems = [['overview', 'Overview'], ['lineage', 'Lineage'], ['columns', 'Column lineage'],
    ['tests', 'Tests'], ['timings', 'Timings'], ['insights', 'Insights']];
  const navLinks = navItems.map(([key, label]) => el('a', { href: '#/' + key, 'data-key': key }, label));
  const runInfo = D.run.available ? 'last run ' + (D.run.generated_at || '').replace('T', ' ').slice(0, 19) : 'no run results';
  app.appendChild(el('header', { class: 'top' },
    el('div', { class: 'brand' }, D.project, el('span', null, 'sluice docs')),
    el('nav', null, navLinks),
    el('div', { class: 'meta' }, (D.adapter ? D.adapter + ' · ' : '') + runInfo)));

  const search = el('input', { type: 'search', placeholder: 'Search models, columns, tags…', 'aria-label': 'Search' });
  const list = el('div', { id: 'model-list' });
  app.appendChild(el('aside', { class: 'side' }, search, list));
  const main = el('main');
  app.appendChild(main);

  function matches(n, q) {
    if (!q) return true;
    const hay = [n.name, n.id, n.description, (n.tags || []).join(' '), n.columns.map(c => c.name).join(' ')]
      .join(' ').toLowerCase();
    return q.split(/\s+/).every(w => hay.includes(w));
  }

  function renderList(currentId) {
    const q = search.value.trim().toLowerCase();
    list.textContent = '';
    const types = [...new Set(D.nodes.map(n => n.type))]
      .sort((a, b) => (TYPE_ORDER.indexOf(a) + 99) % 99 - (TYPE_ORDER.indexOf(b) + 99) % 99 || a.localeCompare(b));
    let shown = 0;
    for (const type of types) {
      const items = D.nodes.filter(n => n.type === type && matches(n, q)).sort((a, b) => a.name.localeCompare(b.name));
      if (!items.length) continue;
      shown += items.length;
      list.appendChild(el('h4', null, type + 's (' + items.length + ')'));
      list.appendChild(el('ul', null, items.map(n => el('li', null,
        el('a', { href: nodeHref(n.id), class: n.id === currentId ? 'current' : null, title: n.description || n.id, 'data-node-id': n.id },
          el('span', { class: 'dot ' + n.type }), n.name)))));
    }
    if (!shown) list.appendChild(el('div', { class: 'empty' }, 'Nothing matches.'));
  }
  search.addEventListener('input', () => renderList(currentRoute().id));

  // ---- routing -----------------------------------------------------------------------------

  function currentRoute() {
    const h = location.hash.replace(/^#\/?/, '');
    const slash = h.indexOf('/');
    const page = (slash < 0 ? h : h.slice(0, slash)) || 'overview';
    let id = null;
    if (slash >= 0) {
      try { id = decodeURIComponent(h.slice(slash + 1)); } catch (e) { id = null; }
    }
    return { page, id };
  }

  function render() {
    const r = currentRoute();
    for (const a of navLinks) a.classList.toggle('active', a.dataset.key === (r.page === 'node' ? '' : r.page));
    renderList(r.page === 'node' ? r.id : null);
    main.textContent = '';
    const pages = { overview, node: nodePage, lineage: lineagePage, columns: columnPage, tests: testsPage, timings: timingsPage, insights: insightsPage };
    (pages[r.page] || overview)(r.id);
    main.scrollTop = 0;
  }
  window.addEventListener('hashchange', render);

  // ---- overview ----------------------------------------------------------------------------

  function overview() {
    const count = t => D.nodes.filter(n => n.type === t).length;
    const passed = D.tests.filter(t => t.status === 'pass').length;
    const failed = D.tests.filter(t => t.status === 'fail' || t.status === 'error').length;
    main.appendChild(el('h1', null, D.project));
    main.appendChild(el('div', { class: 'sub' }, 'Generated ' + (D.generated_at || '').replace('T', ' ').slice(0, 19) +
      (D.run.available ? ' · last ' + (D.run.command || 'run') + ' took ' + fmtSec(D.run.elapsed_time) : '')));
    const runTags = Object.entries((D.run && D.run.tags) || {});
    if (runTags.length) main.appendChild(el('div', { class: 'sub run-tags' }, 'Run tags: ' + runTags.map(([k, v]) => k + '=' + v).join(', ')));
    const card = (n, l) => el('div', { class: 'card' }, el('div', { class: 'n' }, n), el('div', { class: 'l' }, l));
    main.appendChild(el('div', { class: 'cards' }, card(count('model'), 'models'), card(count('source'), 'sources'),
      card(count('seed'), 'seeds'), card(D.tests.length, 'tests'), card(passed, 'tests passed'), card(failed, 'tests failing')));
    main.appendChild(el('h2', null, 'Lineage'));
    main.appendChild(dagGraph(null));
    const models = D.nodes.filter(n => n.type === 'model').sort((a, b) => a.name.localeCompare(b.name));
    if (models.length) {
      main.appendChild(el('h2', null, 'Models'));
      main.appendChild(el('table', null,
        el('tr', null, el('th', null, 'Model'), el('th', null, 'Materialized'), el('th', null, 'Description'), el('th', null, 'Status')),
        models.map(n => el('tr', null, el('td', null, nodeLink(n.id)), el('td', null, n.materialized || ''),
          el('td', { class: 'desc' }, n.description ? truncate(n.description, 160) : el('span', { class: 'none' }, 'No description')),
          el('td', null, n.status ? badge(n.status) : '')))));
    }
  }

  // ---- node page ---------------------------------------------------------------------------

  function nodePage(id) {
    const n = nodes.get(id);
    if (!n) {
      main.appendChild(el('h1', null, 'Not found'));
      main.appendChild(el('p', null, 'No node ', el('code', null, id || ''), ' in this project.'));
      return;
    }
    main.appendChild(el('h1', null, n.name, badge(n.type, 't-' + n.type), n.materialized ? badge(n.materialized, 'm') : null,
      n.status ? badge(n.status) : null));
    main.appendChild(el('div', { class: 'links' },
      el('a', { href: '#/lineage/' + encodeURIComponent(n.id) }, 'Show in lineage graph'),
      el('a', { href: '#/columns/' + encodeURIComponent(n.id) }, 'Column lineage')));

    main.appendChild(el('h2', null, 'Description'));
    main.appendChild(el('div', { class: 'panel desc' }, n.description || el('span', { class: 'none' }, 'No description.')));

    main.appendChild(el('h2', null, 'Details'));
    const kv = [['Unique id', el('code', null, n.id)], ['Relation', el('code', null, n.relation || '')], ['File', n.path || ''],
      ['Tags', (n.tags || []).length ? n.tags.map(t => badge(t, 'tag')) : ''],
      ['Last run', n.status ? [badge(n.status), ' ', fmtSec(n.execution_time), ' ', n.message || ''] : 'not run']];
    main.appendChild(el('div', { class: 'panel kv' }, kv.map(([k, v]) => [el('div', null, k), el('div', null, v)])));

    const colTests = {};
    for (const tid of n.tests) {
      const t = tests.get(tid);
      if (t && t.column) (colTests[t.column] = colTests[t.column] || []).push(t);
    }
    main.appendChild(el('h2', null, 'Columns (' + n.columns.length + ')'));
    if (n.columns.length) {
      main.appendChild(el('table', null,
        el('tr', null, ['Column', 'Type', 'Description', 'Upstream', 'Tests'].map(h => el('th', null, h))),
        n.columns.map(c => el('tr', null,
          el('td', null, el('code', null, c.name)),
          el('td', null, c.data_type || ''),
          el('td', { class: 'desc' }, c.description || ''),
          el('td', null, ((n.column_lineage || {})[c.name] || []).map(u => el('div', null,
            u.node ? el('a', { href: nodeHref(u.node) }, nodes.get(u.node).name + '.' + u.column) : el('code', null, u.ref)))),
          el('td', null, (colTests[c.name] || []).map(t => el('div', null, badge(t.status), ' ', t.test)))))));
    } else {
      main.appendChild(el('p', { class: 'none' }, 'No columns known.'));
    }

    main.appendChild(el('h2', null, 'Tests (' + n.tests.length + ')'));
    if (n.tests.length) main.appendChild(testTable(n.tests.map(t => tests.get(t)).filter(Boolean), false));
    else main.appendChild(el('p', { class: 'none' }, 'No tests on this node.'));

    main.appendChild(el('div', { class: 'two' },
      el('div', null, el('h2', null, 'Upstream'), n.depends_on.length
        ? el('div', { class: 'panel links' }, n.depends_on.map(nodeLink)) : el('p', { class: 'none' }, 'Nothing upstream.')),
      el('div', null, el('h2', null, 'Downstream'), n.children.length
        ? el('div', { class: 'panel links' }, n.children.map(nodeLink)) : el('p', { class: 'none' }, 'Nothing downstream.'))));

    const cfg = Object.entries(n.config || {});
    if (cfg.length) {
      main.appendChild(el('h2', null, 'Config'));
      main.appendChild(el('table', null, cfg.map(([k, v]) => el('tr', null, el('td', null, el('code', null, k)),
        el('td', null, el('code', null, typeof v === 'string' ? v : JSON.stringify(v)))))));
    }

    if (n.raw_code || n.compiled_code) {
      main.appendChild(el('h2', null, 'SQL'));
      const pre = el('pre');
      const buttons = [];
      const show = which => {
        pre.textContent = (which === 'raw' ? n.raw_code : n.compiled_code) || '(empty)';
        buttons.forEach(b => b.classList.toggle('on', b.dataset.which === which));
      };
      for (const [which, label] of [['compiled', 'Compiled'], ['raw', 'Source']]) {
        buttons.push(el('button', { 'data-which': which, onclick: () => show(which) }, label));
      }
      main.appendChild(el('div', { class: 'tabs' }, buttons));
      main.appendChild(pre);
      show(n.compiled_code ? 'compiled' : 'raw');
    }
  }

  // ---- model-level lineage -----------------------------------------------------------------

  function closure(start, key) {
    const seen = new Set([start]);
    const todo = [start];
    while (todo.length) {
      const n = nodes.get(todo.pop());
      for (const next of (n ? n[key] : [])) if (!seen.has(next) && nodes.has(next)) { seen.add(next); todo.push(next); }
    }
    return seen;
  }

  function dagGraph(focus) {
    const L = D.layout;
    const wrap = el('div', { class: 'graph' });
    if (!D.nodes.length) return el('p', { class: 'none' }, 'No nodes.');
    const related = focus && nodes.has(focus) ? new Set([...closure(focus, 'depends_on'), ...closure(focus, 'children')]) : null;
    const s = svg('svg', { width: L.width, height: L.height, viewBox: '0 0 ' + L.width + ' ' + L.height, role: 'img', 'aria-label': 'Lineage graph' });
    s.appendChild(svg('defs', null, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#98a2b3' }))));
    const W = L.node_width, H = L.node_height;
    const routes = new Map((L.routes || []).map(r => [r.from + ' ' + r.to, r.slots]));
    for (const [from, to] of D.edges) {
      const a = L.positions[from], b = L.positions[to];
      if (!a || !b) continue;
      // Through each layer an edge skips it runs straight along its reserved slot, curving between slots.
      let x = a.x + W, y = a.y + H / 2, d = `M${x},${y}`;
      const curve = (x2, y2) => { const mx = (x + x2) / 2; d += ` C${mx},${y} ${mx},${y2} ${x2},${y2}`; x = x2; y = y2; };
      for (const [xl, xr, ys] of routes.get(from + ' ' + to) || []) { curve(xl, ys); d += ` L${xr},${ys}`; x = xr; }
      curve(b.x - 2, b.y + H / 2);
      const dim = related && !(related.has(from) && related.has(to));
      s.appendChild(svg('path', { class: 'edge' + (dim ? ' dim' : ''), d,
        'marker-end': 'url(#arrow)', 'data-from': from, 'data-to': to }));
    }
    for (const n of D.nodes) {
      const p = L.positions[n.id];
      if (!p) continue;
      const colour = TYPE_COLOUR[n.type] || '#64748b';
      const g = svg('g', { class: 'node' + (related && !related.has(n.id) ? ' dim' : ''), transform: `translate(${p.x},${p.y})`,
        'data-id': n.id, onclick: () => { location.hash = nodeHref(n.id); } },
        svg('title', null, n.id + (n.description ? '\n' + n.description : '')),
        svg('rect', { width: W, height: H, rx: 6, fill: n.id === focus ? colour : '#fff', stroke: colour }),
        svg('rect', { width: 6, height: H, rx: 3, fill: colour }),
        svg('text', { x: 14, y: H / 2 + 4, 'font-size': 12.5, fill: n.id === focus ? '#fff' : '#1d2330' }, truncate(n.name, 20)));
      if (n.status) {
        const st = statusClass(n.status);
        const c = st === 'success' || st === 'pass' ? '#16a34a' : st === 'skipped' ? '#98a2b3' : st === 'warn' ? '#d97706' : '#dc2626';
        g.appendChild(svg('circle', { cx: W - 12, cy: H / 2, r: 4, fill: c }));
      }
      s.appendChild(g);
    }
    wrap.appendChild(s);
    const legend = el('div', { class: 'legend' }, [...new Set(D.nodes.map(n => n.type))].map(t =>
      el('span', null, el('span', { class: 'dot ' + t }), t)), el('span', null, 'Click a node to open it.'));
    return el('div', null, legend, wrap);
  }

  function lineagePage(focus) {
    main.appendChild(el('h1', null, 'Lineage'));
    const n = focus && nodes.get(focus);
    main.appendChild(el('div', { class: 'sub' }, n
      ? ['Upstream and downstream of ', nodeLink(n.id), ' are highlighted. ', el('a', { href: '#/lineage' }, 'Show all')]
      : D.nodes.length + ' nodes, ' + D.edges.length + ' edges.'));
    main.appendChild(dagGraph(n ? n.id : null));
  }

  // ---- column-level lineage ----------------------------------------------------------------

  function columnPage(id) {
    const candidates = D.nodes.filter(n => Object.keys(n.column_lineage || {}).length)
      .sort((a, b) => a.name.localeCompare(b.name));
    main.appendChild(el('h1', null, 'Column lineage'));
    if (!candidates.length) {
      main.appendChild(el('p', { class: 'none' }, 'No column lineage in the manifest.'));
      return;
    }
    const n = nodes.get(id) || candidates[0];
    const select = el('select', { 'aria-label': 'Model', onchange: e => { location.hash = '#/columns/' + encodeURIComponent(e.target.value); } },
      D.nodes.slice().sort((a, b) => a.name.localeCompare(b.name)).map(m => {
        const o = el('option', { value: m.id }, m.name + ' (' + m.type + ')');
        if (m.id === n.id) o.selected = true;
        return o;
      }));
    main.appendChild(el('div', { class: 'sub' }, 'Model: ', select, ' ', nodeLink(n.id),
      ' · click a column to highlight where it comes from; click an upstream table to follow it further.'));
    main.appendChild(columnGraph(n));
  }

  function columnGraph(n) {
    const lineage = n.column_lineage || {};
    // Upstream tables, each with only the columns this model reads, in first-seen order.
    const ups = new Map();
    for (const c of n.columns.map(c => c.name).concat(Object.keys(lineage))) {
      for (const u of lineage[c] || []) {
        const key = u.node || u.ref.split('.').slice(0, -1).join('.');
        if (!ups.has(key)) ups.set(key, { key, node: u.node, cols: [] });
        if (!ups.get(key).cols.includes(u.column)) ups.get(key).cols.push(u.column);
      }
    }
    const outCols = [...new Set(n.columns.map(c => c.name).concat(Object.keys(lineage)))];
    const W = 230, ROW = 24, HEAD = 30, GAP = 18, LX = 20, RX = 460;
    const pos = {};
    let y = 20;
    for (const u of ups.values()) {
      u.y = y;
      u.cols.forEach((c, i) => { pos[u.key + '|' + c] = y + HEAD + i * ROW + ROW / 2; });
      y += HEAD + u.cols.length * ROW + GAP;
    }
    const leftH = y;
    const outPos = {};
    outCols.forEach((c, i) => { outPos[c] = 20 + HEAD + i * ROW + ROW / 2; });
    const height = Math.max(leftH, 40 + HEAD + outCols.length * ROW) + 10;
    const s = svg('svg', { width: RX + W + 20, height, role: 'img', 'aria-label': 'Column lineage of ' + n.name });
    const edges = [];
    const edgeLayer = svg('g');
    s.appendChild(edgeLayer);
    for (const c of outCols) {
      for (const u of lineage[c] || []) {
        const key = u.node || u.ref.split('.').slice(0, -1).join('.');
        const y1 = pos[key + '|' + u.column], y2 = outPos[c];
        const x1 = LX + W, x2 = RX, mx = (x1 + x2) / 2;
        const p = svg('path', { class: 'edge', d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, 'data-from': u.ref, 'data-to': c });
        edges.push({ p, to: c, from: key + '|' + u.column });
        edgeLayer.appendChild(p);
      }
    }
    const highlight = (match) => {
      for (const e of edges) {
        const on = match && match(e);
        e.p.classList.toggle('hot', !!on);
        e.p.classList.toggle('dim', !!match && !on);
      }
    };
    const box = (x, y0, title, colour, rows, onTitle, rowKey) => {
      const g = svg('g', { transform: `translate(${x},${y0})` });
      const h = HEAD + rows.length * ROW;
      g.appendChild(svg('rect', { width: W, height: h, rx: 6, fill: '#fff', stroke: colour, 'stroke-width': 1.5 }));
      const head = svg('g', { class: onTitle ? 'node' : null, onclick: onTitle },
        svg('rect', { width: W, height: HEAD, rx: 6, fill: colour }),
        svg('text', { x: 10, y: 20, fill: '#fff', 'font-size': 13, 'font-weight': 600 }, truncate(title, 28)));
      g.appendChild(head);
      rows.forEach((r, i) => {
        const row = svg('g', { class: 'colrow', transform: `translate(0,${HEAD + i * ROW})`, onclick: () => highlight(e => rowKey(e, r)) },
          svg('rect', { x: 1, width: W - 2, height: ROW, fill: 'transparent' }),
          svg('text', { x: 10, y: 16, 'font-size': 12, fill: '#1d2330', class: 'mono' }, truncate(r, 30)));
        g.appendChild(row);
      });
      return g;
    };
    for (const u of ups.values()) {
      const un = u.node && nodes.get(u.node);
      s.appendChild(box(LX, u.y, un ? un.name : u.key, un ? (TYPE_COLOUR[un.type] || '#64748b') : '#98a2b3', u.cols,
        un ? () => { location.hash = '#/columns/' + encodeURIComponent(un.id); } : null,
        (e, r) => e.from === u.key + '|' + r));
    }
    s.appendChild(box(RX, 20, n.name, TYPE_COLOUR[n.type] || '#64748b', outCols,
      () => { location.hash = nodeHref(n.id); }, (e, r) => e.to === r));
    if (!ups.size) {
      s.appendChild(svg('text', { x: LX, y: 40, fill: '#667085', 'font-size': 13 }, 'No upstream columns recorded.'));
    }
    return el('div', { class: 'graph' }, s);
  }

  // ---- tests -------------------------------------------------------------------------------

  function testTable(list, withTarget) {
    const order = { fail: 0, error: 1, 'runtime error': 1, warn: 2, skipped: 3, 'not run': 4, pass: 5 };
    const rows = list.slice().sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3) || a.name.localeCompare(b.name));
    return el('table', null,
      el('tr', null, ['Status', 'Test', withTarget ? 'On' : null, 'Column', 'Failures', 'Time', 'Message'].filter(Boolean).map(h => el('th', null, h))),
      rows.map(t => el('tr', null,
        el('td', null, badge(t.status)),
        el('td', null, el('div', null, t.test), el('div', { class: 'mono tname' }, t.name)),
        withTarget ? el('td', null, (t.attached ? [t.attached] : t.depends_on).map(nodeLink)) : null,
        el('td', null, t.column ? el('code', null, t.column) : ''),
        el('td', { class: 'num' }, t.failures === null || t.failures === undefined ? '' : t.failures),
        el('td', { class: 'num' }, fmtSec(t.execution_time)),
        el('td', { class: 'desc' }, t.message && t.status !== 'pass' ? t.message : ''))));
  }

  function testsPage() {
    main.appendChild(el('h1', null, 'Tests'));
    if (!D.tests.length) {
      main.appendChild(el('p', { class: 'none' }, 'No tests in this project.'));
      return;
    }
    const counts = {};
    for (const t of D.tests) counts[t.status] = (counts[t.status] || 0) + 1;
    const holder = el('div');
    const buttons = [];
    const show = status => {
      holder.textContent = '';
      holder.appendChild(testTable(status ? D.tests.filter(t => t.status === status) : D.tests, true));
      buttons.forEach(b => b.classList.toggle('on', b.dataset.status === (status || '')));
    };
    buttons.push(el('button', { 'data-status': '', onclick: () => show(null) }, 'All (' + D.tests.length + ')'));
    for (const [st, c] of Object.entries(counts)) buttons.push(el('button', { 'data-status': st, onclick: () => show(st) }, st + ' (' + c + ')'));
    main.appendChild(el('div', { class: 'filters' }, buttons));
    main.appendChild(holder);
    show(null);
  }

  // ---- charts ------------------------------------------------------------------------------

  /** Horizontal bars: items are {label, value, colour, text, href}. */
  function barChart(items, opts) {
    const LABEL = opts.labelWidth || 230, BAR = opts.barWidth || 520, ROW = 26, TOP = 10;
    const max = Math.max(...items.map(i => i.value), 1e-9);
    const s = svg('svg', { width: LABEL + BAR + 110, height: TOP * 2 + items.length * ROW, role: 'img', 'aria-label': opts.title || 'Bar chart' });
    items.forEach((it, i) => {
      const y = TOP + i * ROW;
      const w = Math.max(1, it.value / max * BAR);
      const label = svg('text', { x: LABEL - 8, y: y + 16, 'text-anchor': 'end', 'font-size': 12, fill: '#1d2330' }, truncate(it.label, 32));
      s.appendChild(it.href ? svg('a', { href: it.href }, label) : label);
      s.appendChild(svg('rect', { x: LABEL, y: y + 4, width: w, height: ROW - 8, rx: 3, fill: it.colour || '#2563eb' },
        svg('title', null, it.label + ': ' + it.text)));
      s.appendChild(svg('text', { x: LABEL + w + 6, y: y + 16, 'font-size': 12, fill: '#667085' }, it.text));
    });
    return el('div', { class: 'panel' }, s);
  }

  function timingsPage() {
    main.appendChild(el('h1', null, 'Run timings'));
    const extra = (D.insights.timings || []).map(t => ({ id: null, name: t.name, type: 'step', status: '', seconds: t.seconds }));
    const rows = D.run.timings.concat(extra).slice().sort((a, b) => b.seconds - a.seconds);
    if (!rows.length) {
      main.appendChild(el('p', { class: 'none' }, 'No run results: run "build" to record timings.'));
      return;
    }
    const total = rows.reduce((a, t) => a + t.seconds, 0);
    main.appendChild(el('div', { class: 'sub' }, rows.length + ' steps, ' + fmtSec(total) + ' of work' +
      (D.run.available ? ', ' + fmtSec(D.run.elapsed_time) + ' wall time' : '') + '.'));
    const types = [...new Set(rows.map(r => r.type))];
    main.appendChild(el('div', { class: 'legend' }, types.map(t => el('span', null,
      el('span', { class: 'dot', style: 'background:' + (TYPE_COLOUR[t] || '#f59e0b') }), t))));
    main.appendChild(barChart(rows.map(r => ({
      label: r.name, value: r.seconds, colour: TYPE_COLOUR[r.type] || '#f59e0b',
      text: fmtSec(r.seconds) + (r.status && r.status !== 'success' && r.status !== 'pass' ? ' · ' + r.status : ''),
      href: r.id && nodes.has(r.id) ? nodeHref(r.id) : (r.id && tests.has(r.id) ? '#/tests' : null)
    })), { title: 'Execution time per node' }));
  }

  function insightsPage() {
    const ins = D.insights;
    main.appendChild(el('h1', null, 'Insights'));
    if (!ins.segments.length && !ins.churn) {
      main.appendChild(el('p', { class: 'none' }, 'No insights yet. Segmentation and churn nodes write them to target/insights.json.'));
      return;
    }
    if (ins.segments.length) segmentsSection(ins.segments);
    if (ins.churn) churnSection(ins.churn);
  }

  const PALETTE = ['#2563eb', '#0d9488', '#db2777', '#d97706', '#7c3aed', '#16a34a', '#dc2626', '#0891b2'];

  function segmentsSection(segments) {
    main.appendChild(el('h2', null, 'Segments'));
    main.appendChild(barChart(segments.map((s, i) => ({
      label: s.name, value: s.size, colour: PALETTE[i % PALETTE.length], text: num(s.size) + ' · ' + pct(s.share)
    })), { title: 'Segment sizes' }));
    const features = [...new Set(segments.flatMap(s => Object.keys(s.profile)))];
    if (!features.length) return;
    main.appendChild(el('h2', null, 'Segment profiles'));
    main.appendChild(el('div', { class: 'sub' }, 'Each feature is scaled to its largest absolute value across segments; labels show the raw values.'));
    main.appendChild(el('div', { class: 'legend' }, segments.map((s, i) => el('span', null,
      el('span', { class: 'dot', style: 'background:' + PALETTE[i % PALETTE.length] }), s.name))));
    // Grouped bars: one group per feature, one bar per segment.
    const BW = 18, GROUP = segments.length * BW + 28, H = 180, TOP = 20, BOTTOM = 44;
    const width = Math.max(400, 40 + features.length * GROUP);
    const s = svg('svg', { width, height: TOP + H + BOTTOM, role: 'img', 'aria-label': 'Segment profiles' });
    const base = TOP + H;
    s.appendChild(svg('line', { class: 'axis', x1: 30, x2: width - 10, y1: base, y2: base }));
    features.forEach((f, fi) => {
      const vals = segments.map(sg => sg.profile[f]);
      const max = Math.max(...vals.filter(v => v !== undefined).map(Math.abs), 1e-9);
      const gx = 40 + fi * GROUP;
      vals.forEach((v, si) => {
        if (v === undefined) return;
        const h = Math.abs(v) / max * (H - 16);
        s.appendChild(svg('rect', { x: gx + si * BW, y: base - h, width: BW - 3, height: Math.max(h, 1), fill: PALETTE[si % PALETTE.length] },
          svg('title', null, segments[si].name + ' · ' + f + ': ' + num(v))));
      });
      s.appendChild(svg('text', { x: gx + (segments.length * BW) / 2, y: base + 18, 'text-anchor': 'middle', 'font-size': 12, fill: '#1d2330' }, truncate(f, 18)));
    });
    main.appendChild(el('div', { class: 'panel graph' }, s));
    main.appendChild(el('table', null,
      el('tr', null, el('th', null, 'Segment'), el('th', null, 'Size'), el('th', null, 'Share'), features.map(f => el('th', null, f))),
      segments.map(sg => el('tr', null, el('td', null, sg.name), el('td', { class: 'num' }, num(sg.size)), el('td', { class: 'num' }, pct(sg.share)),
        features.map(f => el('td', { class: 'num' }, num(sg.profile[f])))))));
  }

  function churnSection(c) {
    main.appendChild(el('h2', null, 'Churn model'));
    const card = (n, l) => el('div', { class: 'card' }, el('div', { class: 'n' }, n === null ? '–' : n.toFixed(3)), el('div', { class: 'l' }, l));
    main.appendChild(el('div', { class: 'sub' }, 'Model: ', c.model_id ? nodeLink(c.model_id) : (c.model || 'unnamed')));
    const cards = [card(c.auc, 'ROC AUC'), card(c.precision, 'precision'), card(c.recall, 'recall')];
    if (c.threshold !== null && c.threshold !== undefined) {
      cards.push(card(c.threshold, 'threshold' + (c.threshold_objective ? ' (' + c.threshold_objective.replace('_', ' ') + ')' : '')));
    }
    main.appendChild(el('div', { class: 'cards' }, cards));
    const panels = [];
    if (c.roc.length) {
      // A ROC curve always runs from (0,0) to (1,1); writers often leave the ends out.
      const pts = c.roc.slice();
      if (pts[0][0] !== 0 || pts[0][1] !== 0) pts.unshift([0, 0]);
      const last = pts[pts.length - 1];
      if (last[0] !== 1 || last[1] !== 1) pts.push([1, 1]);
      panels.push(curve(pts, 'ROC curve', 'False positive rate', 'True positive rate', c.threshold_roc, true,
        c.auc !== null ? 'AUC ' + c.auc.toFixed(3) : null));
    }
    if (c.pr && c.pr.length) {
      const marker = c.threshold_roc ? [c.recall, c.precision] : null;
      panels.push(curve(c.pr.map(p => [p[0], p[1]]), 'Precision / recall', 'Recall', 'Precision', marker, false, null));
    }
    if (panels.length) main.appendChild(el('div', { class: 'panel' }, panels));
  }

  /** One curve on the unit square, with an optional marked point (the chosen threshold) and diagonal. */
  function curve(pts, label, xLabel, yLabel, marker, diagonal, note) {
    const S = 320, M = 44;
    const X = v => M + v * S, Y = v => M / 2 + (1 - v) * S;
    const s = svg('svg', { width: S + M + 20, height: S + M + 30, role: 'img', 'aria-label': label });
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      s.appendChild(svg('line', { class: 'grid', x1: X(t), x2: X(t), y1: Y(0), y2: Y(1) }));
      s.appendChild(svg('line', { class: 'grid', x1: X(0), x2: X(1), y1: Y(t), y2: Y(t) }));
      s.appendChild(svg('text', { x: X(t), y: Y(0) + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#667085' }, t));
      s.appendChild(svg('text', { x: X(0) - 6, y: Y(t) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#667085' }, t));
    }
    s.appendChild(svg('line', { class: 'axis', x1: X(0), x2: X(1), y1: Y(0), y2: Y(0) }));
    s.appendChild(svg('line', { class: 'axis', x1: X(0), x2: X(0), y1: Y(0), y2: Y(1) }));
    if (diagonal) s.appendChild(svg('line', { x1: X(0), y1: Y(0), x2: X(1), y2: Y(1), stroke: '#98a2b3', 'stroke-dasharray': '4 4' }));
    const line = pts.map(p => X(p[0]).toFixed(1) + ',' + Y(p[1]).toFixed(1)).join(' ');
    if (diagonal) s.appendChild(svg('polygon', { points: line + ' ' + X(1) + ',' + Y(0) + ' ' + X(0) + ',' + Y(0), fill: '#2563eb', 'fill-opacity': 0.08 }));
    s.appendChild(svg('polyline', { points: line, fill: 'none', stroke: '#2563eb', 'stroke-width': 2.5 }));
    if (marker) {
      s.appendChild(svg('circle', { class: 'threshold', cx: X(marker[0]), cy: Y(marker[1]), r: 5, fill: '#dc2626' }));
      s.appendChild(svg('text', { x: X(marker[0]) + 8, y: Y(marker[1]) - 8, 'font-size': 11, fill: '#dc2626' }, 'chosen threshold'));
    }
    s.appendChild(svg('text', { x: X(0.5), y: Y(0) + 34, 'text-anchor': 'middle', 'font-size': 12, fill: '#1d2330' }, xLabel));
    s.appendChild(svg('text', { x: 12, y: Y(0.5), 'text-anchor': 'middle', 'font-size': 12, fill: '#1d2330', transform: `rotate(-90 12 ${Y(0.5)})` }, yLabel));
    if (note) s.appendChild(svg('text', { x: X(0.95), y: Y(0.08), 'text-anchor': 'end', 'font-size': 13, 'font-weight': 600, fill: '#2563eb' }, note));
    return s;
  }

  render();
})();
