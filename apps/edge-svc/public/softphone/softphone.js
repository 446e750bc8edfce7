// The agent's softphone page: connection bar (sign in/out, register, each phone's registration), dialing, the
// offered call's 2-second auto-answer countdown, the talking call's media controls, and the network level of the
// current second. State comes from REST and is kept current by the live channel (no polling).
import { api, ApiError } from '/shared/api.js';
import { $, h, render } from '/shared/dom.js';
import { levelLabel } from '/shared/level.js';
import { LiveChannel, liveStatusIn } from '/shared/live.js';
import { claimsOf, session } from '/shared/session.js';
import { CallMedia, reportOf } from '/softphone/media.js';

const PHONE_LABEL = {
  registered: 'registered',
  registering: 'registering…',
  failed: 'registration failed',
  deregistered: 'deregistered',
  unregistered: 'unregistered',
};
const PHONE_ICON = { registered: '●', registering: '◐', failed: '✖', deregistered: '✖', unregistered: '○' };
const CALL_STATE = {
  'ringing-agent': 'Your phone is ringing',
  'ringing-customer': "Ringing the customer's phone",
  offered: 'Incoming call',
  talking: 'Talking',
  queued: 'Waiting',
  ended: 'Call ended',
};

const state = { agent: null, call: null, level: null, quality: '', media: null, notice: '' };
let client;
let claims;
let statsTimer = null;

/** A route the services do not have (yet) is not the user's problem. */
function ignoreMissingRoute(error) {
  if (!(error instanceof ApiError) || error.code !== 'ROUTE_NOT_FOUND') throw error;
}

/** While signed in, the softphone tells agent-svc it is alive (its liveness), at the period agent-svc answers. */
async function heartbeat() {
  let seconds = 10;
  if (state.agent?.signedIn) {
    const answer = await client.post('agent', `/agents/${encodeURIComponent(claims.subject)}/heartbeat`).catch(() => null);
    seconds = answer?.heartbeatSeconds ?? seconds;
  }
  setTimeout(() => void heartbeat(), seconds * 1000);
}

function notify(error) {
  state.notice = error instanceof ApiError ? `${error.message} (${error.code})` : String(error?.message ?? error ?? '');
  render($('#notice'), state.notice);
}

async function act(action) {
  try {
    notify('');
    await action();
  } catch (error) {
    notify(error);
  }
}

async function refreshAgent() {
  state.agent = await client.get('agent', `/agents/${encodeURIComponent(claims.subject)}`);
  if (state.agent.currentCallId && state.call?.callId !== state.agent.currentCallId) await refreshCall(state.agent.currentCallId);
  await reportRegistrations();
  draw();
}

async function refreshCall(callId) {
  const call = await client.get('call', `/calls/${encodeURIComponent(callId)}`);
  if (state.call && state.call.callId !== call.callId && call.status === 'ended') return;
  state.call = call;
  await followMedia();
  draw();
}

/** Phones being registered by this page (several refreshes may see the same request). */
const registering = new Set();

/** Phones the service asked to register: the page registers them with the WebRTC gateway and reports the outcome. */
async function reportRegistrations() {
  for (const phone of state.agent.phones.filter((p) => p.status === 'registering' && !registering.has(p.phoneId))) {
    registering.add(phone.phoneId);
    try {
      const gateway = window.softphoneMediaGateway;
      const outcome = gateway?.register ? await gateway.register({ phoneId: phone.phoneId }) : { outcome: 'registered' };
      const path = `/agents/${encodeURIComponent(claims.subject)}/phones/${phone.phoneId}/registration-result`;
      state.agent = await client.post('agent', path, outcome);
    } finally {
      registering.delete(phone.phoneId);
    }
  }
}

/** Starts the call's media once it talks, stops it when it ends. */
async function followMedia() {
  const call = state.call;
  if (call?.status === 'talking' && !state.media && CallMedia.available) {
    const media = new CallMedia({
      callId: call.callId,
      video: call.media.mode === 'video',
      localVideo: $('#local-video'),
      remoteVideo: $('#remote-video'),
    });
    state.media = media;
    await media.start();
    if (call.media.muted) media.setMuted(true);
    statsTimer = setInterval(() => void postStats(media), 1000);
    await media.connected();
    // An auto-answered call is confirmed once its media flows (call-svc's guard puts it back in its queue otherwise).
    if (call.answeredBy === 'auto-answer')
      await client.post('call', `/calls/${encodeURIComponent(call.callId)}/media-confirmed`).catch(ignoreMissingRoute);
  }
  if (call?.status !== 'talking' && state.media) {
    clearInterval(statsTimer);
    state.media.close();
    state.media = null;
    state.level = null;
  }
}

/**
 * Once a second: the call's real getStats() report to quality-svc, as the agent. The level of each second it measures
 * comes back on the live channel (`seconds` frames).
 */
