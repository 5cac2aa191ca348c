// Bellwether dashboard: plain DOM, no framework, no CDN. Boards reload from the API; the signal timeline is live
// over server-sent events and each new signal triggers a (debounced) reload of the boards.
'use strict';

const token = new URLSearchParams(location.hash.slice(1)).get('token') || sessionStorage.getItem('bellwether-token');
if (token) sessionStorage.setItem('bellwether-token', token);

const $ = (id) => document.getElementById(id);
const fmtTime = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + 'Z';

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

function relative(ms, at) {
  const d = ms - at, abs = Math.abs(d), h = abs / 3600000;
  const text = h < 1 ? Math.round(abs / 60000) + ' min' : h < 48 ? h.toFixed(1) + ' h' : (h / 24).toFixed(1) + ' d';
  return d >= 0 ? 'in ' + text : text + ' ago';
}

// Who is acting, for the audit trail: asked once, kept in this browser.
const who = $('who');
who.value = localStorage.getItem('bellwether-user') || '';
who.addEventListener('change', () => localStorage.setItem('bellwether-user', who.value.trim()));

// A change: the API answers only once the broker has it; its refusal reason is shown as it gave it.
async function write(method, path, body) {
  const headers = { 'Content-Type': 'application/json', 'X-Bellwether-Client': 'dashboard' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const response = await fetch(path, { method, headers, body: JSON.stringify({ ...body, by: who.value.trim() || undefined }) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.reason || path + ': ' + response.status);
  return answer;
}

async function api(path) {
  const headers = token ? { Authorization: 'Bearer ' + token } : {};
  const response = await fetch(path, { headers });
  if (!response.ok) throw new Error(path + ': ' + response.status);
  return response.json();
}

// Until its first answer a panel says it is loading: an empty board must never read as "all clear" before data came.
function answered(emptyId, count) {
  const note = $(emptyId);
  note.classList.remove('loading', 'failed');
  note.textContent = note.dataset.empty;
  note.hidden = count > 0 || !note.dataset.empty;
}

function fill(tableId, rows, emptyId) {
  const body = $(tableId).tBodies[0];
  body.replaceChildren(...rows);
  answered(emptyId, rows.length);
}

// One number everywhere: the score with one decimal, as the API and the published reason give it.
const fmtScore = (score) => score.toFixed(1);

// Why this score: each active signal's weight (its kind's, from the rules) × its severity's factor = its points.
function scoreBreakdown(a) {
  const counted = a.signals.filter((s) => s.points > 0);
  const sum = counted.reduce((total, s) => total + s.points, 0);
  return el('details', { class: 'why' }, el('summary', null, 'why ' + fmtScore(a.score)),
    el('table', { class: 'breakdown' }, el('tbody', null,
      ...counted.map((s) => el('tr', null, el('td', null, el('span', { class: 'chip sev-' + s.severity, title: s.reason }, s.kind)),
        el('td', { class: 'dim' }, s.subjectId), el('td', { class: 'num' }, s.weight + ' × ' + s.severityFactor + ' (' + s.severity + ')'),
        el('td', { class: 'num' }, '= ' + s.points.toFixed(2)))),
      el('tr', null, el('td', { colspan: 3 }, counted.length + ' signal(s)' + (sum > 100 ? ', capped at 100' : '')),
        el('td', { class: 'num' }, el('strong', null, fmtScore(a.score)))))));
}

// A signal chip; an acknowledged raise says who is on it.
function signalChip(s) {
  const ack = s.acknowledged;
  return el('span', { class: 'chip sev-' + s.severity + (ack ? ' acked' : ''), 'data-dedup': s.dedupKey,
    title: (s.reason || s.kind) + (ack ? ' — acknowledged by ' + ack.by + (ack.note ? ': ' + ack.note : '') : '') }, s.kind, ack ? ' ✓ ' + ack.by : null);
}

let silences = [];
const accountSilence = (accountId) => silences.find((x) => x.active && Object.keys(x.matchers).length === 1 && x.matchers.accountId === accountId);

// What an operator can do about an account, where they see it: acknowledge its signals, silence it, name its owner.
function actPanel(a) {
  const result = el('p', { class: 'result' });
  const done = (text) => { result.className = 'result'; result.textContent = text; refresh(); refreshSoon(); };
  const failed = (e) => { result.className = 'result failed'; result.textContent = e.message; };
  const note = el('input', { name: 'note', placeholder: 'note (what you are doing)' });
  const acks = el('div', { class: 'acks' }, ...a.signals.filter((s) => !s.acknowledged).slice(0, 6).map((s) => {
    const button = el('button', { type: 'button', class: 'ack', 'data-dedup': s.dedupKey }, 'ack ' + s.kind);
    button.addEventListener('click', () => write('POST', '/api/acks', { dedupKey: s.dedupKey, raisedAt: s.since, note: note.value })
      .then(() => done('Acknowledged ' + s.kind + '.'), failed));
    return button;
  }));
  const silence = el('form', { class: 'silence' }, el('select', { name: 'for' }, ...['1h', '4h', '1d', '3d'].map((d) => el('option', { value: d }, d))),
    el('input', { name: 'comment', placeholder: 'reason', required: 'required' }), el('button', { type: 'submit' }, 'silence account'));
  silence.addEventListener('submit', (event) => {
    event.preventDefault();
    write('POST', '/api/silences', { matchers: { accountId: a.accountId }, for: silence.elements.for.value, comment: silence.elements.comment.value })
      .then((x) => done('Silenced until ' + fmtTime(x.endsAt) + '.'), failed);
  });
  const owner = el('form', { class: 'owner' }, el('input', { name: 'owner', placeholder: 'owner id', value: a.owner || '' }),
    el('button', { type: 'submit' }, 'set owner'));
  owner.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = owner.elements.owner.value.trim();
    write('PUT', '/api/owners/' + encodeURIComponent(a.accountId), { ownerId: id || null })
      .then(() => done(id ? 'Owner set to ' + id + '.' : 'Recorded that nobody owns it.'), failed);
  });
  return el('details', { class: 'act' }, el('summary', null, 'act'), a.signals.some((s) => !s.acknowledged) ? note : null, acks, silence, owner, result);
}

