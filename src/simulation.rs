//! The discrete-event simulation: a clock, a queue of scheduled controller actions ordered by
//! (time, sequence number), the cluster's state and the per-partition results.
//!
//! Sans-I/O: time is an input (integer microseconds), nothing reads a clock, there is no
//! randomness, so a run is a pure function of its scenario. The procedures themselves live in
//! `zookeeper.rs` and `kraft.rs`; this module holds what they share.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::broker::{BrokerId, BrokerSet, BrokerState};
use crate::event::{Step, StepKind};
use crate::profile::{Mode, Params};
use crate::results::{self, Rows, RunTimes, Summary, NEVER, NO_LEADER};
use crate::scenario::{Fault, Plan, Scenario, ScenarioError};

/// How many recent steps the simulation keeps for display; older ones are counted, not kept, so
/// a million-partition run does not hold millions of records.
pub const RECENT_STEPS: usize = 256;

/// A contiguous range of work items (rows, ISR-shrink partitions or KRaft records).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn len(self) -> u32 {
        self.end - self.start
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A scheduled controller action. Each one, when its time comes, updates the state and becomes
/// one `Step`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Action {
    Fault,
    SessionExpired,
    ControllerElected { broker: BrokerId, then_load: bool },
    MetadataLoaded,
    BrokerChange,
    ShutdownRequested { attempt: u32 },
    StateRead { rows: Span },
    LeadersElected { rows: Span },
    PartitionsOffline { rows: Span },
    StateWritten { rows: Span },
    LeaderAndIsrSent { rows: Span, requests: u32 },
    LeadersServing { rows: Span },
    ClientsReconnected { rows: Span },
    IsrShrunk { count: u32, requests: u32 },
    StopReplicaSent { count: u32 },
    ShutdownReplied { remaining: u32, attempt: u32 },
    ExitElectionsWritten { count: u32 },
    BrokerExited,
    BrokerFenced,
    ShutdownHeartbeat,
    RecordsAppended { records: Span },
    RecordsCommitted { records: Span },
    ShutdownReleased,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Scheduled {
    at: i64,
    seq: u64,
    action: Action,
}

/// A partition's registration in the controller's store (ZooKeeper or the metadata log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Registration {
    pub leader: Option<BrokerId>,
    pub isr: BrokerSet,
    pub epoch: u32,
}

/// One simulated run of a scenario.
pub struct Simulation {
    pub(crate) plan: Plan,
    pub(crate) p: Params,
    // Cluster state.
    pub(crate) leader: Vec<BrokerId>,
    /// Partitions led per broker id (index 255: leaderless), kept as the store changes so the
    /// page can ask every frame without counting a million partitions.
    leads: Vec<u32>,
    pub(crate) isr: Vec<BrokerSet>,
    pub(crate) epoch: Vec<u32>,
    pub(crate) broker_state: Vec<(BrokerId, BrokerState)>,
    pub(crate) controller: Option<BrokerId>,
    // The work: rows = partitions the victim led, in election order.
    pub(crate) rows: Rows,
    pub(crate) row_of: Vec<u32>,
    /// KRaft: the partitions one controller event changes (led and followed), in record order.
    pub(crate) records: Vec<u32>,
    /// KRaft: Eligible Leader Replicas and last known ELR (empty vectors in ZooKeeper mode).
    pub(crate) elr: Vec<BrokerSet>,
    pub(crate) last_known_elr: Vec<BrokerSet>,
    /// KRaft: the brokers acceptable as leader when the records were built.
    pub(crate) acceptable: BrokerSet,
    pub(crate) isr_shrinks: usize,
    /// ZooKeeper controlled shutdown: the broker has exited with partitions it could not move,
    /// and the controller now handles it as a failed broker (past the chapter's steps).
    pub(crate) after_exit: bool,
    pub(crate) run: RunTimes,
    // The event queue.
    now: i64,
    seq: u64,
    queue: BinaryHeap<Reverse<Scheduled>>,
    steps: u64,
    recent: VecDeque<Step>,
}

impl Simulation {
    /// Validates the scenario and sets the cluster up; the fault is scheduled at time 0.
    pub fn new(scenario: &Scenario) -> Result<Simulation, ScenarioError> {
        Ok(Simulation::from_plan(scenario.plan()?))
    }