async function postStats(media) {
  if (media.closed) return;
  try {
    await client.post('quality', `/calls/${encodeURIComponent(media.callId)}/quality/samples`, {
      reports: [reportOf(await media.getStats())],
    });
    state.quality = '';
  } catch (error) {
    state.quality = error instanceof ApiError ? `quality not recorded (${error.code})` : 'quality not recorded';
  }
  drawLevel();
}

/** The network level of the current second, in place (the controls are not redrawn). */
function drawLevel() {
  const level = $('#level');
  if (!level) return;
  level.dataset.level = state.level ?? 'none';
  level.textContent = levelLabel(state.level);
  const note = $('#quality-note');
  if (note) note.textContent = state.quality ? ` ${state.quality}` : '';
}

/** The level of the current call's latest measured second (quality-svc, pushed on the live channel). */
function onSeconds(frame) {
  const latest = frame.seconds.filter((s) => s.callId === state.call?.callId && s.level).at(-1);
  if (!latest) return;
  state.level = latest.level;
  drawLevel();
}

function onEvent(event) {
  const { data } = event;
  if (event.type.startsWith('agent.')) return void act(refreshAgent);
  if (event.type === 'quality.level-changed' && data.callId === state.call?.callId) {
    state.level = data.to;
    return drawLevel();
  }
  if (event.type.startsWith('call.') && data.callId) {
    if (event.type === 'call.ended' && data.callId !== state.call?.callId) return;
    return void act(() => refreshCall(data.callId));
  }
}

function phoneChip(phone) {
  const status = phone.status;
  return h(
    'span.phone',
    { dataset: { status, phone: String(phone.phoneId) }, title: PHONE_LABEL[status] ?? status },
    h('span.icon', { 'aria-hidden': 'true' }, PHONE_ICON[status] ?? '?'),
    `Phone ${phone.phoneId}: ${PHONE_LABEL[status] ?? status}`,
  );
}

function drawBar() {
  const agent = state.agent;
  const id = encodeURIComponent(claims.subject);
  render(
    $('#bar'),
    h('span.agent-name', {}, agent.name),
    h('span.muted', {}, `No. ${agent.workNumber}`),
    h(
      'span#agent-state',
      { dataset: { state: agent.signedIn ? agent.availability : 'signed-out' } },
      agent.signedIn ? agent.availability : 'signed out',
    ),
    ...agent.phones.map(phoneChip),
    agent.signedIn
      ? h(
          'button#sign-out',
          {
            onclick: () => act(async () => ((state.agent = (await client.post('agent', `/agents/${id}/sign-out`)).agent), refreshAgent())),
          },
          'Sign Out',
        )
      : h(
          'button#sign-in',
          { onclick: () => act(async () => ((state.agent = (await client.post('agent', `/agents/${id}/sign-in`)).agent), refreshAgent())) },
          'Sign In',
        ),
    h(
      'button#register',
      {
        disabled: !agent.signedIn || agent.registered,
        onclick: () =>
          act(async () => ((state.agent = (await client.post('agent', `/agents/${id}/registration`, {})).agent), refreshAgent())),
      },
      'Register',
    ),
  );
}

function drawDialer() {
  const canDial =
    state.agent.signedIn && state.agent.phones.some((p) => p.status === 'registered') && (!state.call || state.call.status === 'ended');
  const dial = (media) =>
    act(async () => {
      const to = $('#number').value.trim();
      state.call = await client.post('call', '/calls', { to, media });
      draw();
    });
  render(
    $('#dialer'),
    h('label', { for: 'number' }, 'Number '),
    h('input#number', { inputmode: 'tel', autocomplete: 'off', value: $('#number')?.value ?? '' }),
    h('button#dial-voice', { disabled: !canDial, onclick: () => dial('voice') }, 'Voice call'),
    h('button#dial-video', { disabled: !canDial, onclick: () => dial('video') }, 'Video call'),
  );
}

