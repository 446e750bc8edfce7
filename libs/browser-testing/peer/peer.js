// A WebRTC peer for the browser tests, driven by the harness through window.peer: the customer or gateway side of
// a call (Chromium's fake camera and microphone). Candidates are exchanged whole in the SDP (no trickle), so the
// harness can rewrite or withhold them.

/** Resolves once ICE gathering of `pc` is complete. */
function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
}

let pc = null;
let stream = null;

window.peer = {
  /** Opens the fake devices and a peer connection carrying them. */
  async start({ video = false } = {}) {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video });
    pc = new RTCPeerConnection({ iceServers: [] });
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.addEventListener('track', (event) => {
      const element = document.createElement(event.track.kind === 'video' ? 'video' : 'audio');
      element.autoplay = true;
      element.muted = true;
      element.srcObject = event.streams[0];
      document.body.append(element);
    });
  },
  async offer() {
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    return pc.localDescription.sdp;
  },
  async answer(offerSdp) {
    await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    return pc.localDescription.sdp;
  },
  async accept(answerSdp) {
    await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  },
  /** Resolves when the connection is up; rejects when it fails. */
  connected() {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pc.connectionState === 'connected') resolve();
        if (pc.connectionState === 'failed') reject(new Error('peer connection failed'));
      };
      pc.addEventListener('connectionstatechange', check);
      check();
    });
  },
  /** The entries of one getStats() report, as plain objects. */
  async stats() {
    const report = await pc.getStats();
    return [...report.values()].map((entry) => ({ ...entry }));
  },
  /** One report every `intervalMs` for `seconds` seconds: [{ at, stats }]. Certificates are left out. */
  async record(seconds, intervalMs = 1000) {
    const reports = [];
    const started = performance.now();
    for (let i = 1; i <= Math.round((seconds * 1000) / intervalMs); i += 1) {
      const wait = started + i * intervalMs - performance.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      const stats = (await window.peer.stats()).filter((entry) => entry.type !== 'certificate');
      reports.push({ at: Date.now(), stats });
    }
    return reports;
  },
  close() {
    pc?.close();
    for (const track of stream?.getTracks() ?? []) track.stop();
  },
};
