// The ops dashboard: a tenant's agents by state with each phone's registration, calls in progress and waiting per
// queue with their waiting time, each live call's network level with a per-second chart (loss, jitter, delay, MOS),
// and the managers' messages. Loaded once over REST, then kept current by the live channel (no polling).
import { api } from '/shared/api.js';
import { $, h, render } from '/shared/dom.js';
import { levelLabel } from '/shared/level.js';
import { LiveChannel, liveStatusIn } from '/shared/live.js';
import { claimsOf, session } from '/shared/session.js';
import { MAX_CHARTS, QualityCharts } from '/dashboard/charts.js';

const LIVE_STATUSES = ['ringing-agent', 'ringing-customer', 'offered', 'talking', 'queued'];

const agents = new Map();
const calls = new Map();
const levels = new Map();
/** Calls whose chart was asked for (a click on the row), most recent first. */
let pinned = [];
let client;
let claims;
let tenantId;
let charts;
let drawPending = false;

const agentState = (a) => (a.signedIn ? a.availability : 'signed-out');
const ago = (iso) => (iso ? `${Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000))} s` : '');

function agentRow(a) {
  return h(
    'tr',
    { dataset: { agent: a.agentId, state: agentState(a) } },
    h('td', {}, a.name),
    h('td.state', {}, agentState(a)),
    h('td', {}, ...a.phones.map((p) => h('span.phone', { dataset: { status: p.status } }, `${p.phoneId}: ${p.status}`))),
  );
}

function callRow(c) {
  const agent = c.agentId ? agents.get(c.agentId) : null;
  const level = levels.get(c.callId);
  return h(
    'tr',
    { dataset: { call: c.callId, status: c.status }, onclick: () => pin(c.callId) },
    h('td', {}, callLabel(c)),
    h('td', {}, agent?.name ?? ''),
    h('td.state', {}, c.status),
    h('td', {}, ago(c.connectedAt ?? c.queuedAt ?? c.startedAt)),
    h('td', {}, h('span.level', { dataset: { level: level ?? 'none' } }, levelLabel(level))),
  );
}

function drawAgents() {
  const counts = {};
  for (const a of agents.values()) counts[agentState(a)] = (counts[agentState(a)] ?? 0) + 1;
  render(
    $('#agent-summary'),
    Object.entries(counts).map(([state, n]) => h('span.count', { dataset: { state } }, `${state}: ${n} `)),
  );
  const rows = [...agents.values()].sort((x, y) => x.name.localeCompare(y.name)).map(agentRow);
  render($('#agents tbody'), rows);
}

function drawCalls() {
  const live = [...calls.values()].filter((c) => c.status !== 'ended' && c.status !== 'queued');
  const waiting = [...calls.values()].filter((c) => c.status === 'queued');
  const byQueue = new Map();
  for (const c of waiting) byQueue.set(c.skillQueueId, [...(byQueue.get(c.skillQueueId) ?? []), c]);
  render(
    $('#queues'),
    [...byQueue].map(([queue, list]) =>
      h(
        'div.queue',
        { dataset: { queue } },
        `Queue ${queue}: ${list.length} waiting, longest ${ago(list.map((c) => c.queuedAt).sort()[0])}`,
      ),
    ),
  );
  render($('#calls tbody'), live.map(callRow));
  // Charts of the talking calls: those asked for first, then in the table's order.
  const talking = live.filter((c) => c.status === 'talking');
  const first = pinned.map((id) => talking.find((c) => c.callId === id)).filter(Boolean);
  const shown = [...new Set([...first, ...talking])].slice(0, MAX_CHARTS);
  charts.show(
    shown.map((c) => ({
      callId: c.callId,
      title: `${callLabel(c)} · ${agents.get(c.agentId)?.name ?? ''}`,
      level: levels.get(c.callId) ?? null,
    })),
    new Set(live.map((c) => c.callId)),
  );
}

const callLabel = (c) => (c.direction === 'inbound' ? c.from : c.to);

function pin(callId) {
  pinned = [callId, ...pinned.filter((id) => id !== callId)].slice(0, MAX_CHARTS);
  drawCalls();
}

/** Redraws the calls and charts at most once a frame, however many seconds arrive. */
function drawSoon() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    drawCalls();
  });
}

function drawMessage(m) {
  return h(
    'li',
    { dataset: { message: m.messageId } },
    `${m.subject ?? 'Poor network'} — ${m.agentName ?? m.agentId ?? ''} (${levelLabel(m.level)})`,
  );
}

async function loadAgent(agentId) {
  agents.set(agentId, await client.get('agent', `/agents/${encodeURIComponent(agentId)}`));
  drawAgents();
  drawCalls();
}

