// One partition, step by step: replicas (assignment order), leader, ISR and leader epoch from the
// live simulation's partition(i), plus its whole story from the fully-run simulation.
import { t } from '../lib/i18n.js';
import { duration, ids } from '../lib/format.js';
import { breakdownWords } from './timeline.js';
import { TOPIC } from '../sharing/url-state.js';
import { stateName } from '../lib/catalog.js';

export class IsrView {
  constructor(root, { onSelect }) {
    this.root = root;
    this.input = root.querySelector('[data-testid=isr-partition-input]');
    this.name = root.querySelector('#isr-name');
    this.replicas = root.querySelector('#isr-replicas');
    this.leader = root.querySelector('[data-testid=isr-leader]');
    this.members = root.querySelector('[data-testid=isr-members]');
    this.epoch = root.querySelector('[data-testid=isr-epoch]');
    this.assignment = root.querySelector('#isr-assignment');
    this.story = root.querySelector('#isr-story');
    this.last = '';
    this.shown = null; // the number last written into the field
    this.input.addEventListener('change', () => onSelect(this.input.value, this.input));
    this.input.addEventListener('keydown', (e) => { if (e.key === 'Enter') onSelect(this.input.value, this.input); });
  }

  setRange(partitions) { this.input.title = t('field.range', { min: 0, max: partitions - 1 }); }

  /**
   * p: live partition(i); states: broker id → state; detail: the full run's rowDetail of this
   * partition (or null when the victim did not lead it); now: its rowStates value at t; step: last.
   */
  render({ p, states, detail, now, step, victim }) {
    // The field follows the partition shown, unless it holds something being typed (focused and
    // changed since it was last written): the reply to a pick (the timeline, the map, "back to
    // partition 0") comes from the engine worker after the pick, often with the field focused.
    const shown = String(p.index);
    const typing = document.activeElement === this.input && this.input.value !== this.shown && this.input.value !== shown;
    if (!typing) this.input.value = this.shown = shown;
    this.name.textContent = `${p.topic ?? TOPIC}-${p.partition}`;
    const key = `${p.index}|${p.leader}|${p.isr.join()}|${p.epoch}`;
    const changed = key !== this.last;
    this.last = key;
    this.replicas.innerHTML = p.replicas.map((b) => {
      const st = states.get(b) ?? 'alive';
      const cls = ['rep', p.isr.includes(b) ? 'in-isr' : '', p.leader === b ? 'leader' : '',
        st === 'dead' || st === 'fenced' ? 'down' : '', changed && step?.partition === p.index ? 'flash' : ''].join(' ');
      const role = p.leader === b ? t('isr.role.leader') : p.isr.includes(b) ? t('isr.role.isr') : t('isr.role.out');
      return `<div class="${cls}"><b>${b}</b>${role}</div>`;
    }).join('');
    this.leader.textContent = p.leader == null ? '—' : String(p.leader);
    this.leader.dataset.value = p.leader ?? '';
    this.members.textContent = ids(p.isr);
    this.epoch.textContent = String(p.epoch);
    this.assignment.textContent = ids(p.replicas);
    const parts = [];
    if (!detail) parts.push(t('isr.unaffected', { broker: victim, leader: p.replicas[0] }));
    else {
      parts.push(t('isr.now', { state: t('map.state.' + stateName(now)) }));
      if (detail.downtime_ms == null) parts.push(t('isr.story_never', { from: duration(detail.offline_ms) }));
      else {
        parts.push(t('isr.story', { from: duration(detail.offline_ms), to: duration(detail.client_ms), down: duration(detail.downtime_ms), leader: detail.new_leader ?? '—' }));
        parts.push(breakdownWords(detail.breakdown_ms) + '.');
        if (detail.unclean) parts.push(t('isr.unclean'));
      }
    }
    this.story.textContent = parts.join(' ');
  }
}
