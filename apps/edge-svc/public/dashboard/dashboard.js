// The ops dashboard: a tenant's agents by state with each phone's registration, calls in progress and waiting per
// queue with their waiting time, each live call's network level with a per-second chart (loss, jitter, delay, MOS),
// and the managers' messages. Loaded once over REST, then kept current by the live channel (no polling).
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { api } from '/shared/api.js';
import { $, h, render } from '/shared/dom.js';
import { levelLabel } from '/shared/level.js';
import { LiveChannel, liveStatusIn } from '/shared/live.js';
import { claimsOf, session } from '/shared/session.js';

const LIVE_STATUSES = ['ringing-agent', 'ringing-customer', 'offered', 'talking', 'queued'];
const CHART_SECONDS = 120;

const agents = new Map();
const calls = new Map();
const levels = new Map();
let client;
let claims;
let tenantId;
let chart = null;
let chartCallId = null;
const series = [[], [], [], [], []];

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
    { dataset: { call: c.callId, status: c.status }, onclick: () => void showChart(c.callId) },
    h('td', {}, c.direction === 'inbound' ? c.from : c.to),
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
  // The chart follows a talking call until another is chosen (a click on its row).
  const talking = live.filter((c) => c.status === 'talking');
  if (!talking.some((c) => c.callId === chartCallId) && talking.length > 0) void showChart(talking[0].callId);
}

function drawMessage(m) {
  return h(
    'li',
    { dataset: { message: m.messageId } },
    `${m.subject ?? 'Poor network'} — ${m.agentName ?? m.agentId ?? ''} (${levelLabel(m.level)})`,
  );
}

async function showChart(callId) {
  if (chartCallId === callId) return;
  chartCallId = callId;
  for (const s of series) s.length = 0;
  const history = await client
    .get('quality', `/calls/${encodeURIComponent(callId)}/quality/history?limit=${CHART_SECONDS}`)
    .catch(() => null);
  for (const second of history?.series ?? []) addPoint(second.at, second);
  render($('#chart-call'), callId);
  drawChart();
}

function addPoint(at, m) {
  series[0].push(Date.parse(at) / 1000);
  series[1].push(m.lossRate === null || m.lossRate === undefined ? null : m.lossRate * 100);
  series[2].push(m.jitterMs);
  series[3].push(m.oneWayDelayMs);
  series[4].push(m.mos);
  if (series[0].length > CHART_SECONDS) for (const s of series) s.shift();
}

function drawChart() {
  const width = $('#chart').clientWidth || 800;
  if (!chart) {
    chart = new uPlot(
      {
        width,
        height: 180,
        series: [
          {},
          { label: 'loss %', stroke: '#cf222e' },
          { label: 'jitter ms', stroke: '#9a6700' },
          { label: 'delay ms', stroke: '#0969da' },
          { label: 'MOS', stroke: '#1a7f37', scale: 'mos' },
        ],
        axes: [{}, {}, { scale: 'mos', side: 1 }],
      },
      series,
      $('#chart'),
    );
  } else chart.setData(series);
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
    const { messages } = await client.get('quality', '/inbox/messages?limit=50');
    render($('#messages'), messages.map(drawMessage));
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
    if (data.callId === chartCallId) {
      addPoint(data.second, data.metrics);
      drawChart();
    }
    return drawCalls();
  }
  if (event.type === 'quality.manager-notified') {
    $('#messages').prepend(drawMessage({ ...data, agentName: agents.get(data.agentId)?.name }));
  }
}

function open(token, tenants) {
  claims = claimsOf(token);
  if (!['tenant-admin', 'ou-manager', 'system-admin'].includes(claims.role))
    throw new Error('this page is for tenant admins, OU managers and system admins');
  tenantId = claims.role === 'system-admin' ? tenants : claims.tenantId;
  if (!tenantId) throw new Error('name the tenant to watch');
  session.token = token;
  client = api(token);
  render($('#tenant'), `· ${tenantId}`);
  $('#signin').hidden = true;
  $('#app').hidden = false;
  new LiveChannel({
    token,
    tenants: claims.role === 'system-admin' ? [tenantId] : undefined,
    storageKey: `dashboard.position.${tenantId}.${claims.subject}`,
    onEvent,
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
