//! The victim's return after the fault (`docs/model.md`, "After the fault"): the operator starts
//! it again → its logs are recovered (after a crash) or only loaded (after a clean exit) → it
//! registers and the controller brings it back (ZooKeeper: BrokerChange → `onBrokerStartup`;
//! KRaft: registered fenced, replays the metadata log, unfenced at a heartbeat) and elects the
//! partitions that waited for it → its followers fetch what they missed and rejoin the ISRs →
//! leadership moves back to the preferred replicas (the controller's periodic check, or at once).
//!
//! The controller handles one event at a time, so the return's registration waits until the
//! fault's own handling is done (`WithReturn` tells it when).

use crate::broker::{BrokerId, BrokerSet, BrokerState, Lifecycle, MAX_BROKER_ID};
use crate::election;
use crate::profile::Mode;
use crate::results::restart::RestartTimes;
use crate::results::NEVER;
use crate::scenario::{LeaderRebalance, RestartPlan};
use crate::step::{Step, StepKind};

use super::zookeeper::Pipeline;
use super::{Context, EventQueue, Procedure};

mod log_manager;
pub use log_manager::LogWork;

/// The return's events, in the order a run meets them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// The operator started the broker: `LogManager` begins recovering or loading.
    BrokerStarted,
    LogsReady,
    /// ZooKeeper: /brokers/ids/<id> created. KRaft: registered with the controller, fenced.
    BrokerRegistered,
    /// ZooKeeper: the BrokerChange watch fired; the controller runs `onBrokerStartup`.
    BrokerStartup,
    /// KRaft: the broker replayed the metadata log up to the high watermark.
    MetadataCaughtUp,
    /// KRaft: a heartbeat unfenced it.
    BrokerUnfenced,
    /// Partitions that waited for the broker have it as leader again.
    ReturnLeadersServing,
    /// The broker serves its replicas; its followers start fetching.
    BrokerServing,
    /// Its replicas that follow `source` fetched all they missed…
    ReplicasCaughtUp {
        source: BrokerId,
    },
    /// …and the leader's AlterPartition / ISR write took them back into the ISR.
    IsrExpanded {
        source: BrokerId,
    },
    /// The controller's periodic leader-imbalance check.
    ImbalanceChecked,
    PreferredLeadersServing,
}

type Queue = EventQueue<Event>;

/// The return's own state.
pub(crate) struct Return {
    plan: RestartPlan,
    /// Ticks of the periodic imbalance check are at `tick_origin + k · interval`.
    tick_origin: i64,
    /// The fault's handling is done: the controller is free for the registration.
    controller_idle: bool,
    /// The broker is ready to register: its logs are ready (ZooKeeper mode registers after
    /// `LogManager.startup`), or it has started (KRaft registers first and loads its logs while
    /// fenced, after catching up with the metadata log).
    ready_to_register: bool,
    log_us: i64,
    registered: bool,
    /// Replicas behind each source broker (leader) still catching up, and those of a source
    /// whose fetcher can never catch up (producers write faster than it fetches).
    behind: Vec<(BrokerId, Vec<u32>)>,
    /// Sources in `behind` whose replicas will catch up.
    catchable: usize,
    /// Partitions whose preferred leader is being elected back.
    moving: Vec<u32>,
    checking: bool,
}

impl Return {
    pub fn new(plan: RestartPlan, tick_origin: i64) -> Return {
        Return {
            plan,
            tick_origin,
            controller_idle: false,
            ready_to_register: false,
            log_us: 0,
            registered: false,
            behind: Vec::new(),
            catchable: 0,
            moving: Vec::new(),
            checking: false,
        }
    }

    fn times(ctx: &mut Context) -> &mut RestartTimes {
        ctx.restart
            .as_mut()
            .expect("a run with a return has its times")
    }

    /// The victim went down now (the crash, or its clean exit): schedule its start.
    pub fn went_down(&mut self, ctx: &mut Context, q: &mut Queue) {
        let now = ctx.now;
        let clean = !ctx.is_crash();
        let t = Self::times(ctx);
        t.down_us = now;
        t.clean = clean;
        q.schedule(now + self.plan.after_us, Event::BrokerStarted);
    }

    /// The controller finished the fault's handling: a waiting registration goes ahead.
    pub fn controller_idle(&mut self, ctx: &mut Context, q: &mut Queue) {
        self.controller_idle = true;
        if self.ready_to_register && !self.registered {
            self.register(ctx, q);
        }
    }