    pub fn from_plan(mut plan: Plan) -> Simulation {
        let n = plan.partitions();
        let leader: Vec<BrokerId> = (0..n).map(|p| plan.replicas(p)[0]).collect();
        // The initial ISRs become the store's; the plan keeps no second copy.
        let isr = std::mem::take(&mut plan.isr);
        // A partition whose preferred replica is outside its given ISR starts led by the first
        // ISR member in assignment order, as a preferred election would have left it.
        let leader = leader
            .into_iter()
            .enumerate()
            .map(|(p, l)| {
                if isr[p].contains(l) {
                    l
                } else {
                    isr[p].ordered_by(plan.replicas(p))[0]
                }
            })
            .collect::<Vec<_>>();
        // Rows in the order the controller elects them: partition order, except that a
        // ZooKeeper-mode controlled shutdown acts only on replicated partitions
        // (`doControlledShutdown`); the single-replica ones go last and wait for the exit.
        let zk_shutdown =
            plan.fault == Fault::ControlledShutdown && plan.profile.mode == Mode::Zookeeper;
        let mut row_partitions: Vec<u32> = (0..n as u32)
            .filter(|&p| leader[p as usize] == plan.victim)
            .collect();
        if zk_shutdown {
            row_partitions.sort_by_key(|&p| plan.replicas(p as usize).len() == 1);
        }
        let mut row_of = vec![u32::MAX; n];
        for (r, &p) in row_partitions.iter().enumerate() {
            row_of[p as usize] = r as u32;
        }
        let mut rows = Rows::with_capacity(row_partitions.len());
        rows.partition = row_partitions;
        let mut leads = vec![0u32; 256];
        for &l in &leader {
            leads[l as usize] += 1;
        }
        let broker_state = plan
            .brokers
            .iter()
            .map(|&b| (b, BrokerState::Alive))
            .collect();
        let mut sim = Simulation {
            p: plan.profile.params.clone(),
            controller: Some(plan.controller),
            leader,
            leads,
            isr,
            epoch: vec![0; n],
            broker_state,
            rows,
            row_of,
            records: Vec::new(),
            elr: Vec::new(),
            last_known_elr: Vec::new(),
            acceptable: BrokerSet::EMPTY,
            isr_shrinks: 0,
            after_exit: false,
            run: RunTimes::default(),
            now: 0,
            seq: 0,
            queue: BinaryHeap::new(),
            steps: 0,
            recent: VecDeque::with_capacity(RECENT_STEPS),
            plan,
        };
        sim.schedule(0, Action::Fault);
        sim
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }
    pub fn params(&self) -> &Params {
        &self.p
    }
    /// The simulated time of the last step taken (or of `run_until`).
    pub fn now_us(&self) -> i64 {
        self.now
    }
    pub fn is_done(&self) -> bool {
        self.queue.is_empty()
    }
    /// Steps taken so far.
    pub fn steps_taken(&self) -> u64 {
        self.steps
    }
    /// The time of the next step, if any.
    pub fn next_time_us(&self) -> Option<i64> {
        self.queue.peek().map(|Reverse(s)| s.at)
    }
    /// The most recent steps, oldest first (at most `RECENT_STEPS`).
    pub fn recent_steps(&self) -> impl Iterator<Item = &Step> {
        self.recent.iter()
    }
    pub fn rows(&self) -> &Rows {
        &self.rows
    }
    pub fn run_times(&self) -> &RunTimes {
        &self.run
    }
    pub fn controller(&self) -> Option<BrokerId> {
        self.controller
    }
    pub fn brokers(&self) -> &[(BrokerId, BrokerState)] {
        &self.broker_state
    }
    /// The row (election-order index) of a partition the victim led.
    pub fn row_of(&self, partition: usize) -> Option<usize> {
        self.row_of
            .get(partition)
            .filter(|&&r| r != u32::MAX)
            .map(|&r| r as usize)
    }
    /// A partition's registration as the controller's store has it now.
    pub fn partition_state(&self, p: usize) -> Registration {
        let l = self.leader[p];
        Registration {
            leader: (l != NO_LEADER).then_some(l),
            isr: self.isr[p],
            epoch: self.epoch[p],
        }
    }
    /// How many partitions each broker leads now (by the store), in `brokers()` order.
    pub fn leader_counts(&self) -> Vec<u32> {
        self.broker_state
            .iter()
            .map(|&(b, _)| self.leads[b as usize])
            .collect()
    }

    /// Bytes held by the per-partition state and results (the vectors' capacities): the memory a
    /// run costs, for the benchmark's "bytes per partition".
    pub fn memory_bytes(&self) -> usize {
        fn bytes<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        let r = &self.rows;
        [
            &r.offline,
            &r.election_start,
            &r.elected,
            &r.write_issued,
            &r.persisted,
            &r.publish_sent,
            &r.serving,
            &r.client,
        ]
        .into_iter()
        .map(bytes)
        .sum::<usize>()
            + [
                &r.new_isr,
                &self.isr,
                &self.elr,
                &self.last_known_elr,
                &self.plan.isr,
            ]
            .into_iter()
            .map(bytes)
            .sum::<usize>()
            + [
                &r.partition,
                &self.row_of,
                &self.records,
                &self.epoch,
                &self.plan.offsets,
            ]
            .into_iter()
            .map(bytes)
            .sum::<usize>()
            + bytes(&r.new_leader)
            + bytes(&r.unclean)
            + bytes(&self.leader)
            + bytes(&self.plan.assignment)
    }