async function loadCall(callId) {
  const call = await client.get('call', `/calls/${encodeURIComponent(callId)}`);
  if (LIVE_STATUSES.includes(call.status)) calls.set(callId, call);
  else calls.delete(callId);
  drawCalls();
}

async function loadAll() {
  const t = encodeURIComponent(tenantId);
  const [agentList, ...callLists] = await Promise.all([
    client.get('agent', `/tenants/${t}/agents`),
    ...LIVE_STATUSES.map((status) => client.get('call', `/tenants/${t}/calls?status=${status}&limit=500`)),
  ]);
  agents.clear();
  for (const a of agentList.agents ?? agentList) agents.set(a.agentId, a);
  calls.clear();
  for (const list of callLists) for (const c of list.calls ?? list) calls.set(c.callId, c);
  drawAgents();
  drawCalls();
  requestAnimationFrame(() => {
    performance.mark('dashboard-painted');
    document.body.dataset.loaded = 'true';
  });
  if (claims.role === 'ou-manager') {
    const messages = await client.get('quality', '/inbox/messages?limit=50');
    render(
      $('#messages'),
      messages.map((m) => drawMessage({ ...m, agentName: agents.get(m.agentId)?.name })),
    );
  }
  await loadLevels([...calls.values()].filter((c) => c.status === 'talking').map((c) => c.callId));
}

/** Each talking call's current level, a few requests at a time, after the first paint. */
async function loadLevels(callIds) {
  for (let i = 0; i < callIds.length; i += 10) {
    await Promise.all(
      callIds.slice(i, i + 10).map(async (callId) => {
        const live = await client.get('quality', `/calls/${encodeURIComponent(callId)}/quality`).catch(() => null);
        if (live?.level) levels.set(callId, live.level);
      }),
    );
  }
  drawCalls();
}

function onEvent(event) {
  if (claims.role === 'system-admin' && event.tenantId !== tenantId) return;
  const { data } = event;
  if (event.type.startsWith('agent.') && data.agentId) return void loadAgent(data.agentId);
  if (event.type.startsWith('call.') && data.callId && !event.type.startsWith('call.agent-line')) return void loadCall(data.callId);
  if (event.type === 'quality.level-changed') {
    levels.set(data.callId, data.to);
    return drawSoon();
  }
  if (event.type === 'quality.manager-notified') {
    $('#messages').prepend(drawMessage({ ...data, agentName: agents.get(data.agentId)?.name }));
  }
  if (event.type === 'quality.manager-digest-notified') {
    $('#messages').prepend(drawMessage({ ...data, subject: `${data.poorCalls} calls went poor in the last hour (digest)` }));
  }
}

/** Measured seconds of the tenant's live calls (quality-svc, pushed on the live channel): level and chart. */
function onSeconds(frame) {
  if (frame.tenantId !== tenantId) return;
  for (const s of frame.seconds) {
    if (s.level) levels.set(s.callId, s.level);
    charts.add(s.callId, s.second, s.metrics);
  }
  drawSoon();
}

function open(token, tenants) {
  claims = claimsOf(token);
  if (!['tenant-admin', 'ou-manager', 'system-admin'].includes(claims.role))
    throw new Error('this page is for tenant admins, OU managers and system admins');
  tenantId = claims.role === 'system-admin' ? tenants : claims.tenantId;
  if (!tenantId) throw new Error('name the tenant to watch');
  session.token = token;
  client = api(token);
  charts = new QualityCharts($('#charts'), async (callId, from) => {
    const path = `/calls/${encodeURIComponent(callId)}/quality/history?from=${encodeURIComponent(from)}`;
    return (await client.get('quality', path)).series;
  });
  render($('#tenant'), `· ${tenantId}`);
  $('#signin').hidden = true;
  $('#app').hidden = false;
  new LiveChannel({
    token,
    tenants: claims.role === 'system-admin' ? [tenantId] : undefined,
    storageKey: `dashboard.position.${tenantId}.${claims.subject}`,
    onEvent,
    onSeconds,
    onReady: () => void loadAll(),
    onStatus: liveStatusIn($('#live-status'), session),
  });
}

$('#signin').addEventListener('submit', (event) => {
  event.preventDefault();
  try {
    open($('#token').value.trim(), $('#tenants').value.trim());
  } catch (error) {
    render($('#signin-error'), String(error.message));
  }
});
const remembered = session.token;
let reopened = false;
if (remembered) {
  try {
    if (claimsOf(remembered).role !== 'system-admin') reopened = (open(remembered), true);
  } catch {
    session.token = null;
  }
}
$('#signin').hidden = reopened;
