//! A rolling restart, as operators run one (`docs/model.md`, "Rolling restart"): every broker is
//! stopped (controlled shutdown, or kill -9 for comparison), restarted after the operator's delay
//! and waited for until nothing is under-replicated, one at a time, the active controller last.
//!
//! Each broker's turn is one `Simulation` with a return, started from the store the turn before
//! left (leaders, ISRs, epochs) and placed on one time axis. Leadership goes back as the scenario
//! asks once the last broker is in sync (the periodic check's moves during the roll itself are
//! not modelled: each turn ends when its broker is in sync).

use serde::Serialize;

use crate::broker::BrokerId;
use crate::results::{ms, NEVER};
use crate::scenario::{LeaderRebalance, Plan, Scenario, ScenarioError};
use crate::simulation::Simulation;
use crate::step::Step;

/// Samples of the cluster's state per broker turn, for the page's chart.
const SAMPLES_PER_TURN: usize = 256;

/// One broker's turn (`per_broker`): times in ms from the start of the roll.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BrokerTurn {
    pub broker: BrokerId,
    pub stopped_ms: f64,
    /// The crash, or the clean exit.
    pub down_ms: f64,
    pub log_recovery_ms: f64,
    pub serving_ms: Option<f64>,
    /// Its replicas all back in the ISRs: the next broker's turn starts.
    pub in_sync_ms: Option<f64>,
    pub partitions_led: usize,
    pub max_downtime_ms: Option<f64>,
    pub unavailable_partition_seconds: f64,
    pub under_replicated_partition_seconds: f64,
}

/// `run --event rolling-restart --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RollingSummary {
    pub profile: String,
    pub mode: crate::profile::Mode,
    pub event: &'static str,
    pub rolling_stop: &'static str,
    pub partitions: usize,
    pub brokers: usize,
    pub restart_after_ms: f64,
    /// Until the last broker is in sync (`null` if a broker never catches up).
    pub rolling_restart_ms: Option<f64>,
    pub unavailable_partition_seconds: f64,
    pub under_replicated_partition_seconds: f64,
    pub delivery_timeout_ms: f64,
    /// Partitions that were unavailable longer than `delivery.timeout.ms` at least once.
    pub partitions_over_delivery_timeout: usize,
    pub leader_rebalance: &'static str,
    pub leadership_balanced_ms: Option<f64>,
    pub end_ms: f64,
    pub steps: u64,
    pub per_broker: Vec<BrokerTurn>,
}

/// The cluster at one instant of the roll (the page's chart).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub time_us: i64,
    /// The broker whose turn it is.
    pub broker: BrokerId,
    pub under_replicated: u32,
    pub unavailable: u32,
}

/// A rolling restart in progress.
pub struct RollingRestart {
    template: Plan,
    order: Vec<BrokerId>,
    turn: usize,
    current: Simulation,
    /// Where the current turn's time 0 is on the roll's axis.
    offset_us: i64,
    turns: Vec<BrokerTurn>,
    over: Vec<bool>,
    unavailable_us: i128,
    under_replicated_us: i128,
    samples: Vec<Sample>,
    steps: u64,
    finished: Option<i64>,
    balanced_us: i64,
}

impl RollingRestart {
    pub fn new(scenario: &Scenario) -> Result<RollingRestart, ScenarioError> {
        let plan = scenario.plan()?;
        if !plan.rolling {
            return Err(ScenarioError::new(
                "event",
                format!(
                    "{}; a rolling restart needs event rolling-restart",
                    scenario.event.name()
                ),
            ));
        }
        Ok(RollingRestart::from_plan(plan))
    }

    pub fn from_plan(plan: Plan) -> RollingRestart {
        // The active controller goes last; the others in id order.
        let mut order: Vec<BrokerId> = plan
            .brokers
            .iter()
            .copied()
            .filter(|&b| b != plan.controller)
            .collect();
        order.sort_unstable();
        order.push(plan.controller);
        let n = plan.partitions();
        let first = Self::turn_plan(&plan, order[0], plan.controller, 0);
        RollingRestart {
            current: Simulation::from_plan(first),
            template: plan,
            order,
            turn: 0,
            offset_us: 0,
            turns: Vec::new(),
            over: vec![false; n],
            unavailable_us: 0,
            under_replicated_us: 0,
            samples: Vec::new(),
            steps: 0,
            finished: None,
            balanced_us: NEVER,
        }
    }