    /// Takes the next step; `None` once the run is over.
    pub fn step(&mut self) -> Option<Step> {
        let Reverse(next) = self.queue.pop()?;
        self.now = next.at;
        let mut step = self.apply(next.action);
        step.seq = self.steps;
        step.time_us = next.at;
        self.steps += 1;
        self.run.end_us = next.at;
        if self.recent.len() == RECENT_STEPS {
            self.recent.pop_front();
        }
        self.recent.push_back(step.clone());
        Some(step)
    }

    /// Runs to the end and returns the summary.
    pub fn run(&mut self) -> Summary {
        while self.step().is_some() {}
        self.summary()
    }

    /// Takes every step due at or before `t`, then sets the clock to `t` (if it is later).
    pub fn run_until(&mut self, t: i64) {
        while self.next_time_us().is_some_and(|at| at <= t) {
            self.step();
        }
        self.now = self.now.max(t);
    }

    pub(crate) fn schedule(&mut self, at: i64, action: Action) {
        debug_assert!(at >= self.now, "no scheduling into the past");
        self.queue.push(Reverse(Scheduled {
            at,
            seq: self.seq,
            action,
        }));
        self.seq += 1;
    }

    fn apply(&mut self, action: Action) -> Step {
        match self.plan.profile.mode {
            Mode::Zookeeper => self.apply_zookeeper(action),
            Mode::Kraft => self.apply_kraft(action),
        }
    }

    pub(crate) fn set_broker(&mut self, b: BrokerId, s: BrokerState) {
        if let Some(e) = self.broker_state.iter_mut().find(|(id, _)| *id == b) {
            e.1 = s;
        }
    }

    pub(crate) fn brokers_in(&self, pred: impl Fn(BrokerState) -> bool) -> BrokerSet {
        self.broker_state
            .iter()
            .filter(|(_, s)| pred(*s))
            .map(|&(b, _)| b)
            .collect()
    }

    /// The broker that takes over as controller: the lowest surviving id (in ZooKeeper mode
    /// whoever creates /controller first; the engine picks deterministically).
    pub(crate) fn successor(&self) -> Option<BrokerId> {
        self.plan
            .brokers
            .iter()
            .copied()
            .filter(|&b| b != self.plan.victim)
            .min()
    }

    /// Writes a partition's new registration into the store. The leader epoch rises on every
    /// leader change; the ZooKeeper-mode controller also bumps it on every LeaderAndIsr it writes
    /// itself (`LeaderAndIsr.newLeaderAndIsr`, ISR shrinks included), while KRaft (metadata
    /// version 3.6+) bumps it only when the leader changes.
    pub(crate) fn store(&mut self, p: usize, leader: Option<BrokerId>, isr: BrokerSet) {
        let l = leader.unwrap_or(NO_LEADER);
        // An ISR shrink of a partition the victim followed (its leader unaffected).
        if isr != self.isr[p] && self.row_of(p).is_none() {
            self.isr_shrinks += 1;
        }
        if self.leader[p] != l || self.plan.profile.mode == Mode::Zookeeper {
            self.epoch[p] += 1;
        }
        self.leads[self.leader[p] as usize] -= 1;
        self.leads[l as usize] += 1;
        self.leader[p] = l;
        self.isr[p] = isr;
    }

    /// If the victim is the controller, it is gone now: the survivors elect a new one `delay`
    /// later (`then_load`: the new controller must load every partition's state first).
    pub(crate) fn fail_over_if_controller(&mut self, delay: i64, then_load: bool) -> bool {
        if self.controller != Some(self.plan.victim) {
            return false;
        }
        self.controller = None;
        if let Some(broker) = self.successor() {
            self.schedule(
                self.now + delay,
                Action::ControllerElected { broker, then_load },
            );
        }
        true
    }

    /// A step about the victim broker.
    pub(crate) fn victim_step(&self, kind: StepKind) -> Step {
        let mut s = Step::new(kind, self.now);
        s.broker = Some(self.plan.victim);
        s
    }

    /// At a crash: every partition the victim led is unreachable from now on.
    pub(crate) fn rows_offline_from(&mut self, t: i64) {
        self.rows.offline.iter_mut().for_each(|o| *o = t);
    }

    /// A ZooKeeper request pipeline with the profile's window, round trip and per-request cost.
    pub(crate) fn zk_pipeline(&self) -> Pipeline {
        Pipeline::new(
            self.p.zk_max_in_flight,
            self.p.zk_round_trip_us,
            self.p.zk_pipelined_op_us,
        )
    }

