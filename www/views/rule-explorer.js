// The rule explorer: one election case through the engine's elect(), the same rule functions the
// controller calls. Starts on the chapter's case: assignment [1, 3], ISR [1, 3], broker 1 gone.
// The strategies per mode and the highest broker id are the engine's (catalog()).
import { t } from '../lib/i18n.js';
import { ids } from '../lib/format.js';
import { catalog } from '../lib/catalog.js';

/** A problem with what was typed, found here and worded in the reader's language. */
class InputError extends Error {}
const NO_LEADER_ZK = { preferred: 'rules.no_election', reassign: 'rules.no_election', controlled_shutdown: 'rules.no_leader.controlled_shutdown' };
/** Kafka's "no leader" (LeaderAndIsr.NoLeader): accepted in the current-leader field. */
const NO_LEADER = -1;

export class RuleExplorer {
  constructor(form, elect) {
    this.form = form;
    this.elect = elect;
    this.out = form.querySelector('#rules-out');
    this.rule = form.querySelector('#rules-rule');
    form.addEventListener('input', () => this.run());
    form.addEventListener('change', (e) => { if (e.target.name === 'mode') this.fillStrategies(); this.run(); });
    form.addEventListener('submit', (e) => e.preventDefault());
    this.fillStrategies();
  }

  fillStrategies() {
    const sel = this.form.elements.strategy;
    const mode = this.form.elements.mode.value;
    const keep = sel.value;
    const strategies = catalog().strategies[mode] ?? [];
    sel.innerHTML = strategies.map((s) => `<option value="${s}">${t('rules.s.' + s)}</option>`).join('');
    if (strategies.includes(keep)) sel.value = keep;
  }

  /** Re-labels after a language switch. */
  relabel() { this.fillStrategies(); this.run(); }

  run() {
    const f = this.form.elements;
    const mode = f.mode.value;
    const strategy = f.strategy.value;
    for (const el of this.form.querySelectorAll('[data-only]')) {
      const only = el.dataset.only;
      el.hidden = only === 'target' ? strategy !== 'reassign' : only !== mode;
    }
    const maxId = catalog().limits.max_broker_id;
    const list = (name, { noLeader = false } = {}) => {
      const raw = f[name].value.trim();
      if (!raw) return [];
      if (noLeader && raw === String(NO_LEADER)) return [NO_LEADER];
      const parts = raw.split(/[\s,]+/).filter(Boolean);
      const bad = parts.find((p) => !/^\d+$/.test(p));
      if (bad != null) throw new InputError(t(noLeader ? 'rules.bad_leader' : 'rules.bad_list', { field: t('rules.field.' + name), value: bad }));
      // The engine checks these too, in English only: say it here in the reader's language.
      const nums = parts.map(Number);
      const big = nums.find((b) => b > maxId);
      if (big != null) throw new InputError(t('rules.err.id_range', { field: t('rules.field.' + name), value: big, max: maxId }));
      const twice = nums.find((b, i) => nums.indexOf(b) !== i);
      if (twice != null) throw new InputError(t('rules.err.twice', { field: t('rules.field.' + name), value: twice }));
      return nums;
    };
    try {
      const c = { mode, strategy, assignment: list('assignment'), isr: list('isr'), live: list('live') };
      if (!c.assignment.length) throw new InputError(t('rules.err.empty_assignment', { field: t('rules.field.assignment') }));
      const outside = c.isr.find((b) => !c.assignment.includes(b));
      if (outside != null) throw new InputError(t('rules.err.isr_subset', { value: outside }));
      if (mode === 'zk') { c.shutting_down = list('shutting_down'); c.unclean = f.unclean.checked; }
      if (strategy === 'reassign') c.target_replicas = list('target_replicas');
      if (mode === 'kraft') {
        // -1 is Kafka's "no leader" (a partition whose leader is gone): sent to elect as it is.
        const cur = list('current_leader', { noLeader: true });
        if (cur.length) c.current_leader = cur[0];
        c.elr_enabled = f.elr_enabled.checked;
      }
      const r = this.elect(c);
      // No leader means different things: after a failure the partition is offline; a preferred or
      // reassignment election that finds nobody does not happen (the current leader stays); under
      // a controlled shutdown the leaving broker keeps leading until it exits.
      const none = mode === 'zk' ? NO_LEADER_ZK[strategy] ?? 'rules.no_leader' : 'rules.no_leader';
      const leader = r.leader == null ? t(none) : t('rules.leader', { b: r.leader });
      let text = `${leader} · ISR [${ids(r.isr)}]`;
      if (r.unclean) text += ' · ' + t('rules.unclean_result');
      if (r.leader_recovery_state) text += ` · ${r.leader_recovery_state}`;
      if (r.elr?.length) text += ` · ELR [${ids(r.elr)}]`;
      this.out.textContent = text;
      this.out.classList.remove('err');
    } catch (e) {
      this.out.textContent = e instanceof InputError ? e.message : t('rules.error', { msg: e.message });
      this.out.classList.add('err');
    }
    this.rule.textContent = t(`rules.rule.${mode}.${strategy}`);
  }
}