    /// The plan of one broker's turn: that broker stops; leadership goes back only after the
    /// last turn.
    fn turn_plan(template: &Plan, victim: BrokerId, controller: BrokerId, turn: usize) -> Plan {
        let mut p = template.clone();
        p.victim = victim;
        p.controller = controller;
        p.rolling = false;
        let last = turn + 1 == template.brokers.len();
        if let Some(r) = p.restart.as_mut() {
            if !last && r.leader_rebalance == LeaderRebalance::Auto {
                r.leader_rebalance = LeaderRebalance::Off;
            }
        }
        p
    }

    pub fn plan(&self) -> &Plan {
        &self.template
    }
    /// The broker whose turn it is, and its run.
    pub fn current(&self) -> (BrokerId, &Simulation) {
        (self.order[self.turn], &self.current)
    }
    pub fn order(&self) -> &[BrokerId] {
        &self.order
    }
    pub fn offset_us(&self) -> i64 {
        self.offset_us
    }
    pub fn is_done(&self) -> bool {
        self.finished.is_some()
    }
    pub fn now_us(&self) -> i64 {
        self.offset_us + self.current.now_us()
    }
    pub fn turns(&self) -> &[BrokerTurn] {
        &self.turns
    }
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// The turn is over once its broker is in sync (and, with an immediate preferred election,
    /// once leadership is back), or when its run has nothing left to do.
    fn turn_over(&self) -> bool {
        if self.current.is_done() {
            return true;
        }
        let last = self.turn + 1 == self.order.len();
        match self.current.restart_times() {
            Some(t) if !last && t.in_sync_us != NEVER => {
                t.leader_rebalance != LeaderRebalance::Immediate
                    || t.balanced_us != NEVER
                    || t.preferred_moved == 0
            }
            _ => false,
        }
    }

    /// Takes the next step (its time on the roll's axis); `None` once the roll is over.
    pub fn step(&mut self) -> Option<Step> {
        if self.finished.is_some() {
            return None;
        }
        let mut step = self.current.step()?;
        step.time_us += self.offset_us;
        step.seq = self.steps;
        self.steps += 1;
        if self.turn_over() {
            self.end_turn();
        }
        Some(step)
    }

    /// Runs to the end and returns the summary.
    pub fn run(&mut self) -> RollingSummary {
        while self.step().is_some() {}
        self.summary()
    }

    fn end_turn(&mut self) {
        let sim = &self.current;
        let victim = self.order[self.turn];
        let off = self.offset_us;
        let summary = sim.summary();
        let end = sim.now_us();
        let t = sim.restart_times().expect("every turn returns");
        let rows = sim.rows();
        let at = |us: i64| (us != NEVER).then(|| ms(off + us));
        let mut unavailable: i128 = 0;
        for r in 0..rows.len() {
            let offline = rows.offline[r];
            if offline == NEVER {
                continue;
            }
            let until = if rows.client[r] == NEVER {
                end
            } else {
                rows.client[r]
            };
            let d = (until - offline).max(0);
            unavailable += i128::from(d);
            if rows.client[r] == NEVER || d > sim.params().delivery_timeout_us {
                self.over[rows.partition[r] as usize] = true;
            }
        }
        unavailable += t.switch_over_us;
        let under = t.under_replicated_us_until(end);
        self.unavailable_us += unavailable;
        self.under_replicated_us += under;
        self.samples.extend(Self::samples_of(sim, off, victim, end));
        self.turns.push(BrokerTurn {
            broker: victim,
            stopped_ms: ms(off),
            down_ms: ms(off + t.down_us.max(0)),
            log_recovery_ms: ms(t.log_us),
            serving_ms: at(t.serving_us),
            in_sync_ms: at(t.in_sync_us),
            partitions_led: summary.partitions_affected,
            max_downtime_ms: summary.max_downtime_ms,
            unavailable_partition_seconds: unavailable as f64 / 1e6,
            under_replicated_partition_seconds: under as f64 / 1e6,
        });
        if t.balanced_us != NEVER {
            self.balanced_us = off + t.balanced_us;
        }
        let in_sync = t.in_sync_us;
        if self.turn + 1 == self.order.len() || in_sync == NEVER {
            self.finished = Some(off + end);
            return;
        }
        // The next broker stops as soon as this one is in sync.
        let cluster = sim.cluster();
        let (leader, isr, epoch) = cluster.columns();
        let (leader, isr, epoch) = (leader.to_vec(), isr.to_vec(), epoch.to_vec());
        let controller = cluster.controller().unwrap_or(self.template.controller);
        self.offset_us = off + end;
        self.turn += 1;
        let plan = Self::turn_plan(&self.template, self.order[self.turn], controller, self.turn);
        self.current = Simulation::from_state(plan, leader, isr, Some(epoch), -self.offset_us);
    }