    /// `LogManager.loadLogs`: recovery after a crash, loading after a clean exit.
    fn load_logs(&mut self, ctx: &mut Context, q: &mut Queue) {
        let clean = Self::times(ctx).clean;
        ctx.cluster.set_lifecycle(
            ctx.victim(),
            if clean {
                Lifecycle::LoadingLogs
            } else {
                Lifecycle::RecoveringLogs
            },
        );
        q.schedule(ctx.now + self.log_us, Event::LogsReady);
    }

    /// A new active controller (the victim was the controller): its first leader-imbalance check
    /// runs 5 s after it took over (`onControllerFailover`), then every interval.
    pub fn controller_elected(&mut self, ctx: &Context) {
        self.tick_origin = ctx.now + 5_000_000;
    }

    fn register(&mut self, ctx: &Context, q: &mut Queue) {
        self.registered = true;
        // KRaft: the BrokerRegistrationRequest reaches the controller one request later.
        let at = match ctx.plan.profile.mode {
            Mode::Zookeeper => ctx.now,
            Mode::Kraft => ctx.now + ctx.p.propagation_us,
        };
        q.schedule(at, Event::BrokerRegistered);
    }

    pub fn handle(&mut self, event: Event, ctx: &mut Context, q: &mut Queue) -> Step {
        let now = ctx.now;
        let victim = ctx.victim();
        let mut step = ctx.victim_step(StepKind::BrokerRestarted);
        match event {
            Event::BrokerStarted => {
                let clean = Self::times(ctx).clean;
                let hosted = (0..ctx.plan.partitions())
                    .filter(|&p| ctx.plan.replicas(p).contains(&victim))
                    .count();
                let work = LogWork::of(&ctx.p, hosted, clean);
                let t = Self::times(ctx);
                t.started_us = now;
                t.log_us = work.total_us;
                t.recovered_bytes = work.recovered_bytes();
                t.segments = work.segments_per_partition * hosted as i64;
                t.partitions_hosted = hosted;
                self.log_us = work.total_us;
                match ctx.plan.profile.mode {
                    Mode::Zookeeper => self.load_logs(ctx, q),
                    Mode::Kraft => {
                        ctx.cluster.set_lifecycle(victim, Lifecycle::Rejoining);
                        self.ready_to_register = true;
                        if self.controller_idle {
                            self.register(ctx, q);
                        }
                    }
                }
                step.count = hosted as u32;
            }
            Event::LogsReady => {
                let clean = Self::times(ctx).clean;
                Self::times(ctx).logs_ready_us = now;
                ctx.cluster.set_lifecycle(victim, Lifecycle::Rejoining);
                match ctx.plan.profile.mode {
                    Mode::Zookeeper => {
                        self.ready_to_register = true;
                        if self.controller_idle {
                            self.register(ctx, q);
                        }
                    }
                    Mode::Kraft => {
                        // Ready to unfence: the next heartbeat says so (heartbeats run every
                        // interval from the registration).
                        let hb = ctx.p.broker_heartbeat_interval_us.max(1);
                        let registered = Self::times(ctx).registered_us;
                        let beats = (now - registered + hb - 1) / hb;
                        let at = registered + beats * hb + ctx.p.propagation_us;
                        q.schedule(at.max(now), Event::BrokerUnfenced);
                    }
                }
                step.kind = if clean {
                    StepKind::LogsLoaded
                } else {
                    StepKind::LogsRecovered
                };
                step.count = Self::times(ctx).partitions_hosted as u32;
            }
            Event::BrokerRegistered => {
                Self::times(ctx).registered_us = now;
                step.kind = StepKind::BrokerRegistered;
                match ctx.plan.profile.mode {
                    Mode::Zookeeper => {
                        // The controller learns of it from the BrokerChange watch and the read of
                        // /brokers/ids: one round trip later.
                        q.schedule(now + ctx.p.zk_round_trip_us, Event::BrokerStartup);
                    }
                    Mode::Kraft => {
                        ctx.cluster.set_state(victim, BrokerState::Fenced);
                        let replay =
                            ctx.plan.partitions() as i64 * ctx.p.kraft_replay_per_record_us;
                        q.schedule(now + replay, Event::MetadataCaughtUp);
                    }
                }
            }
            Event::MetadataCaughtUp => {
                // With the metadata published, `LogManager.startup` loads (or recovers) the logs,
                // still fenced.
                self.load_logs(ctx, q);
                step.kind = StepKind::MetadataCaughtUp;
                step.count = ctx.plan.partitions() as u32;
            }
            Event::BrokerStartup | Event::BrokerUnfenced => {
                ctx.cluster.set_state(victim, BrokerState::Alive);
                step.kind = if event == Event::BrokerStartup {
                    StepKind::BrokerStartup
                } else {
                    StepKind::BrokerUnfenced
                };
                step.count = self.elect_waiting(ctx, q);
                // ZooKeeper: LeaderAndIsr tells the broker its replicas, which it applies one
                // by one; KRaft: unfenced, it already knows them from the metadata log.
                let serving = match ctx.plan.profile.mode {
                    Mode::Zookeeper => {
                        now + ctx.p.propagation_us
                            + Self::times(ctx).partitions_hosted as i64
                                * ctx.p.broker_apply_per_partition_us
                    }
                    Mode::Kraft => now,
                };
                q.schedule(serving, Event::BrokerServing);
            }
            Event::ReturnLeadersServing => {
                step.kind = StepKind::ReturnLeadersServing;
                let mut n = 0;
                for r in 0..ctx.rows.len() {
                    if ctx.rows.returned[r] != NEVER
                        && ctx.rows.serving[r] <= now
                        && ctx.cluster.leader(ctx.rows.partition[r] as usize).is_none()
                    {
                        let p = ctx.rows.partition[r] as usize;
                        ctx.store(p, Some(ctx.rows.new_leader[r]), ctx.rows.new_isr[r]);
                        n += 1;
                    }
                }
                step.count = n;
            }
            Event::BrokerServing => {
                step.kind = StepKind::BrokerServing;
                Self::times(ctx).serving_us = now;
                ctx.cluster.set_lifecycle(victim, Lifecycle::CatchingUp);
                step.count = self.start_fetching(ctx, q);
                // The periodic check runs whatever the catch-up: from the first one after the
                // broker is back, each moves what has caught up by then.
                if self.plan.leader_rebalance == LeaderRebalance::Auto
                    && ctx.p.auto_leader_rebalance != 0
                {
                    self.schedule_check(ctx, q);
                }
                self.after_catch_up(ctx, q);
            }
            Event::ReplicasCaughtUp { source } => {
                step.kind = StepKind::ReplicasCaughtUp;
                step.leader = Some(source);
                let n = self.behind_of(source).len();
                step.count = n as u32;
                // The leader asks to take the follower back: ZooKeeper mode writes the
                // partition state (through the controller's AlterPartition from 2.7), KRaft
                // appends PartitionChangeRecords and commits them.
                let at = match ctx.plan.profile.mode {
                    Mode::Zookeeper => {
                        Pipeline::of(&ctx.p).batch(now + ctx.p.propagation_us, n)
                            + ctx.p.propagation_us
                    }
                    Mode::Kraft => {
                        now + ctx.p.propagation_us
                            + n as i64 * ctx.p.kraft_record_us
                            + ctx.p.kraft_commit_us
                            + ctx.p.propagation_us
                    }
                };
                q.schedule(at, Event::IsrExpanded { source });
            }
            Event::IsrExpanded { source } => {
                step.kind = StepKind::IsrExpanded;
                step.leader = Some(source);
                self.catchable -= 1;
                let i = self.behind.iter().position(|(s, _)| *s == source);
                let parts = i.map(|i| self.behind.remove(i).1).unwrap_or_default();
                let mut left_sum: i128 = 0;
                for &p in &parts {
                    let p = p as usize;
                    ctx.rejoin_isr(p);
                    left_sum += i128::from(Self::under_replicated_since(ctx, p));
                }
                let t = Self::times(ctx);
                t.under_replicated_us += i128::from(now) * parts.len() as i128 - left_sum;
                t.still_under_replicated -= parts.len();
                t.still_under_replicated_since_sum_us -= left_sum;
                step.count = parts.len() as u32;
                self.after_catch_up(ctx, q);
            }
            Event::ImbalanceChecked => {
                step.kind = StepKind::ImbalanceChecked;
                self.checking = false;
                step.count = self.elect_preferred(ctx, q);
                if self.moving.is_empty() {
                    if self.catching_up() {
                        // Replicas still catching up may make more partitions movable.
                        self.schedule_check(ctx, q);
                    } else {
                        let t = Self::times(ctx);
                        if t.balanced_us == NEVER {
                            t.balanced_us = now;
                        }
                    }
                }
            }
            Event::PreferredLeadersServing => {
                step.kind = StepKind::PreferredLeadersServing;
                let moving = std::mem::take(&mut self.moving);
                for &p in &moving {
                    let p = p as usize;
                    let preferred = ctx.plan.replicas(p)[0];
                    ctx.store(p, Some(preferred), ctx.cluster.isr(p));
                }
                step.count = moving.len() as u32;
                Self::times(ctx).balanced_us = now;
                if self.plan.leader_rebalance == LeaderRebalance::Auto
                    && (self.catching_up() || !self.rebalance_done(ctx))
                {
                    self.schedule_check(ctx, q);
                }
            }
        }
        step
    }