// The board reloads every few seconds while someone may be typing in an action panel: a row whose account did not
// change is kept as it is (panel, typing, focus); a changed row is rebuilt with its panel as it was.
const accountRows = new Map();

function accountRow(a) {
  const silenced = accountSilence(a.accountId);
  return el('tr', { 'data-account': a.accountId },
    el('td', null, el('strong', null, a.accountName || a.accountId), el('div', { class: 'dim' }, a.accountId),
      silenced ? el('div', { class: 'silenced' }, 'silenced until ' + fmtTime(silenced.endsAt)) : null),
    el('td', null, el('span', { class: 'level level-' + a.level }, a.level), ' ', el('span', { class: 'score' }, fmtScore(a.score))),
    el('td', null, a.reason || '', el('div', null, ...a.signals.slice(0, 6).map(signalChip)),
      a.signals.some((s) => s.points > 0) ? scoreBreakdown(a) : null),
    el('td', { class: 'num' }, a.openTickets),
    el('td', { class: 'num resolutions' }, resolutionsCell(a.resolutions)),
    el('td', { class: 'owner' }, a.owner || el('span', { class: 'dim' }, 'nobody')),
    el('td', null, actPanel(a)));
}

// Near-misses beside breaches: resolved within SLA but past 90 % of it is the stress before the breaches.
function resolutionsCell(r) {
  if (!r || r.resolved === 0) return el('span', { class: 'dim' }, 'none');
  const pct = (x) => Math.round(x * 100) + ' %';
  return el('span', { title: r.nearMisses + ' near-misses and ' + r.breaches + ' breaches of ' + r.resolved
      + ' resolutions; near-miss norm ' + pct(r.nearMissNorm) },
    String(r.resolved), el('div', { class: 'dim' }, 'near-miss ' + pct(r.nearMissRate) + ' · breach ' + pct(r.breachRate)));
}