    /// Client discovery: after the new leader serves, a producer's next retry (one backoff) and a
    /// metadata refresh reach it.
    pub(crate) fn client_discovery_us(&self) -> i64 {
        self.p.retry_backoff_us + self.p.metadata_refresh_us
    }

    /// A step about one range of rows; for a single row it names the partition and its new
    /// leader, ISR and epoch as the store has them.
    pub(crate) fn row_step(&self, kind: StepKind, rows: Span) -> Step {
        let mut s = Step::new(kind, self.now);
        s.first_row = rows.start;
        s.count = rows.len();
        if rows.len() == 1 {
            let r = rows.start as usize;
            let p = self.rows.partition[r] as usize;
            s.partition = Some(p as u32);
            let l = self.rows.new_leader[r];
            s.leader = (l != NO_LEADER).then_some(l);
            s.isr = Some(self.rows.new_isr[r]);
            // The epoch rises when the store is written, not when the leader is chosen.
            s.epoch = (kind != StepKind::LeadersElected).then_some(self.epoch[p]);
        }
        s
    }

    /// The per-partition results as CSV (see `results::csv`).
    pub fn csv(&self) -> String {
        results::csv(&self.plan, &self.rows, &self.run)
    }

    /// The run's aggregates. Meaningful once the run is done; before that they describe the
    /// plan as far as the controller has scheduled it.
    pub fn summary(&self) -> Summary {
        Summary::of(
            &self.plan,
            &self.p,
            &self.rows,
            &self.run,
            self.isr_shrinks,
            self.steps,
        )
    }

    pub(crate) fn is_crash(&self) -> bool {
        self.plan.fault == Fault::Crash
    }

    /// Marks rows [span] that got no leader as never recovering; for a controlled shutdown they
    /// go offline at `offline_at`.
    pub(crate) fn mark_stuck(&mut self, span: Span, offline_at: i64) {
        for r in span.range() {
            if self.rows.new_leader[r] == NO_LEADER {
                if self.rows.offline[r] == NEVER {
                    self.rows.offline[r] = offline_at;
                }
                self.rows.client[r] = NEVER;
            }
        }
    }
}

/// A bounded-window pipeline of requests (ZooKeeper's async client, or the synchronous one with a
/// window of 1): request i is issued when it is ready and a slot is free, and completes one round
/// trip later, but no sooner than `op` after the previous one (the server's throughput).
pub(crate) struct Pipeline {
    window: usize,
    rtt: i64,
    op: i64,
    in_flight: VecDeque<i64>,
    last_done: i64,
}

impl Pipeline {
    pub fn new(window: i64, rtt: i64, op: i64) -> Pipeline {
        let window = window.max(1) as usize;
        Pipeline {
            window,
            rtt,
            op: op.min(rtt),
            in_flight: VecDeque::with_capacity(window),
            last_done: i64::MIN,
        }
    }

    /// Issues one request ready at `ready`; returns (issued, completed).
    pub fn request(&mut self, ready: i64) -> (i64, i64) {
        let mut issue = ready;
        if self.in_flight.len() == self.window {
            issue = issue.max(self.in_flight.pop_front().unwrap_or(ready));
        }
        let done = (issue + self.rtt).max(self.last_done.saturating_add(self.op));
        self.last_done = done;
        self.in_flight.push_back(done);
        (issue, done)
    }

    /// Issues `n` requests all ready at `ready`; returns when the last completes (`ready` if none).
    pub fn batch(&mut self, ready: i64, n: usize) -> i64 {
        (0..n).fold(ready, |t, _| t.max(self.request(ready).1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synchronous_pipeline_is_one_round_trip_after_another() {
        let mut p = Pipeline::new(1, 1_500, 1_500);
        assert_eq!(p.request(0), (0, 1_500));
        assert_eq!(p.request(0), (1_500, 3_000));
        assert_eq!(p.request(5_000), (5_000, 6_500));
        // A batch of three more, all ready at once: one after another.
        assert_eq!(p.batch(0, 3), 6_500 + 3 * 1_500);
        assert_eq!(
            Pipeline::new(1, 1_500, 1_500).batch(42, 0),
            42,
            "nothing issued"
        );
    }

    #[test]
    fn windowed_pipeline_is_throughput_bound() {
        let mut p = Pipeline::new(10, 1_500, 150);
        let done: Vec<i64> = (0..100).map(|_| p.request(0).1).collect();
        // 10 in flight, 1.5 ms round trip → 0.15 ms apart at steady state.
        assert_eq!(done[0], 1_500);
        assert_eq!(done[99], 1_500 + 99 * 150);
        // Window 2 with a slow server round trip: the window is the limit.
        let mut p = Pipeline::new(2, 1_000, 10);
        let done: Vec<i64> = (0..6).map(|_| p.request(0).1).collect();
        assert_eq!(done, vec![1_000, 1_010, 2_000, 2_010, 3_000, 3_010]);
    }
}