    /// Partitions with no leader that the returning broker can lead (it is in their ISR: it was
    /// their only in-sync replica) are elected now. Returns how many.
    fn elect_waiting(&mut self, ctx: &mut Context, q: &mut Queue) -> u32 {
        let now = ctx.now;
        let victim = ctx.victim();
        let live = ctx.cluster.brokers_in(|s| s == BrokerState::Alive);
        let waiting: Vec<usize> = (0..ctx.rows.len())
            .filter(|&r| {
                let p = ctx.rows.partition[r] as usize;
                ctx.cluster.leader(p).is_none() && ctx.cluster.isr(p).contains(victim)
            })
            .collect();
        if waiting.is_empty() {
            return 0;
        }
        let p = &ctx.p;
        let discovery = ctx.client_discovery_us();
        let n = waiting.len() as i64;
        // ZooKeeper: elect one after another, write through the pipeline, publish once.
        // KRaft: one record each, committed as a batch, replayed in order.
        let (issued, persisted, publish): (i64, i64, i64) = match ctx.plan.profile.mode {
            Mode::Zookeeper => {
                let elected = now + n * p.controller_per_partition_us;
                let done = Pipeline::of(p).batch(elected, waiting.len());
                (elected, done, done)
            }
            Mode::Kraft => {
                let appended = now + n * p.kraft_record_us;
                let commit = appended + p.kraft_commit_us;
                (appended, commit, commit)
            }
        };
        let mut last = publish;
        for (k, &r) in waiting.iter().enumerate() {
            let part = ctx.rows.partition[r] as usize;
            let e = election::offline(ctx.plan.replicas(part), ctx.cluster.isr(part), live, false);
            let per = match ctx.plan.profile.mode {
                Mode::Zookeeper => p.broker_apply_per_partition_us,
                Mode::Kraft => p.kraft_replay_per_record_us,
            };
            let serving = publish + p.propagation_us + (k as i64 + 1) * per;
            ctx.rows.returned[r] = now;
            ctx.rows.new_leader[r] = e.leader.unwrap_or(victim);
            ctx.rows.new_isr[r] = e.isr;
            ctx.rows.write_issued[r] = issued;
            ctx.rows.persisted[r] = persisted;
            ctx.rows.publish_sent[r] = publish;
            ctx.rows.serving[r] = serving;
            ctx.rows.client[r] = serving + discovery;
            last = last.max(serving);
        }
        let t = Self::times(ctx);
        t.waited_for_return += waiting.len();
        let mut restart_part: i128 = 0;
        for &r in &waiting {
            if let Some(b) = ctx.rows.breakdown(r, &ctx.run) {
                restart_part += i128::from(b.get(crate::results::DowntimePart::Restart));
            }
        }
        Self::times(ctx).restart_part_us += restart_part;
        q.schedule(last, Event::ReturnLeadersServing);
        waiting.len() as u32
    }