    /// The turn's under-replicated and unavailable partition counts at evenly spaced instants.
    fn samples_of(sim: &Simulation, offset: i64, broker: BrokerId, end: i64) -> Vec<Sample> {
        let n = SAMPLES_PER_TURN;
        let width = (end / n as i64).max(1);
        let buckets = (end / width + 1) as usize;
        let mut urp = vec![0i64; buckets + 1];
        let mut down = vec![0i64; buckets + 1];
        let bucket = |t: i64| ((t.max(0) / width) as usize).min(buckets);
        let add = |v: &mut Vec<i64>, from: i64, to: i64| {
            if from == NEVER {
                return;
            }
            let to = if to == NEVER { end + 1 } else { to };
            if to > from {
                v[bucket(from)] += 1;
                v[bucket(to)] -= 1;
            }
        };
        let (left, back) = sim.under_replicated();
        for p in 0..left.len() {
            add(&mut urp, left[p], back[p]);
        }
        let rows = sim.rows();
        for r in 0..rows.len() {
            add(&mut down, rows.offline[r], rows.client[r]);
        }
        let (mut u, mut d) = (0i64, 0i64);
        (0..buckets)
            .map(|i| {
                u += urp[i];
                d += down[i];
                Sample {
                    time_us: offset + i as i64 * width,
                    broker,
                    under_replicated: u.max(0) as u32,
                    unavailable: d.max(0) as u32,
                }
            })
            .collect()
    }

    pub fn summary(&self) -> RollingSummary {
        let p = &self.template;
        let r = p.restart.expect("a rolling restart returns");
        RollingSummary {
            profile: p.profile.name.to_string(),
            mode: p.profile.mode,
            event: crate::scenario::Fault::RollingRestart.name(),
            rolling_stop: p.fault.name(),
            partitions: p.partitions(),
            brokers: p.brokers.len(),
            restart_after_ms: ms(r.after_us),
            rolling_restart_ms: self
                .turns
                .last()
                .filter(|_| self.turns.len() == self.order.len())
                .and_then(|t| t.in_sync_ms),
            unavailable_partition_seconds: self.unavailable_us as f64 / 1e6,
            under_replicated_partition_seconds: self.under_replicated_us as f64 / 1e6,
            delivery_timeout_ms: ms(p.profile.params.delivery_timeout_us),
            partitions_over_delivery_timeout: self.over.iter().filter(|&&o| o).count(),
            leader_rebalance: r.leader_rebalance.name(),
            leadership_balanced_ms: (r.leader_rebalance != LeaderRebalance::Off
                && self.balanced_us != NEVER)
                .then(|| ms(self.balanced_us)),
            end_ms: ms(self.finished.unwrap_or(self.now_us())),
            steps: self.steps,
            per_broker: self.turns.clone(),
        }
    }
}