function rebuilt(previous, a) {
  const row = accountRow(a);
  const was = previous && previous.querySelector('details.act');
  if (was && was.open) {
    const now = row.querySelector('details.act');
    now.open = true;
    const before = [...was.querySelectorAll('input, select')].map((i) => [i.name, i.value]);
    for (const [name, value] of before) {
      const input = now.querySelector('[name="' + name + '"]');
      if (input) input.value = value;
    }
    now.querySelector('.result').replaceWith(was.querySelector('.result'));
  }
  return row;
}

function renderAccounts(page) {
  const next = page.items.map((a) => {
    const key = JSON.stringify([a, accountSilence(a.accountId) || null]);
    const kept = accountRows.get(a.accountId);
    if (kept && kept.key === key) return kept.row;
    const row = rebuilt(kept && kept.row, a);
    accountRows.set(a.accountId, { key, row });
    return row;
  });
  const body = $('accounts').tBodies[0];
  if (next.length !== body.children.length || next.some((row, i) => body.children[i] !== row)) body.replaceChildren(...next);
  answered('accounts-empty', next.length);
}

function renderSilences(page) {
  silences = page.items;
  $('silences').replaceChildren(...page.items.map((x) => {
    const end = el('button', { type: 'button', class: 'expire' }, 'end now');
    end.addEventListener('click', () => write('POST', '/api/silences/' + encodeURIComponent(x.id) + '/expire', {}).then(refresh,
      (e) => { $('asof').textContent = 'could not end ' + x.id + ': ' + e.message; }));
    return el('li', { 'data-silence': x.id }, el('strong', null, Object.entries(x.matchers).map(([k, v]) => k + '=' + v).join(', ')), ' ',
      el('span', { class: 'dim' }, 'until ' + fmtTime(x.endsAt) + ' · ' + x.createdBy + ': ' + x.comment), ' ', end);
  }));
  answered('silences-empty', page.items.length);
}

function renderTickets(page) {
  fill('tickets', page.items.slice(0, 40).map((t) => {
    const clock = t.resolution && t.resolution.running ? t.resolution : t.response;
    const used = clock ? clock.used : 0;
    const bar = el('div', { class: 'bar' + (used >= 1 ? ' crit' : used >= 0.75 ? ' warn' : '') }, el('span'));
    bar.firstChild.style.width = Math.min(100, Math.round(used * 100)) + '%';
    return el('tr', { 'data-ticket': t.ticketKey },
      el('td', null, t.ticketKey), el('td', null, t.accountName || t.accountId || ''), el('td', null, t.priority),
      el('td', null, t.assignee || el('span', { class: 'dim' }, 'unassigned')), el('td', null, t.status),
      el('td', null, Math.round(used * 100) + '%', bar),
      el('td', null, t.breachAt ? relative(t.breachAt, page.at) : el('span', { class: 'dim' }, clock && clock.paused ? 'paused' : '—')),
      el('td', null, ...ticketSignals(t)));
  }), 'tickets-empty');
}

// A ticket's announced signals, each acknowledged where it is seen (TICKET_AT_RISK included); kinds held back by a
// silence or a surge show without a button: nothing about them went out to acknowledge.
function ticketSignals(t) {
  const announced = t.signals || [];
  const held = t.activeSignals.filter((k) => !announced.some((s) => s.kind === k));
  return [...announced.map((s) => {
    if (s.acknowledged) {
      return signalChip(s);
    }
    const button = el('button', { type: 'button', class: 'ack', 'data-dedup': s.dedupKey }, 'ack');
    button.addEventListener('click', () => write('POST', '/api/acks', { dedupKey: s.dedupKey, raisedAt: s.since })
      .then(() => { refresh(); refreshSoon(); }, (e) => { button.textContent = e.message; }));
    return el('span', { class: 'ticket-signal' }, signalChip(s), button);
  }), ...held.map((k) => el('span', { class: 'chip dim', title: 'held back (silenced or explained by a surge)' }, k))];
}

