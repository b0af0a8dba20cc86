//! The discrete-event simulation: a clock, the controller of the scenario's mode with its queue
//! of controller events, the cluster's store and the per-partition results.
//!
//! Sans-I/O: time is an input (integer microseconds), nothing reads a clock, there is no
//! randomness, so a run is a pure function of its scenario (`docs/model.md`, "Design"). The
//! procedures live in `controller/`; this module sets a run up and steps it.

use crate::broker::{BrokerId, BrokerSet, BrokerState};
use crate::cluster::{Cluster, EpochRule};
use crate::controller::restart::{Return, WithReturn};
use crate::controller::{kraft, zookeeper, Context, Driven, Procedure};
use crate::profile::{Mode, Params};
use crate::results::restart::{RestartSummary, RestartTimes};
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
        let plan = scenario.plan()?;
        if plan.rolling {
            return Err(ScenarioError::new(
                "event",
                "rolling-restart restarts every broker, one run each: it runs as a RollingRestart (the CLI's `run` does so); a Simulation takes crash or controlled-shutdown",
            ));
        }
        Ok(Simulation::from_plan(plan))
    }

    pub fn from_plan(plan: Plan) -> Simulation {
        let (plan, leader, isr) = Simulation::initial_store(plan);
        Simulation::from_state(plan, leader, isr, None, 0)
    }

    /// The store as the plan sets it up: its initial ISRs (moved out of the plan: it keeps no
    /// second copy), and each partition's leader — its preferred replica, or, when that is outside
    /// its given ISR, the first ISR member in assignment order, as a preferred election would
    /// have left it.
    fn initial_store(mut plan: Plan) -> (Plan, Vec<BrokerId>, Vec<BrokerSet>) {
        let n = plan.partitions();
        let isr = std::mem::take(&mut plan.isr);
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
        (plan, leader, isr)
    }

    /// A run from a given state of the store (a rolling restart's next broker starts from the
    /// state the one before left): leaders, ISRs, epochs (0 if `None`). The periodic
    /// leader-imbalance checks fall at `tick_origin + k · interval`.
    pub(crate) fn from_state(
        plan: Plan,
        leader: Vec<BrokerId>,
        isr: Vec<BrokerSet>,
        epoch: Option<Vec<u32>>,
        tick_origin: i64,
    ) -> Simulation {
        let mode = plan.profile.mode;
        let mut ctx = Simulation::context_from(plan, leader, isr, epoch);
        let recent = Vec::with_capacity(RECENT_STEPS);
        let mut controller: Box<dyn Procedure> = match mode {
            Mode::Zookeeper => Box::new(Driven::new(zookeeper::ZkController::default())),
            Mode::Kraft => Box::new(Driven::new(kraft::KraftController::default())),
        };
        if let Some(r) = ctx.plan.restart {
            ctx.expect_return(RestartTimes::new(r.after_us, r.leader_rebalance));
            controller = Box::new(WithReturn::new(controller, Return::new(r, tick_origin)));
        }
        Simulation {
            ctx,
            controller,
            steps: 0,
            recent,
            next_slot: 0,
        }
    }

    /// What a run of the plan starts from: the store as the plan sets it up, the rows in
    /// election order (for tests that drive a controller by hand).
    #[cfg(test)]
    pub(crate) fn context(plan: Plan) -> Context {
        let (plan, leader, isr) = Simulation::initial_store(plan);
        Simulation::context_from(plan, leader, isr, None)
    }

    fn context_from(
        plan: Plan,
        leader: Vec<BrokerId>,
        isr: Vec<BrokerSet>,
        epoch: Option<Vec<u32>>,
    ) -> Context {
        let n = plan.partitions();
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
        Context::new(plan, rows, |plan| {
            let mut c = Cluster::new(&plan.brokers, plan.controller, leader, isr, epoch_rule);
            if let Some(e) = epoch {
                c.set_epochs(e);
            }
            c
        })
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
        // Nobody reads the steps of a run to the end but the last ones, which the ring keeps: the
        // controller may take the others without building them.
        while {
            self.skip(RECENT_STEPS as u64);
            self.advance().is_some()
        } {}
        self.summary()
    }

    /// Lets the controller take steps without building them while at least `keep` follow
    /// (`Controller::skip`): the state is the same, only those steps are not in the ring.
    fn skip(&mut self, keep: u64) {
        let skipped = self.controller.skip(&mut self.ctx, keep);
        if skipped > 0 {
            self.steps += skipped;
            self.ctx.run.end_us = self.ctx.now;
        }
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
        let mut s = Summary::of(&c.plan, &c.p, &c.rows, &c.run, c.isr_shrinks, self.steps);
        s.restart = c
            .restart
            .as_ref()
            .map(|t| RestartSummary::of(t, c.run.fault_us, c.run.end_us));
        s
    }

    /// Each partition's under-replicated interval [left, back) caused by the victim, in µs
    /// (NEVER where it did not happen); empty slices without a restart.
    pub fn under_replicated(&self) -> (&[i64], &[i64]) {
        self.ctx.under_replicated()
    }

    /// The return's times so far (runs with a restart).
    pub fn restart_times(&self) -> Option<&RestartTimes> {
        self.ctx.restart.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::Lifecycle;
    use crate::scenario::{Override, TopicSpec};

    /// Scenarios where the ZooKeeper controller goes one partition at a time, in every shape
    /// that changes how its batches' events interleave: reads or none, failed elections (whose
    /// PartitionsOffline starts the next batch), reports due long after the next batch starts or
    /// at the same instant, single-replica partitions a controlled shutdown leaves alone, a new
    /// controller first, and the batch profile for contrast.
    fn one_by_one_scenarios() -> Vec<Scenario> {
        let mut out = Vec::new();
        let params: &[&[(&str, f64)]] = &[
            &[],
            &[("retry_backoff_ms", 30.0)],
            &[
                ("controller_per_partition_ms", 0.0),
                ("retry_backoff_ms", 0.0),
            ],
            &[
                ("controller_per_partition_ms", 0.0),
                ("propagation_ms", 0.0),
            ],
            &[
                ("zk_max_in_flight", 3.0),
                ("broker_apply_per_partition_ms", 0.5),
            ],
        ];
        for profile in ["book", "kafka-1.0", "kafka-1.1"] {
            for fault in Fault::ALL {
                for (i, extra) in params.iter().enumerate() {
                    let mut s = Scenario::with_partitions(300);
                    s.profile = profile.into();
                    s.event = fault;
                    if profile != "kafka-1.1" || i % 2 == 0 {
                        for key in ["crash_publication", "shutdown_publication"] {
                            let v = Override::Text("per_partition".into());
                            s.parameters.insert(key.into(), v);
                        }
                    }
                    for &(k, v) in extra.iter() {
                        s.parameters.insert(k.into(), Override::Number(v));
                    }
                    s.cluster.brokers = 4;
                    s.victim_is_controller = i == 1;
                    s.unclean = i == 3;
                    // A second topic: single replicas, and ISRs that leave some partitions
                    // without an eligible leader.
                    let assignment: Vec<Vec<u32>> = (0..200)
                        .map(|p| if p % 3 == 0 { vec![1] } else { vec![1, 3] })
                        .collect();
                    let isr = (0..200)
                        .map(|p| {
                            if p % 7 < 2 {
                                vec![1]
                            } else {
                                assignment[p].clone()
                            }
                        })
                        .collect();
                    s.cluster.topics.push(TopicSpec {
                        name: "odd".into(),
                        partitions: None,
                        replication_factor: 2,
                        layout: Default::default(),
                        led_by: None,
                        start_index: 0,
                        replica_shift: 0,
                        assignment: Some(assignment),
                        isr: Some(isr),
                        sole_isr_fraction: None,
                    });
                    out.push(s);
                }
            }
        }
        out
    }

    /// `run` takes runs of one-partition batches without building their steps
    /// (`Controller::skip`). Whatever it keeps back, every step it still builds, the ring and
    /// the end state are those of taking each step.
    #[test]
    fn skipping_steps_changes_nothing() {
        let mut skipped_somewhere = 0;
        for s in one_by_one_scenarios() {
            let mut reference = Simulation::new(&s).unwrap();
            let mut steps = Vec::new();
            while let Some(step) = reference.step() {
                steps.push(step);
            }
            for keep in [0, 1, 2, 5, 40, RECENT_STEPS as u64] {
                let mut sim = Simulation::new(&s).unwrap();
                let mut built = 0;
                loop {
                    sim.skip(keep);
                    let Some(step) = sim.advance() else { break };
                    assert_eq!(step, &steps[step.seq as usize], "{s:?} keep {keep}");
                    built += 1;
                }
                let what = format!("{} {:?} keep {keep}", s.profile, s.event);
                if built < steps.len() {
                    skipped_somewhere += 1;
                }
                assert_eq!(sim.steps_taken(), reference.steps_taken(), "{what}");
                assert_eq!(sim.summary(), reference.summary(), "{what}");
                assert_eq!(sim.run_times(), reference.run_times(), "{what}");
                assert_eq!(sim.now_us(), reference.now_us(), "{what}");
                assert_eq!(sim.csv(), reference.csv(), "{what}");
                let (a, b) = (sim.rows(), reference.rows());
                assert_eq!(a.new_leader, b.new_leader, "{what}");
                assert_eq!(a.new_isr, b.new_isr, "{what}");
                assert_eq!(a.unclean, b.unclean, "{what}");
                for p in 0..sim.plan().partitions() {
                    assert_eq!(
                        sim.partition_state(p),
                        reference.partition_state(p),
                        "{what} p{p}"
                    );
                }
                assert_eq!(sim.brokers(), reference.brokers(), "{what}");
                assert_eq!(sim.controller(), reference.controller(), "{what}");
                assert_eq!(sim.leader_counts(), reference.leader_counts(), "{what}");
                if keep >= RECENT_STEPS as u64 {
                    let ring: Vec<&Step> = sim.recent_steps().collect();
                    let want: Vec<&Step> = reference.recent_steps().collect();
                    assert_eq!(ring, want, "{what}");
                }
            }
            // `run` itself.
            let mut sim = Simulation::new(&s).unwrap();
            assert_eq!(sim.run(), reference.summary());
            assert!(sim.recent_steps().eq(reference.recent_steps()));
        }
        assert!(skipped_somewhere > 50, "{skipped_somewhere}");
    }

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
