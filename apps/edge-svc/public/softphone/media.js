// The call's real media: an RTCPeerConnection with the microphone (and camera or a shared screen/window/tab on the
// video sender), negotiated with the WebRTC gateway through window.softphoneMediaGateway (the gateway's signaling
// connector; the test harness provides one that plays the customer's side). The system never carries media.

function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
  });
}

export class CallMedia {
  constructor({ callId, video, localVideo, remoteVideo }) {
    this.callId = callId;
    this.localVideo = localVideo;
    this.remoteVideo = remoteVideo;
    this.wantsVideo = video;
    this.camera = null;
    this.screen = null;
    this.closed = false;
  }

  static get available() {
    return typeof window.softphoneMediaGateway?.connect === 'function';
  }

  async start() {
    this.microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
    this.pc = new RTCPeerConnection({ iceServers: [] });
    const [audio] = this.microphone.getAudioTracks();
    this.audioSender = this.pc.addTransceiver(audio, { direction: 'sendrecv' }).sender;
    this.videoSender = this.pc.addTransceiver('video', { direction: 'sendrecv' }).sender;
    this.pc.addEventListener('track', (event) => {
      if (event.track.kind === 'video') this.remoteVideo.srcObject = new MediaStream([event.track]);
    });
    if (this.wantsVideo) await this.showCamera(true);
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await gathered(this.pc);
    const answer = await window.softphoneMediaGateway.connect({ callId: this.callId, offer: this.pc.localDescription.sdp });
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  /** Resolves once media flows (ICE and DTLS connected); rejects if the connection fails. */
  connected() {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.pc.connectionState === 'connected') resolve();
        if (this.pc.connectionState === 'failed') reject(new Error('the media connection failed'));
      };
      this.pc.addEventListener('connectionstatechange', check);
      check();
    });
  }

  setMuted(muted) {
    for (const track of this.microphone?.getAudioTracks() ?? []) track.enabled = !muted;
  }

  /** Camera on (video mode) or off: the video sender sends the camera, or nothing. */
  async showCamera(on) {
    if (on && !this.camera) this.camera = await navigator.mediaDevices.getUserMedia({ video: true });
    const track = on ? this.camera.getVideoTracks()[0] : null;
    if (!this.screen) {
      await this.videoSender?.replaceTrack(track);
      this.localVideo.srcObject = track ? new MediaStream([track]) : null;
    }
  }

  /** Shares the entire screen, an application window or a browser tab in place of the camera. */
  async share(surface) {
    const displaySurface = { screen: 'monitor', window: 'window', tab: 'browser' }[surface];
    this.screen = await navigator.mediaDevices.getDisplayMedia({ video: { displaySurface }, preferCurrentTab: surface === 'tab' });
    const [track] = this.screen.getVideoTracks();
    await this.videoSender.replaceTrack(track);
    this.localVideo.srcObject = new MediaStream([track]);
    return track.getSettings().displaySurface ?? displaySurface;
  }

  async stopSharing(cameraOn) {
    for (const track of this.screen?.getTracks() ?? []) track.stop();
    this.screen = null;
    await this.showCamera(cameraOn);
  }

  getStats() {
    return this.pc.getStats();
  }

  close() {
    this.closed = true;
    this.pc?.close();
    for (const stream of [this.microphone, this.camera, this.screen]) for (const track of stream?.getTracks() ?? []) track.stop();
    this.localVideo.srcObject = null;
    this.remoteVideo.srcObject = null;
  }
}

/**
 * One getStats() report as quality-svc takes it ({ stats: [every entry as a plain object] }): quality-svc computes
 * Table 2 from it (the agent being the recipient), so the browser sends what it measured, untouched.
 */
export function reportOf(report) {
  return { stats: [...report.values()].map((entry) => ({ ...entry })) };
}