function renderGaps(page) {
  $('gaps').replaceChildren(...page.items.map((g) => el('li', null, el('span', { class: 'chip sev-' + g.severity }, g.kind), ' ',
    el('strong', null, g.subjectId), ' ', g.reason, el('div', { class: 'dim' }, 'since ' + fmtTime(g.since)))));
  answered('gaps-empty', page.items.length);
}

function renderTechnicians(page) {
  $('technicians').tBodies[0].replaceChildren(...page.items.slice(0, 15).map((t) => el('tr', null, el('td', null, t.technician),
    el('td', { class: 'num' }, t.openTickets),
    el('td', null, ...Object.entries(t.byPriority).map(([p, n]) => el('span', { class: 'chip' }, p + ' ' + n))),
    el('td', { class: 'num' }, t.escalated))));
  answered('technicians-empty', page.items.length);
}

function renderTeams(page) {
  const pct = (x) => Math.round(x * 100) + '%';
  $('teams').tBodies[0].replaceChildren(...page.items.slice(0, 15).map((t) => el('tr', null, el('td', null, t.team),
    el('td', { class: 'num' }, t.resolutions.resolved),
    el('td', { class: 'num' }, pct(t.resolutions.nearMissRate) + ' (' + t.resolutions.nearMisses + ')'),
    el('td', { class: 'num dim' }, pct(t.resolutions.nearMissNorm)),
    el('td', { class: 'num' }, pct(t.resolutions.breachRate) + ' (' + t.resolutions.breaches + ')'),
    el('td', null, ...t.signals.map((s) => el('span', { class: 'chip sev-' + s.severity, title: s.dedupKey }, s.kind))))));
  answered('teams-empty', page.items.length);
}

function renderSurges(page) {
  $('surges').replaceChildren(...page.items.slice(0, 10).map((s) => el('li', null, el('strong', null, s.dimension), ' ',
    s.until ? el('span', { class: 'dim' }, 'ended ' + fmtTime(s.until)) : el('span', { class: 'chip sev-CRITICAL' }, 'ACTIVE'),
    el('div', { class: 'dim' }, 'since ' + fmtTime(s.since) + (s.inhibits.length ? ' · explains ' + s.inhibits.length + ' tickets' : '')))));
  answered('surges-empty', page.items.length);
}

function renderDemand(page) {
  const d = page.items[0];
  answered('demand-empty', 1);
  $('demand-zone').textContent = d.zone + (d.complete ? '' : ', partial: closed tickets are kept 7 days');
  const max = Math.max(1, ...d.hourOfWeek);
  const cells = [el('div', { class: 'label' }, '')];
  for (let h = 0; h < 24; h++) cells.push(el('div', { class: 'label' }, h % 3 === 0 ? h : ''));
  ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].forEach((day, i) => {
    cells.push(el('div', { class: 'label' }, day));
    for (let h = 0; h < 24; h++) {
      const n = d.hourOfWeek[i * 24 + h];
      const cell = el('div', { class: 'cell', title: day + ' ' + h + ':00 — ' + n + ' tickets' });
      cell.style.opacity = n === 0 ? 0.06 : 0.2 + 0.8 * n / max;
      cells.push(cell);
    }
  });
  $('heatmap').replaceChildren(...cells);
  const top = (m) => el('ul', null, ...Object.entries(m).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => el('li', null, k + ': ' + n)));
  $('demand-mix').replaceChildren(el('div', null, el('strong', null, d.total + ' tickets')),
    el('div', null, 'By category', top(d.byCategory)), el('div', null, 'By account', top(d.byAccount)),
    el('div', null, 'By priority', top(d.byPriority)));
}

const DIMENSION_NAMES = { category: 'Category', configurationItem: 'CI', location: 'Location', department: 'Department', application: 'Application' };