    /// The broker's followers start fetching from their leaders: one fetcher per source broker,
    /// sharing its throughput among that source's partitions, while producers keep writing.
    /// Returns how many replicas are behind.
    fn start_fetching(&mut self, ctx: &mut Context, q: &mut Queue) -> u32 {
        let now = ctx.now;
        let victim = ctx.victim();
        let mut by_source: Vec<Vec<u32>> = vec![Vec::new(); MAX_BROKER_ID as usize + 1];
        for p in 0..ctx.plan.partitions() {
            if !ctx.plan.replicas(p).contains(&victim) || ctx.cluster.isr(p).contains(victim) {
                continue;
            }
            if let Some(l) = ctx.cluster.leader(p) {
                by_source[l as usize].push(p as u32);
            }
        }
        let down = Self::times(ctx).down_us;
        let away_us = i128::from(now - down.max(0));
        let write = i128::from(ctx.p.write_kib_per_s) * 1024;
        let fetch = i128::from(ctx.p.replication_mib_per_s.max(1)) << 20;
        let mut behind = 0u32;
        let mut since_sum: i128 = 0;
        for (source, parts) in by_source.into_iter().enumerate() {
            if parts.is_empty() {
                continue;
            }
            let n = parts.len() as i128;
            behind += parts.len() as u32;
            since_sum += parts
                .iter()
                .map(|&p| i128::from(Self::under_replicated_since(ctx, p as usize)))
                .sum::<i128>();
            let source = source as BrokerId;
            // Each partition missed `write × away` and gains `fetch / n − write` per second:
            // it catches up in `write × away × n / (fetch − write × n)`.
            let gain = fetch - write * n;
            if gain > 0 {
                let catch_up_us = (write * away_us * n + gain - 1) / gain;
                q.schedule(now + catch_up_us as i64, Event::ReplicasCaughtUp { source });
                self.catchable += 1;
            }
            self.behind.push((source, parts));
        }
        let t = Self::times(ctx);
        t.still_under_replicated += behind as usize;
        t.still_under_replicated_since_sum_us += since_sum;
        behind
    }

