// Per-second quality charts of live calls (uPlot): loss, jitter, one-way delay and MOS of each measured second, fed by
// the live channel's `seconds` frames (quality-svc's measured seconds, no polling). When a call's chart first shows,
// the seconds it measured before are loaded once over REST and merged in time order.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { h, render } from '/shared/dom.js';
import { levelLabel } from '/shared/level.js';

const CHART_SECONDS = 120;
/** Charts drawn at once (the calls table has every call's level; a click on a row charts that call first). */
export const MAX_CHARTS = 6;

const OPTIONS = {
  width: 470,
  height: 150,
  legend: { show: true, live: false },
  series: [
    {},
    { label: 'loss %', stroke: '#cf222e', scale: '%' },
    { label: 'jitter ms', stroke: '#9a6700', scale: 'ms' },
    { label: 'delay ms', stroke: '#0969da', scale: 'ms' },
    { label: 'MOS', stroke: '#1a7f37', scale: 'mos' },
  ],
  scales: { mos: { range: [1, 5] }, '%': { range: (_u, _min, max) => [0, Math.max(5, max)] } },
  axes: [{}, { scale: 'ms' }, { scale: 'mos', side: 1, grid: { show: false } }],
};

/** The latest second's figures, in words (the chart has no axis for loss). */
function latestText(series) {
  const last = series[0].length - 1;
  if (last < 0) return 'no measured second yet';
  const [, loss, jitter, delay, mos] = series.map((column) => column[last]);
  const n = (value, digits, unit) => (value === null ? '—' : `${value.toFixed(digits)}${unit}`);
  return `latest second: loss ${n(loss, 1, ' %')} · jitter ${n(jitter, 0, ' ms')} · delay ${n(delay, 0, ' ms')} · MOS ${n(mos, 1, '')}`;
}

/** [times, loss %, jitter, delay, MOS]: an unrated second has no loss nor MOS (a gap). */
const emptySeries = () => [[], [], [], [], []];

export class QualityCharts {
  /** @param {HTMLElement} container @param {(callId: string, fromIso: string) => Promise<object[]>} history */
  constructor(container, history) {
    this.container = container;
    this.history = history;
    /** callId -> series */
    this.series = new Map();
    /** callId -> { card, plot, title, level } */
    this.cards = new Map();
    this.dirty = new Set();
  }

  /** Adds one measured second of a call (metrics null: not rated); a second already there is ignored. */
  add(callId, second, metrics) {
    const at = Date.parse(second) / 1000;
    let s = this.series.get(callId);
    if (!s) this.series.set(callId, (s = emptySeries()));
    let i = s[0].length;
    while (i > 0 && s[0][i - 1] > at) i -= 1;
    if (i > 0 && s[0][i - 1] === at) return;
    const loss = metrics?.lossRate;
    const values = [at, loss === null || loss === undefined ? null : loss * 100, metrics?.jitterMs, metrics?.oneWayDelayMs, metrics?.mos];
    values.forEach((value, n) => s[n].splice(i, 0, value ?? null));
    if (s[0].length > CHART_SECONDS) for (const column of s) column.shift();
    this.dirty.add(callId);
  }

  /**
   * Shows a chart for each of these calls, in order ({ callId, title, level }), and forgets the calls no longer live.
   * @param {{ callId: string, title: string, level: string | null }[]} shown
   * @param {Set<string>} live
   */
  show(shown, live) {
    for (const callId of this.series.keys()) if (!live.has(callId)) this.series.delete(callId);
    const wanted = new Set(shown.map((c) => c.callId));
    for (const [callId, card] of this.cards) {
      if (wanted.has(callId)) continue;
      card.plot.destroy();
      this.cards.delete(callId);
    }
    const cards = shown.map((call) => this.card(call));
    render(this.container, cards);
    for (const callId of wanted) this.dirty.add(callId);
    this.flush();
  }

  /** Redraws the charts whose seconds changed. */
  flush() {
    for (const callId of this.dirty) {
      const card = this.cards.get(callId);
      if (!card) continue;
      const series = this.series.get(callId) ?? emptySeries();
      card.plot.setData(series);
      card.element.dataset.seconds = String(series[0].length);
      card.latestNode.textContent = latestText(series);
    }
    this.dirty.clear();
  }

  card({ callId, title, level }) {
    let card = this.cards.get(callId);
    if (!card) {
      const levelNode = h('span.level', {});
      const titleNode = h('span', {});
      const latestNode = h('div.latest', {});
      const element = h('figure.call-chart', { dataset: { call: callId } }, h('figcaption', {}, titleNode, ' ', levelNode, latestNode));
      const plot = new uPlot(OPTIONS, this.series.get(callId) ?? emptySeries(), element);
      card = { element, plot, titleNode, levelNode, latestNode };
      this.cards.set(callId, card);
      void this.loadHistory(callId);
    }
    card.titleNode.textContent = title;
    card.levelNode.dataset.level = level ?? 'none';
    card.levelNode.textContent = levelLabel(level);
    return card.element;
  }

  async loadHistory(callId) {
    const from = new Date(Date.now() - CHART_SECONDS * 1000).toISOString();
    const seconds = await this.history(callId, from).catch(() => []);
    for (const s of seconds) this.add(callId, s.at, s);
    this.flush();
  }
}
