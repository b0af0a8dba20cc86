//! The discrete-event simulation: a clock, the controller of the scenario's mode with its queue
//! of controller events, the cluster's store and the per-partition results.
//!
//! Sans-I/O: time is an input (integer microseconds), nothing reads a clock, there is no
//! randomness, so a run is a pure function of its scenario (`docs/model.md`, "Design"). The
//! procedures live in `controller/`; this module sets a run up and steps it.

use crate::broker::{BrokerId, BrokerState};
use crate::cluster::{Cluster, EpochRule};
use crate::controller::{kraft, zookeeper, Context, Driven, Procedure};
use crate::profile::{Mode, Params};
use crate::results::{self, Rows, RunTimes, Summary};
use crate::scenario::{Fault, Plan, Scenario, ScenarioError};
use crate::step::{Step, StepKind};

pub use crate::cluster::Registration;

/// How many recent steps the simulation keeps for display; older ones are counted, not kept, so
/// a million-partition run does not hold millions of records.
pub const RECENT_STEPS: usize = 256;

/// One simulated run of a scenario.
pub struct Simulation {
    ctx: Context,
    controller: Box<dyn Procedure>,
    steps: u64,
    /// The most recent steps as a ring, `next_slot` the oldest once it is full. Each step is
    /// written into its slot in place, so a step costs no copy however long the run.
    recent: Vec<Step>,
    next_slot: usize,
}

impl Simulation {
    /// Validates the scenario and sets the cluster up; the fault is scheduled at time 0.
    pub fn new(scenario: &Scenario) -> Result<Simulation, ScenarioError> {
        Ok(Simulation::from_plan(scenario.plan()?))
    }

    pub fn from_plan(mut plan: Plan) -> Simulation {
        let n = plan.partitions();
        // The initial ISRs become the store's; the plan keeps no second copy.
        let isr = std::mem::take(&mut plan.isr);
        // A partition whose preferred replica is outside its given ISR starts led by the first
        // ISR member in assignment order, as a preferred election would have left it.
        let leader: Vec<BrokerId> = (0..n)
            .map(|p| {
                let preferred = plan.replicas(p)[0];
                if isr[p].contains(preferred) {
                    preferred
                } else {
                    isr[p].ordered_by(plan.replicas(p))[0]
                }
            })
            .collect();
        // Rows in the order the controller elects them: partition order, except that a
        // ZooKeeper-mode controlled shutdown acts only on replicated partitions
        // (`doControlledShutdown`); the single-replica ones go last and wait for the exit.
        let mode = plan.profile.mode;
        let mut rows: Vec<u32> = (0..n as u32)
            .filter(|&p| leader[p as usize] == plan.victim)
            .collect();
        if plan.fault == Fault::ControlledShutdown && mode == Mode::Zookeeper {
            rows.sort_by_key(|&p| plan.replicas(p as usize).len() == 1);
        }
        let epoch_rule = match mode {
            Mode::Zookeeper => EpochRule::EveryWrite,
            Mode::Kraft => EpochRule::LeaderChange,
        };
        let ctx = Context::new(plan, rows, |plan| {
            Cluster::new(&plan.brokers, plan.controller, leader, isr, epoch_rule)
        });
        let recent = Vec::with_capacity(RECENT_STEPS);
        let controller: Box<dyn Procedure> = match mode {
            Mode::Zookeeper => Box::new(Driven::new(zookeeper::ZkController::default())),
            Mode::Kraft => Box::new(Driven::new(kraft::KraftController::default())),
        };
        Simulation {
            ctx,
            controller,
            steps: 0,
            recent,
            next_slot: 0,
        }
    }

    pub fn plan(&self) -> &Plan {
        &self.ctx.plan
    }
    pub fn params(&self) -> &Params {
        &self.ctx.p
    }
    /// The simulated time of the last step taken (or of `run_until`).
    pub fn now_us(&self) -> i64 {
        self.ctx.now
    }
    pub fn is_done(&self) -> bool {
        self.controller.next_time().is_none()
    }
    /// Steps taken so far.
    pub fn steps_taken(&self) -> u64 {
        self.steps
    }
    /// The time of the next step, if any.
    pub fn next_time_us(&self) -> Option<i64> {
        self.controller.next_time()
    }
    /// The most recent steps, oldest first (at most `RECENT_STEPS`).
    pub fn recent_steps(&self) -> impl Iterator<Item = &Step> {
        let (newer, older) = self.recent.split_at(self.next_slot);
        older.iter().chain(newer)
    }
    pub fn rows(&self) -> &Rows {
        &self.ctx.rows
    }
    pub fn run_times(&self) -> &RunTimes {
        &self.ctx.run
    }
    pub fn cluster(&self) -> &Cluster {
        &self.ctx.cluster
    }
    pub fn controller(&self) -> Option<BrokerId> {
        self.ctx.cluster.controller()
    }
    pub fn brokers(&self) -> &[(BrokerId, BrokerState)] {
        self.ctx.cluster.brokers()
    }
    /// The row (election-order index) of a partition the victim led.
    pub fn row_of(&self, partition: usize) -> Option<usize> {
        self.ctx.row_of(partition)
    }
    /// A partition's registration as the controller's store has it now.
    pub fn partition_state(&self, p: usize) -> Registration {
        self.ctx.cluster.registration(p)
    }
    /// How many partitions each broker leads now (by the store), in `brokers()` order.
    pub fn leader_counts(&self) -> Vec<u32> {
        self.ctx.cluster.leader_counts()
    }