    /// Some replicas are still catching up (and will).
    fn catching_up(&self) -> bool {
        self.catchable > 0
    }

    /// When partition `p` became under-replicated by the victim: when its ISR lost it, or the
    /// fault if it was already out of the ISR then.
    fn under_replicated_since(ctx: &Context, p: usize) -> i64 {
        match ctx.isr_left(p) {
            NEVER => ctx.run.fault_us,
            left => left,
        }
    }

    fn behind_of(&self, source: BrokerId) -> &[u32] {
        self.behind
            .iter()
            .find(|(s, _)| *s == source)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// Once every replica that can catch up has: the broker is running again, and leadership
    /// goes back as asked.
    fn after_catch_up(&mut self, ctx: &mut Context, q: &mut Queue) {
        if !self.behind.is_empty() {
            return;
        }
        let now = ctx.now;
        let victim = ctx.victim();
        ctx.cluster.set_lifecycle(victim, Lifecycle::Running);
        Self::times(ctx).in_sync_us = now;
        match self.plan.leader_rebalance {
            LeaderRebalance::Off => {}
            LeaderRebalance::Immediate => {
                self.elect_preferred(ctx, q);
                if self.moving.is_empty() {
                    Self::times(ctx).balanced_us = now;
                }
            }
            LeaderRebalance::Auto => {
                if ctx.p.auto_leader_rebalance != 0 {
                    self.schedule_check(ctx, q);
                }
            }
        }
    }

    /// The next periodic check after now.
    fn schedule_check(&mut self, ctx: &Context, q: &mut Queue) {
        if self.checking {
            return;
        }
        self.checking = true;
        let i = ctx.p.leader_imbalance_check_interval_us.max(1);
        let k = (ctx.now - self.tick_origin).div_euclid(i) + 1;
        q.schedule(self.tick_origin + k * i, Event::ImbalanceChecked);
    }

    /// Whether the periodic check has nothing left to do: no broker above the imbalance
    /// threshold has a partition it could take back.
    fn rebalance_done(&self, ctx: &Context) -> bool {
        self.preferred_candidates(ctx).is_empty()
    }

    /// Partitions whose preferred replica is alive, in the ISR and not leading, and (for the
    /// periodic check) whose preferred broker is above the imbalance threshold.
    fn preferred_candidates(&self, ctx: &Context) -> Vec<u32> {
        let live = ctx.cluster.brokers_in(|s| s == BrokerState::Alive);
        let n = ctx.plan.partitions();
        let mut preferred = vec![0u32; MAX_BROKER_ID as usize + 1];
        let mut elsewhere = vec![0u32; MAX_BROKER_ID as usize + 1];
        for p in 0..n {
            let b = ctx.plan.replicas(p)[0] as usize;
            preferred[b] += 1;
            if ctx.cluster.leader(p) != Some(b as BrokerId) {
                elsewhere[b] += 1;
            }
        }
        let threshold = ctx.p.leader_imbalance_per_broker_percentage as u64;
        let over: BrokerSet = (0..=MAX_BROKER_ID)
            .filter(|&b| {
                let (all, off) = (preferred[b as usize] as u64, elsewhere[b as usize] as u64);
                match self.plan.leader_rebalance {
                    LeaderRebalance::Auto => all > 0 && off * 100 > threshold * all,
                    _ => off > 0,
                }
            })
            .collect();
        (0..n)
            .filter(|&p| {
                let r = ctx.plan.replicas(p);
                over.contains(r[0])
                    && ctx.cluster.leader(p) != Some(r[0])
                    && election::preferred(r, ctx.cluster.isr(p), live).is_some()
            })
            .map(|p| p as u32)
            .collect()
    }

    /// Elects the preferred leaders back: the controller's batch (ZooKeeper) or records
    /// (KRaft), then each new leader serves after a brief switch-over, like a controlled
    /// shutdown's move. Returns how many partitions move.
    fn elect_preferred(&mut self, ctx: &mut Context, q: &mut Queue) -> u32 {
        let moving = self.preferred_candidates(ctx);
        if moving.is_empty() {
            return 0;
        }
        let now = ctx.now;
        let p = &ctx.p;
        let n = moving.len() as i64;
        let serving = match ctx.plan.profile.mode {
            Mode::Zookeeper => {
                let elected = now + n * p.controller_per_partition_us;
                let written = Pipeline::of(p).batch(elected, moving.len());
                written + p.propagation_us + n * p.broker_apply_per_partition_us
            }
            Mode::Kraft => {
                now + n * p.kraft_record_us
                    + p.kraft_commit_us
                    + p.propagation_us
                    + n * p.kraft_replay_per_record_us
            }
        };
        let discovery = ctx.client_discovery_us();
        let t = Self::times(ctx);
        t.preferred_moved += moving.len();
        t.switch_over_us += i128::from(discovery) * moving.len() as i128;
        self.moving = moving;
        q.schedule(serving, Event::PreferredLeadersServing);
        n as u32
    }
}

/// A fault's procedure followed by the victim's return: the two queues merged by time (the
/// fault's first at equal times).
pub(crate) struct WithReturn {
    fault: Box<dyn Procedure>,
    ret: Return,
    queue: Queue,
    down: bool,
    idle: bool,
}

impl WithReturn {
    pub fn new(fault: Box<dyn Procedure>, ret: Return) -> WithReturn {
        WithReturn {
            fault,
            ret,
            queue: EventQueue::new(),
            down: false,
            idle: false,
        }
    }
}

impl Procedure for WithReturn {
    fn next_time(&self) -> Option<i64> {
        match (self.fault.next_time(), self.queue.next_time()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn step(&mut self, ctx: &mut Context, out: &mut Step) -> bool {
        let fault_first = match (self.fault.next_time(), self.queue.next_time()) {
            (Some(a), Some(b)) => a <= b,
            (a, _) => a.is_some(),
        };
        if fault_first {
            if !self.fault.step(ctx, out) {
                return false;
            }
            if out.kind == StepKind::ControllerElected {
                self.ret.controller_elected(ctx);
            }
            let victim_down = matches!(out.kind, StepKind::BrokerCrashed | StepKind::BrokerExited)
                && out.broker == Some(ctx.victim());
            if victim_down && !self.down {
                self.down = true;
                self.ret.went_down(ctx, &mut self.queue);
            }
            if self.down && !self.idle && self.fault.next_time().is_none() {
                self.idle = true;
                self.ret.controller_idle(ctx, &mut self.queue);
            }
            return true;
        }
        let Some((at, event)) = self.queue.pop() else {
            return false;
        };
        ctx.now = at;
        *out = self.ret.handle(event, ctx, &mut self.queue);
        out.time_us = at;
        true
    }

    /// Never skips: the return watches every step of the fault's procedure (its crash or exit,
    /// a new controller, the end of its handling), and its own steps are few.
    fn skip(&mut self, _: &mut Context, _: u64) -> u64 {
        0
    }

    fn memory_bytes(&self) -> usize {
        self.fault.memory_bytes()
    }
}
