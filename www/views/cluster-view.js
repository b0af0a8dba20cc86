// The cluster as SVG: ZooKeeper (or the KRaft controller quorum), the brokers with their state,
// leader counts and the controller, the producers, and the messages of the current step.
// Built once per cluster shape; each step only updates texts and classes and redraws messages.
import { t, fmtNum } from '../lib/i18n.js';

const NS = 'http://www.w3.org/2000/svg';
// A broker on its way back (after a restart) shows what it is doing, not what the controller believes.
const RETURNING = ['recovering_logs', 'loading_logs', 'rejoining', 'catching_up'];
const stateText = (b) => (RETURNING.includes(b.lifecycle) ? t('lifecycle.' + b.lifecycle) : t('state.' + b.state));
const WIDE = 720;
const reduced = matchMedia('(prefers-reduced-motion: reduce)');

const el = (name, attrs = {}, parent) => {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
};

export class ClusterView {
  constructor(svg, { onPick }) {
    this.svg = svg;
    this.onPick = onPick;
    this.shape = '';
    this.brokers = new Map();
    // Narrow screens get a narrower drawing (bigger text) rather than a scaled-down wide one.
    this.W = WIDE;
    new ResizeObserver(() => {
      const w = svg.clientWidth ? Math.max(360, Math.min(WIDE, Math.round(svg.clientWidth / 60) * 60)) : WIDE;
      if (w !== this.W && this.last) { this.W = w; this.shape = ''; this.render(...this.last); }
      else this.W = w;
    }).observe(svg);
    svg.addEventListener('click', (e) => {
      const g = e.target.closest('[data-broker]');
      if (g) onPick(Number(g.dataset.broker));
    });
    svg.addEventListener('keydown', (e) => {
      const g = e.target.closest('[data-broker]');
      if (g && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); e.stopPropagation(); onPick(Number(g.dataset.broker)); }
    });
  }

  build(ids, mode) {
    const svg = this.svg;
    const W = this.W;
    svg.replaceChildren();
    this.mode = mode;
    const n = ids.length;
    const most = Math.floor(W / 90);
    const perRow = Math.min(n, Math.ceil(n / Math.ceil(n / most)));
    const gap = perRow > 6 ? 10 : 18;
    const bw = Math.min(150, (W - 24 - (perRow - 1) * gap) / perRow);
    const bh = bw < 80 ? 72 : 86;
    const y0 = 128;
    const rows = Math.ceil(n / perRow);
    this.geo = { bw, bh, small: bw < 80 };
    const defs = el('defs', {}, svg);
    const mk = el('marker', { id: 'cv-arr', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0 0L10 5L0 10z', class: 'cv-arrow' }, mk);
    // ZooKeeper / quorum
    const zk = el('g', { class: 'cv-node cv-zk' }, svg);
    const zw = 300;
    const zx = (W - zw) / 2;
    el('rect', { x: zx, y: 8, width: zw, height: 70, rx: 14 }, zk);
    this.zkTitle = el('text', { x: W / 2, y: 32, 'text-anchor': 'middle', class: 'title' }, zk);
    this.zkSub = el('text', { x: W / 2, y: 66, 'text-anchor': 'middle', class: 'sub' }, zk);
    this.voters = [0, 1, 2].map((i) => el('circle', { cx: W / 2 - 24 + i * 24, cy: 46, r: 6 }, zk));
    this.anchors = { zk: { x: W / 2, top: 8, bottom: 78 } };
    // Brokers
    this.brokers.clear();
    ids.forEach((id, i) => {
      const row = Math.floor(i / perRow);
      const inRow = Math.min(perRow, n - row * perRow);
      const x0 = (W - (inRow * bw + (inRow - 1) * gap)) / 2;
      const x = x0 + (i % perRow) * (bw + gap);
      const y = y0 + row * (bh + 34);
      const small = this.geo.small;
      // A button named by the words drawn in it (aria-label, the same words in drawing order) and
      // described by the sentence that explains them (its <title>, also the mouse's tooltip).
      const g = el('g', {
        class: 'cv-node cv-broker', 'data-testid': `broker-${id}`, 'data-broker': id, role: 'button', tabindex: 0,
        'aria-describedby': `cv-broker-${id}-desc`,
      }, svg);
      // Between the drawn texts, a space that SVG does not render (text outside <text> is never
      // drawn): the box's text content reads as words ("Broker 1 alive leads 10,000"), as the
      // accessibility checks read it, not as "Broker 1aliveleads 10,000".
      const space = () => g.appendChild(document.createTextNode(' '));
      el('rect', { class: 'box', x, y, width: bw, height: bh, rx: 12 }, g);
      const cx = x + bw / 2;
      const title = el('text', { x: cx, y: y + (small ? 20 : 24), 'text-anchor': 'middle', class: 'title' }, g);
      space();
      const state = el('text', { x: cx, y: y + (small ? 36 : 43), 'text-anchor': 'middle', class: 'sub' }, g);
      space();
      const leads = el('text', { x: cx, y: y + (small ? 52 : 62), 'text-anchor': 'middle', class: 'sub cv-lead' }, g);
      space();
      const vtag = el('text', { x: cx, y: y + bh - (small ? 5 : 7), 'text-anchor': 'middle', class: 'sub vtag' }, g);
      space();
      const crown = el('g', { class: 'crown' }, g);
      const cwid = small ? bw - 8 : 92;
      el('rect', { x: cx - cwid / 2, y: y - 10, width: cwid, height: 18, rx: 9, class: 'cv-crown' }, crown);
      const crownText = el('text', { x: cx, y: y + 3, 'text-anchor': 'middle', class: 'cv-crown-text' }, crown);
      const cross = el('g', { class: 'x' }, g);
      el('path', { d: `M${x + bw - 14} ${y + 5}l9 9m0-9l-9 9`, class: 'cv-x' }, cross);
      const tip = el('title', { id: `cv-broker-${id}-desc` }, g);
      this.brokers.set(id, { g, title, state, leads, vtag, crown, crownText, cross, tip, x: cx, top: y, bottom: y + bh, left: x, right: x + bw });
    });
    const cy = y0 + rows * (bh + 34) + 6;
    const cl = el('g', { class: 'cv-node cv-clients' }, svg);
    el('rect', { x: W / 2 - 90, y: cy, width: 180, height: 32, rx: 16 }, cl);
    this.clientsText = el('text', { x: W / 2, y: cy + 21, 'text-anchor': 'middle', class: 'sub' }, cl);
    this.anchors.clients = { x: W / 2, top: cy, bottom: cy + 32 };
    this.msgs = el('g', { class: 'cv-msgs' }, svg);
    svg.setAttribute('viewBox', `0 0 ${W} ${cy + 44}`);
  }

  /** cluster: live.cluster(); step: the last step taken (or null). */
  render(cluster, step) {
    this.last = [cluster, step];
    const ids = cluster.brokers.map((b) => b.id);
    const shape = ids.join(',') + cluster.mode;
    if (shape !== this.shape) { this.build(ids, cluster.mode); this.shape = shape; }
    const kraft = cluster.mode === 'kraft';
    this.zkTitle.textContent = t(kraft ? 'cv.quorum' : 'cv.zk');
    this.zkSub.textContent = t(kraft ? 'cv.quorum.sub' : 'cv.zk.sub');
    this.voters.forEach((c, i) => c.classList.toggle('active', kraft && i === 0));
    this.clientsText.textContent = t('cv.clients');
    const small = this.geo.small;
    const labels = [];
    for (const b of cluster.brokers) {
      const n = this.brokers.get(b.id);
      n.g.setAttribute('class', `cv-node cv-broker s-${b.state}${b.controller ? ' controller' : ''}${b.id === cluster.victim ? ' victim' : ''}`);
      n.title.textContent = small ? `B${b.id}` : t('cv.broker', { id: b.id });
      n.state.textContent = stateText(b);
      const gone = b.state === 'dead' || b.state === 'fenced';
      n.leads.textContent = small ? fmtNum(b.leads) : t(gone && b.leads ? 'cv.leads_gone' : 'cv.leads', { n: fmtNum(b.leads) });
      n.vtag.textContent = b.id === cluster.victim ? t('cv.victim') : '';
      n.crown.style.display = b.controller ? '' : 'none';
      n.crownText.textContent = small ? '★' : t('cv.controller');
      n.cross.style.display = gone ? '' : 'none';
      const aria = t('cv.aria', {
        id: b.id, state: stateText(b), n: fmtNum(b.leads),
        ctl: b.controller ? t('cv.aria.controller') : '', victim: b.id === cluster.victim ? t('cv.aria.victim') : '',
      });
      // The accessible name is the text drawn in the box, in drawing order (a screen reader user
      // and a sighted one, speech input included, name the button alike); the sentence that
      // explains it is the description (aria-describedby → the <title>).
      const drawn = [n.title, n.state, n.leads, n.vtag].map((x) => x.textContent)
        .concat(b.controller ? [n.crownText.textContent] : []).filter(Boolean).join(' ');
      n.g.setAttribute('aria-label', drawn);
      n.tip.textContent = aria;
      labels.push(aria);
    }
    this.text = labels.join(' ');
    this.drawMessages(cluster, step);
  }

  drawMessages(cluster, step) {
    this.msgs.replaceChildren();
    if (!step) return;
    const kraft = cluster.mode === 'kraft';
    const ctl = kraft ? 'zk' : (cluster.controller ?? step.broker);
    const victim = cluster.victim;
    const reachable = cluster.brokers.filter((b) => b.state === 'alive' || b.state === 'shutting_down').map((b) => b.id);
    const arrows = [];
    const notes = [];
    const m = (from, to, key, vars, reply) => arrows.push({ from, to, text: key && t('msg.' + key, vars), reply });
    const note = (at, key, vars) => notes.push({ at, text: t('msg.' + key, vars) });
    const s = step;
    switch (s.kind) {
      case 'broker_crashed': note(victim, 'kill'); break;
      case 'shutdown_signal': note(victim, 'sigterm'); break;
      case 'session_expired': note('zk', 'expired', { b: victim }); break;
      case 'broker_change': m('zk', ctl, 'watch'); break;
      case 'controller_elected': kraft ? note('zk', 'quorum_elected', { b: s.broker }) : m(s.broker, 'zk', 'controller_znode'); break;
      case 'metadata_loaded': m('zk', s.broker ?? ctl, 'load', { n: s.count }); break;
      case 'shutdown_requested': m(victim, ctl, 'cs_request'); break;
      case 'state_read': m(ctl, 'zk', 'read'); m('zk', ctl, null, null, true); break;
      case 'leaders_elected': note(ctl, 'elect', { n: s.count }); break;
      case 'state_written': m(ctl, 'zk', 'write', { n: s.count }); break;
      case 'leader_and_isr_sent':
        reachable.filter((b) => b !== ctl).forEach((b, i) => m(ctl, b, i === 0 ? 'lai' : null));
        if (reachable.every((b) => b === ctl)) note(ctl, 'lai');
        break;
      case 'leaders_serving': (s.leader != null ? [s.leader] : reachable.filter((b) => b !== victim)).forEach((b) => note(b, 'serving')); break;
      case 'clients_reconnected': (s.leader != null ? [s.leader] : reachable.filter((b) => b !== victim)).forEach((b, i) => m('clients', b, i === 0 ? 'clients' : null)); break;
      case 'partitions_offline': note(ctl, 'offline', { n: s.count }); break;
      case 'isr_shrunk': kraft ? note('zk', 'isr_records', { n: s.count }) : m(ctl, 'zk', 'shrink', { n: s.count }); break;
      case 'stop_replica_sent': m(ctl, victim, 'stop_replica'); break;
      case 'shutdown_replied': m(ctl, victim, 'cs_reply', null, true); break;
      case 'broker_exited': note(victim, 'exited'); break;
      case 'broker_fenced': note('zk', 'fenced', { b: victim }); break;
      case 'shutdown_heartbeat': m(victim, 'zk', 'heartbeat'); break;
      case 'records_appended': note('zk', 'append', { n: s.count }); break;
      case 'records_committed': reachable.forEach((b, i) => m('zk', b, i === 0 ? 'replay' : null)); break;
      case 'shutdown_released': m('zk', victim, 'released', null, true); break;
    }
    const pos = (k) => (k === 'zk' || k === 'clients' ? this.anchors[k] : this.brokers.get(k));
    arrows.forEach((a) => this.arrow(pos(a.from), pos(a.to), a));
    for (const n of notes) {
      const p = pos(n.at);
      if (!p) continue;
      const y = n.at === 'zk' ? p.bottom + 18 : n.at === 'clients' ? p.top - 8 : p.top - 16 - (p.crown.style.display === 'none' ? 0 : 10);
      const g = el('g', { class: 'cv-msg' }, this.msgs);
      el('text', { x: p.x, y, 'text-anchor': 'middle', class: 'cv-note' }, g).textContent = n.text;
    }
  }

  arrow(a, b, msg) {
    if (!a || !b || a === b) return;
    const g = el('g', { class: 'cv-msg' + (msg.reply ? ' reply' : '') }, this.msgs);
    const off = msg.reply ? 10 : -10;
    let d;
    let mid;
    if (a === this.anchors.zk || b === this.anchors.zk) {
      const zkSide = a === this.anchors.zk;
      const br = zkSide ? b : a;
      const zx = this.anchors.zk.x + Math.max(-110, Math.min(110, (br.x - this.anchors.zk.x) * 0.5)) + off;
      const p1 = zkSide ? { x: zx, y: this.anchors.zk.bottom } : { x: br.x + off, y: br.top };
      const p2 = zkSide ? { x: br.x + off, y: br.top - (br.top > 130 ? 12 : 0) } : { x: zx, y: this.anchors.zk.bottom + 2 };
      d = `M${p1.x} ${p1.y}L${p2.x} ${p2.y}`;
      mid = { x: (p1.x + p2.x) / 2, y: (p1.y + p2.y) / 2 };
    } else if (a === this.anchors.clients || b === this.anchors.clients) {
      const p1 = { x: a.x, y: a.top };
      const p2 = { x: b.x, y: b.bottom + 2 };
      d = `M${p1.x} ${p1.y}L${p2.x} ${p2.y}`;
      mid = { x: (p1.x + p2.x) / 2, y: (p1.y + p2.y) / 2 };
    } else {
      // Broker to broker: an arc above the row.
      const p1 = { x: a.x + (b.x > a.x ? 12 : -12), y: a.top };
      const p2 = { x: b.x + (b.x > a.x ? -12 : 12), y: b.top - 3 };
      const c = { x: (p1.x + p2.x) / 2, y: Math.min(p1.y, p2.y) - 34 - Math.abs(p2.x - p1.x) * 0.08 };
      d = `M${p1.x} ${p1.y}Q${c.x} ${c.y} ${p2.x} ${p2.y}`;
      mid = { x: 0.25 * p1.x + 0.5 * c.x + 0.25 * p2.x, y: 0.25 * p1.y + 0.5 * c.y + 0.25 * p2.y };
    }
    el('path', { d, 'marker-end': 'url(#cv-arr)' }, g);
    if (msg.text) {
      // Labels grow away from the nearer edge so they are never cut off.
      const right = mid.x > this.W * 0.55;
      el('text', { x: mid.x + (right ? -6 : 6), y: mid.y - 4, 'text-anchor': right ? 'end' : 'start' }, g).textContent = msg.text;
    }
    if (!reduced.matches) {
      const dot = el('circle', { r: 4 }, g);
      const anim = el('animateMotion', { dur: '0.6s', fill: 'freeze', begin: 'indefinite', path: d }, dot);
      requestAnimationFrame(() => anim.beginElement?.());
    }
  }
}