    /// Bytes held by the per-partition state and results (the vectors' capacities): the memory a
    /// run costs, for the benchmark's "bytes per partition".
    pub fn memory_bytes(&self) -> usize {
        self.ctx.memory_bytes() + self.controller.memory_bytes()
    }

    /// Takes the next step; `None` once the run is over.
    pub fn step(&mut self) -> Option<Step> {
        self.advance().cloned()
    }

    /// Takes the next step into the recent steps and returns it there (no copy for callers that
    /// only run on).
    fn advance(&mut self) -> Option<&Step> {
        let i = self.next_slot;
        if i == self.recent.len() {
            // The ring is not full yet: the step goes to a new slot.
            let mut step = Step::new(StepKind::BrokerCrashed, 0);
            if !self.controller.step(&mut self.ctx, &mut step) {
                return None;
            }
            self.recent.push(step);
        } else if !self.controller.step(&mut self.ctx, &mut self.recent[i]) {
            return None;
        }
        self.next_slot = (i + 1) % RECENT_STEPS;
        let step = &mut self.recent[i];
        step.seq = self.steps;
        self.steps += 1;
        self.ctx.run.end_us = step.time_us;
        Some(step)
    }

    /// Runs to the end and returns the summary.
    pub fn run(&mut self) -> Summary {
        while self.advance().is_some() {}
        self.summary()
    }

    /// Takes every step due at or before `t`, then sets the clock to `t` (if it is later).
    pub fn run_until(&mut self, t: i64) {
        while self.next_time_us().is_some_and(|at| at <= t) {
            self.advance();
        }
        self.ctx.now = self.ctx.now.max(t);
    }

    /// The per-partition results as CSV (see `results::csv`).
    pub fn csv(&self) -> String {
        results::csv(&self.ctx.plan, &self.ctx.rows, &self.ctx.run)
    }

    /// The run's aggregates. Meaningful once the run is done; before that they describe the
    /// plan as far as the controller has scheduled it.
    pub fn summary(&self) -> Summary {
        let c = &self.ctx;
        Summary::of(&c.plan, &c.p, &c.rows, &c.run, c.isr_shrinks, self.steps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::Lifecycle;

    /// The ring keeps the last `RECENT_STEPS` steps, oldest first, before and after it wraps.
    #[test]
    fn recent_steps_are_the_last_ones_in_order() {
        let mut sim = Simulation::new(&Scenario::with_partitions(200)).unwrap();
        let mut all = Vec::new();
        while let Some(step) = sim.step() {
            all.push(step);
            let from = all.len().saturating_sub(RECENT_STEPS);
            if all.len() % 97 == 0 || sim.is_done() {
                assert!(sim.recent_steps().eq(all[from..].iter()), "{}", all.len());
            }
        }
        assert!(all.len() > 2 * RECENT_STEPS);
    }

    /// The victim's own lifecycle follows the fault: crashed at once; shutting down, then exited.
    #[test]
    fn the_victim_s_lifecycle_follows_the_fault() {
        for profile in ["kafka-1.1", "kraft"] {
            let mut s = Scenario::with_partitions(20);
            s.profile = profile.into();
            let mut sim = Simulation::new(&s).unwrap();
            assert_eq!(sim.cluster().lifecycle(1), Lifecycle::Running);
            sim.step();
            assert_eq!(sim.cluster().lifecycle(1), Lifecycle::Crashed, "{profile}");
            sim.run();
            assert_eq!(sim.cluster().lifecycle(1), Lifecycle::Crashed, "{profile}");
            assert_eq!(sim.cluster().lifecycle(2), Lifecycle::Running, "{profile}");

            s.event = Fault::ControlledShutdown;
            let mut sim = Simulation::new(&s).unwrap();
            sim.step();
            assert_eq!(
                sim.cluster().lifecycle(1),
                Lifecycle::ShuttingDown,
                "{profile}"
            );
            sim.run();
            assert_eq!(sim.cluster().lifecycle(1), Lifecycle::Exited, "{profile}");
        }
    }
}