function renderRecurring(r) {
  $('recurring-scope').textContent = r.tickets + ' tickets, ' + r.previousTickets + ' the 7 days before'
    + (r.complete ? '' : '; partial: closed tickets are kept 7 days');
  // The top five of each dimension: a long tail of one-off values says nothing recurring.
  const shown = r.dimensions.flatMap((d) => r.items.filter((i) => i.dimension === d).slice(0, 5));
  $('recurring').tBodies[0].replaceChildren(...shown.map((i) => el('tr', null,
    el('td', null, DIMENSION_NAMES[i.dimension] || i.dimension), el('td', null, i.value),
    el('td', { class: 'num' }, i.tickets), el('td', { class: 'num' }, i.previous), el('td', { class: 'num' }, i.accounts),
    el('td', null, el('span', { class: 'trend trend-' + i.trend }, i.trend.toLowerCase())))));
  answered('recurring-empty', shown.length);
}

function timelineItem(s, fresh) {
  return el('li', { class: fresh ? 'fresh' : '', 'data-signal': s.dedupKey },
    el('span', { class: 'dim' }, fmtTime(s.occurredAt)), el('span', { class: 'state-' + s.state }, s.state),
    el('span', null, el('span', { class: 'chip sev-' + s.severity }, s.kind)), el('span', null, s.reason));
}

function renderTimeline(page) {
  $('timeline').replaceChildren(...page.items.map((s) => timelineItem(s, false)));
  answered('timeline-empty', page.items.length);
}

async function refresh() {
  try {
    // A read-only instance has no silences to list: the board goes on without them.
    const [accounts, tickets, gaps, technicians, surges, demand, silenced, recurring, teams] = await Promise.all([
      api('/api/accounts?limit=25'), api('/api/tickets?limit=40'), api('/api/ownership-gaps'), api('/api/technicians'),
      api('/api/surges'), api('/api/demand?window=7d'), api('/api/silences').catch(() => ({ items: [] })),
      api('/api/recurring-issues?window=7d'), api('/api/teams')]);
    renderSilences(silenced);
    renderAccounts(accounts); renderTickets(tickets); renderGaps(gaps); renderTechnicians(technicians); renderTeams(teams); renderSurges(surges);
    renderDemand(demand);
    renderRecurring(recurring);
    $('asof').textContent = 'as of ' + fmtTime(accounts.at) + ' · ' + accounts.instances + ' instance(s)';
    document.body.dataset.loaded = 'true';
  } catch (e) {
    $('asof').textContent = 'refresh failed: ' + e.message;
    // A panel that never had an answer says so, rather than keep "Loading…" or show an empty state it does not know.
    for (const note of document.querySelectorAll('p.empty.loading')) {
      note.classList.add('failed');
      note.textContent = 'Not loaded yet (' + e.message + '); retrying.';
    }
  }
}

let pending = null;
function refreshSoon() {
  if (!pending) pending = setTimeout(() => { pending = null; refresh(); }, 1000);
}

function connect() {
  const source = new EventSource('/api/stream' + (token ? '?access_token=' + encodeURIComponent(token) : ''));
  source.addEventListener('hello', () => { $('status').dataset.state = 'live'; $('status').textContent = 'live'; });
  source.addEventListener('signal', (event) => {
    const s = JSON.parse(event.data);
    const list = $('timeline');
    list.prepend(timelineItem(s, true));
    while (list.children.length > 200) list.lastChild.remove();
    answered('timeline-empty', 1);
    document.body.dataset.signals = String(Number(document.body.dataset.signals || 0) + 1);
    refreshSoon();
  });
  source.addEventListener('resync', () => { api('/api/signals?limit=100').then(renderTimeline); refresh(); });
  source.onerror = () => { $('status').dataset.state = 'down'; $('status').textContent = 'reconnecting…'; };
}

api('/api/signals?limit=100').then(renderTimeline).catch((e) => {
  const note = $('timeline-empty');
  if (note.classList.contains('loading')) { note.classList.add('failed'); note.textContent = 'Not loaded yet (' + e.message + ').'; }
});
refresh();
connect();
setInterval(refresh, 15000);