function drawCall() {
  const call = state.call;
  if (!call) return render($('#call'), h('span.muted', {}, 'No call'));
  const id = encodeURIComponent(call.callId);
  const media = (change, extra = {}) =>
    act(async () => {
      state.call = {
        ...state.call,
        media: (await client.post('call', `/calls/${id}/media`, { change, ...extra })).media ?? state.call.media,
      };
      await refreshCall(call.callId);
    });
  const talking = call.status === 'talking';
  const m = call.media;
  const parts = [
    h('div.call-state', { dataset: { status: call.status } }, CALL_STATE[call.status] ?? call.status),
    h('div', {}, `${call.direction === 'inbound' ? 'From' : 'To'} ${call.direction === 'inbound' ? call.from : call.to} · ${m.mode}`),
  ];
  if (call.status === 'offered' && call.autoAnswerDueAt) {
    const left = Math.max(0, Date.parse(call.autoAnswerDueAt) - Date.now()) / 1000;
    parts.push(h('div.countdown#countdown', {}, `Answering automatically in ${left.toFixed(1)} s`));
  }
  if (talking && call.connectedAt)
    parts.push(h('div#talk-time', {}, `Talking ${Math.floor((Date.now() - Date.parse(call.connectedAt)) / 1000)} s`));
  if (call.status === 'ringing-agent')
    parts.push(h('button#answer', { onclick: () => act(() => client.post('call', `/calls/${id}/answer`)) }, 'Answer'));
  if (talking) {
    parts.push(
      h(
        'button#mute',
        { 'aria-pressed': String(m.muted), onclick: () => (state.media?.setMuted(!m.muted), media(m.muted ? 'unmuted' : 'muted')) },
        m.muted ? 'Unmute' : 'Mute',
      ),
      h(
        'button#switch-media',
        {
          onclick: () =>
            act(async () => {
              await state.media?.showCamera(m.mode === 'voice');
              await media(m.mode === 'voice' ? 'switched-to-video' : 'switched-to-voice');
            }),
        },
        m.mode === 'voice' ? 'Switch to video' : 'Switch to voice',
      ),
    );
    if (m.mode === 'video') {
      parts.push(
        h(
          'button#camera',
          {
            onclick: () =>
              act(async () => {
                await state.media?.showCamera(!m.cameraOn);
                await media(m.cameraOn ? 'camera-off' : 'camera-on');
              }),
          },
          m.cameraOn ? 'Camera off' : 'Camera on',
        ),
      );
      if (m.screenShare) {
        parts.push(
          h(
            'button#stop-share',
            {
              onclick: () =>
                act(async () => {
                  await state.media?.stopSharing(m.cameraOn);
                  await media('screen-share-stopped');
                }),
            },
            `Stop sharing (${m.screenShare})`,
          ),
        );
      } else {
        const select = h(
          'select#share-surface',
          {},
          h('option', { value: 'screen' }, 'Entire screen'),
          h('option', { value: 'window' }, 'Application window'),
          h('option', { value: 'tab' }, 'Browser tab'),
        );
        parts.push(
          select,
          h(
            'button#share',
            {
              onclick: () =>
                act(async () => {
                  const surface = select.value;
                  await state.media?.share(surface);
                  await media('screen-share-started', { screenShare: surface });
                }),
            },
            'Share',
          ),
        );
      }
    }
    parts.push(
      h(
        'div',
        {},
        'Network: ',
        h('span.level#level', { dataset: { level: state.level ?? 'none' } }, levelLabel(state.level)),
        h('span.muted#quality-note', {}, state.quality ? ` ${state.quality}` : ''),
      ),
    );
    if (!CallMedia.available) parts.push(h('div.muted', {}, 'No WebRTC gateway connected to this page: no media.'));
  }
  if (call.status !== 'ended')
    parts.push(h('button#hang-up', { onclick: () => act(() => client.post('call', `/calls/${id}/hang-up`)) }, 'Hang up'));
  if (call.status === 'ended') parts.push(h('div.muted', {}, `Ended: ${call.endReason ?? ''}`));
  render($('#call'), parts);
}

/** The countdown and the talk time move every 100 ms without redrawing the controls. */
function tickClocks() {
  const call = state.call;
  const countdown = $('#countdown');
  if (countdown && call?.autoAnswerDueAt) {
    countdown.textContent = `Answering automatically in ${(Math.max(0, Date.parse(call.autoAnswerDueAt) - Date.now()) / 1000).toFixed(1)} s`;
  }
  const talkTime = $('#talk-time');
  if (talkTime && call?.connectedAt) talkTime.textContent = `Talking ${Math.floor((Date.now() - Date.parse(call.connectedAt)) / 1000)} s`;
}

/** The video tiles show during a talking video call only: a voice call shows none. */
function drawVideo() {
  const call = state.call;
  $('#media').hidden = !(call?.status === 'talking' && call.media.mode === 'video');
}

function draw() {
  if (!state.agent) return;
  drawBar();
  drawDialer();
  drawCall();
  drawVideo();
}

function open(token) {
  claims = claimsOf(token);
  if (claims.role !== 'agent') throw new Error('this page is for agents: use an agent token');
  session.token = token;
  client = api(token);
  $('#signin').hidden = true;
  $('#app').hidden = false;
  new LiveChannel({
    token,
    storageKey: `softphone.position.${claims.tenantId}.${claims.subject}`,
    onEvent,
    onSeconds,
    onReady: () => act(refreshAgent),
    onStatus: liveStatusIn($('#live-status'), session),
    onRefused: (frame) => notify(`${frame.message} (${frame.code})`),
  });
  setInterval(tickClocks, 100);
  void heartbeat();
}

$('#signin').addEventListener('submit', (event) => {
  event.preventDefault();
  try {
    open($('#token').value.trim());
  } catch (error) {
    render($('#signin-error'), String(error.message));
  }
});

if (session.token) {
  try {
    open(session.token);
  } catch {
    session.token = null;
    $('#signin').hidden = false;
  }
} else {
  $('#signin').hidden = false;
}
