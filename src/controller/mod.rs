//! The controllers: one state machine per mode, behind one small interface.
//!
//! A controller owns its own state and its own event type (Kafka calls the controller's units of
//! work *controller events*). The simulation's queue hands it one event at a time, at the event's
//! time; the controller changes the cluster and the results through the `Context`, schedules its
//! follow-up events, and reports what happened as a `Step`. It never reads a clock: time is the
//! event's. Adding a procedure means a new event type and a `Controller` impl in a module here
//! (see `docs/model.md`, "Controller procedures").

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::broker::{BrokerId, BrokerSet, BrokerState, Lifecycle};
use crate::cluster::Cluster;
use crate::profile::Params;
use crate::results::restart::RestartTimes;
use crate::results::{Rows, RunTimes, NEVER, NO_LEADER};
use crate::scenario::{Fault, Plan};
use crate::step::{Step, StepKind};

pub mod kraft;
pub mod restart;
pub mod zookeeper;

/// A controller procedure: a state machine driven by its own events.
pub(crate) trait Controller {
    /// Its controller events. Ties at one instant keep the order they were scheduled in.
    type Event;
    /// The event that starts the run (the fault, at time 0).
    fn fault(&self) -> Self::Event;
    /// Handles one event at `ctx.now`: changes the cluster and the rows, schedules what follows.
    fn handle(
        &mut self,
        event: Self::Event,
        ctx: &mut Context,
        queue: &mut EventQueue<Self::Event>,
    ) -> Step;
    /// Bytes of per-partition state the controller keeps of its own.
    fn memory_bytes(&self) -> usize {
        0
    }
    /// Takes events without building their steps, for a caller that reads none of them
    /// (`Simulation::run`), where the controller can do so faster than one event at a time; at
    /// least `keep` steps must still follow. Leaves the context and the queue exactly as taking
    /// the events one by one would, and returns how many steps it took.
    fn skip(
        &mut self,
        _ctx: &mut Context,
        _queue: &mut EventQueue<Self::Event>,
        _keep: u64,
    ) -> u64 {
        0
    }
}

/// Scheduled events ordered by (time, sequence number): deterministic at equal times.
///
/// Most events are scheduled in time order (a batch schedules its read, election, write and
/// publication one after another), so they go to a FIFO and cost no heap operation; only an event
/// due before the FIFO's last goes to the heap. `pop` takes the smaller (time, seq) of the two
/// heads, so the order is exactly the heap-only order.
pub(crate) struct EventQueue<E> {
    fifo: VecDeque<(i64, u64, E)>,
    heap: BinaryHeap<Reverse<(i64, u64, Slot<E>)>>,
    seq: u64,
    now: i64,
}

/// An event in the heap; ordered only by the (time, seq) before it, never by itself.
struct Slot<E>(E);
impl<E> PartialEq for Slot<E> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl<E> Eq for Slot<E> {}
impl<E> PartialOrd for Slot<E> {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl<E> Ord for Slot<E> {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl<E> EventQueue<E> {
    fn new() -> Self {
        EventQueue {
            fifo: VecDeque::new(),
            heap: BinaryHeap::new(),
            seq: 0,
            now: 0,
        }
    }
    pub fn schedule(&mut self, at: i64, event: E) {
        debug_assert!(at >= self.now, "no scheduling into the past");
        // Sequence numbers only grow, so an event no earlier than the FIFO's last keeps it
        // sorted by (time, seq).
        if self.fifo.back().is_none_or(|&(last, _, _)| last <= at) {
            self.fifo.push_back((at, self.seq, event));
        } else {
            self.heap.push(Reverse((at, self.seq, Slot(event))));
        }
        self.seq += 1;
    }
    /// (time, seq) of the next event, and whether it is the FIFO's.
    fn head(&self) -> Option<((i64, u64), bool)> {
        let fifo = self.fifo.front().map(|&(at, seq, _)| (at, seq));
        let heap = self.heap.peek().map(|Reverse((at, seq, _))| (*at, *seq));
        match (fifo, heap) {
            (Some(f), Some(h)) => Some(if f < h { (f, true) } else { (h, false) }),
            (Some(f), None) => Some((f, true)),
            (None, Some(h)) => Some((h, false)),
            (None, None) => None,
        }
    }
    fn next_time(&self) -> Option<i64> {
        self.head().map(|((at, _), _)| at)
    }
    /// The next event and its time, left in the queue.
    pub fn peek(&self) -> Option<(i64, &E)> {
        match self.head()? {
            (_, true) => self.fifo.front().map(|(at, _, e)| (*at, e)),
            (_, false) => self.heap.peek().map(|Reverse((at, _, Slot(e)))| (*at, e)),
        }
    }
    /// Every event in the queue with its time, in no particular order.
    pub fn events(&self) -> impl Iterator<Item = (i64, &E)> {
        let fifo = self.fifo.iter().map(|(at, _, e)| (*at, e));
        fifo.chain(self.heap.iter().map(|Reverse((at, _, Slot(e)))| (*at, e)))
    }
    pub fn pop(&mut self) -> Option<(i64, E)> {
        let (at, e) = match self.head()? {
            (_, true) => self.fifo.pop_front().map(|(at, _, e)| (at, e))?,
            (_, false) => self.heap.pop().map(|Reverse((at, _, Slot(e)))| (at, e))?,
        };
        self.now = at;
        Some((at, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The FIFO and the heap together pop exactly as a heap of (time, seq) alone would.
    #[test]
    fn queue_pops_in_time_then_schedule_order() {
        // A deterministic mix of in-order and out-of-order schedules, with ties, interleaved
        // with pops (scheduling never goes into the past).
        let mut q = EventQueue::new();
        let mut reference = BinaryHeap::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut popped = Vec::new();
        let mut want = Vec::new();
        let mut seq = 0u64;
        let (mut via_heap, mut via_fifo) = (false, false);
        for i in 0..20_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if x.is_multiple_of(3) {
                if let Some((at, e)) = q.pop() {
                    popped.push((at, e));
                }
                if let Some(Reverse((at, _, e))) = reference.pop() {
                    want.push((at, e));
                }
            } else {
                let at = q.now + (x % 7) as i64 * if x.is_multiple_of(5) { 100 } else { 1 };
                q.schedule(at, i);
                reference.push(Reverse((at, seq, i)));
                seq += 1;
            }
            assert_eq!(
                q.next_time(),
                reference.peek().map(|Reverse((at, _, _))| *at)
            );
            via_heap |= !q.heap.is_empty();
            via_fifo |= !q.fifo.is_empty();
        }
        while let Some((at, e)) = q.pop() {
            popped.push((at, e));
        }
        while let Some(Reverse((at, _, e))) = reference.pop() {
            want.push((at, e));
        }
        assert_eq!(popped, want);
        assert!(via_heap && via_fifo, "both paths are exercised");
        assert_eq!(want.len(), seq as usize);
    }
}

/// What the simulation drives, whichever controller it is.
pub(crate) trait Procedure {
    fn next_time(&self) -> Option<i64>;
    /// Takes the next event: sets `ctx.now` to its time and writes its step to `out`. Returns
    /// false, leaving `out` as it was, once there is none.
    fn step(&mut self, ctx: &mut Context, out: &mut Step) -> bool;
    /// Takes events whose steps nobody reads, while at least `keep` steps follow
    /// (`Controller::skip`); returns how many steps it took.
    fn skip(&mut self, ctx: &mut Context, keep: u64) -> u64;
    fn memory_bytes(&self) -> usize;
}

/// A controller with its queue.
pub(crate) struct Driven<C: Controller> {
    controller: C,
    queue: EventQueue<C::Event>,
}

impl<C: Controller> Driven<C> {
    pub fn new(controller: C) -> Self {
        let mut queue = EventQueue::new();
        queue.schedule(0, controller.fault());
        Driven { controller, queue }
    }
}

impl<C: Controller> Procedure for Driven<C> {
    fn next_time(&self) -> Option<i64> {
        self.queue.next_time()
    }
    fn step(&mut self, ctx: &mut Context, out: &mut Step) -> bool {
        let Some((at, event)) = self.queue.pop() else {
            return false;
        };
        ctx.now = at;
        *out = self.controller.handle(event, ctx, &mut self.queue);
        out.time_us = at;
        true
    }
    fn skip(&mut self, ctx: &mut Context, keep: u64) -> u64 {
        self.controller.skip(ctx, &mut self.queue, keep)
    }
    fn memory_bytes(&self) -> usize {
        self.controller.memory_bytes()
    }
}

/// What a controller works on: the plan, the profile's parameters, the cluster's store, and the
/// per-partition results it fills in. Shared by both controllers.
pub(crate) struct Context {
    pub plan: Plan,
    pub p: Params,
    pub cluster: Cluster,
    /// The work: rows = partitions the victim led, in election order.
    pub rows: Rows,
    row_of: Vec<u32>,
    pub run: RunTimes,
    pub isr_shrinks: usize,
    /// The time of the event being handled.
    pub now: i64,
    /// A run with a return: its figures, and when each partition's ISR lost the victim (the
    /// start of its under-replication; empty without a return).
    pub restart: Option<RestartTimes>,
    isr_left: Vec<i64>,
    /// …and when it took the victim back (NEVER until then).
    isr_back: Vec<i64>,
}

impl Context {
    /// Sets up the rows first and the store after them: the order these large vectors are
    /// allocated in decides how often the allocator must grow the heap (measured: cargo bench).
    pub fn new(
        plan: Plan,
        row_partitions: Vec<u32>,
        cluster: impl FnOnce(&Plan) -> Cluster,
    ) -> Context {
        let mut row_of = vec![u32::MAX; plan.partitions()];
        for (r, &p) in row_partitions.iter().enumerate() {
            row_of[p as usize] = r as u32;
        }
        let rows = Rows::of(row_partitions);
        let cluster = cluster(&plan);
        Context {
            p: plan.profile.params.clone(),
            plan,
            cluster,
            rows,
            row_of,
            run: RunTimes::default(),
            isr_shrinks: 0,
            now: 0,
            restart: None,
            isr_left: Vec::new(),
            isr_back: Vec::new(),
        }
    }

    /// Prepares a run with a return: its figures, the rows' `returned` times, and the record of
    /// when each partition's ISR lost the victim.
    pub fn expect_return(&mut self, restart: RestartTimes) {
        self.restart = Some(restart);
        self.rows.returned = vec![NEVER; self.rows.len()];
        self.rows.with_return = true;
        self.isr_left = vec![NEVER; self.plan.partitions()];
        self.isr_back = vec![NEVER; self.plan.partitions()];
    }

    /// The victim caught up on partition `p`: back into its ISR.
    pub fn rejoin_isr(&mut self, p: usize) {
        self.cluster.expand_isr(p, self.plan.victim);
        if let Some(back) = self.isr_back.get_mut(p) {
            *back = self.now;
        }
    }

    /// Each partition's under-replicated interval [left, back) caused by the victim (NEVER
    /// where it did not happen); empty without a return.
    pub fn under_replicated(&self) -> (&[i64], &[i64]) {
        (&self.isr_left, &self.isr_back)
    }

    /// When partition `p`'s ISR lost the victim (NEVER if it has not, or without a return).
    pub fn isr_left(&self, p: usize) -> i64 {
        self.isr_left.get(p).copied().unwrap_or(NEVER)
    }

    pub fn is_crash(&self) -> bool {
        self.plan.fault == Fault::Crash
    }
    pub fn victim(&self) -> BrokerId {
        self.plan.victim
    }

    /// The row (election-order index) of a partition the victim led.
    pub fn row_of(&self, partition: usize) -> Option<usize> {
        self.row_of
            .get(partition)
            .filter(|&&r| r != u32::MAX)
            .map(|&r| r as usize)
    }

    /// Writes a partition's registration, counting ISR shrinks of partitions the victim only
    /// followed (its leader unaffected).
    pub fn store(&mut self, p: usize, leader: Option<BrokerId>, isr: BrokerSet) {
        let victim = self.plan.victim;
        let leaves = !self.isr_left.is_empty()
            && self.cluster.isr(p).contains(victim)
            && !isr.contains(victim);
        if self.cluster.store(p, leader, isr) && self.row_of(p).is_none() {
            self.isr_shrinks += 1;
        }
        if leaves {
            self.isr_left[p] = self.now;
        }
    }

    /// If the victim is the controller, it is gone now: the survivors elect another — the
    /// lowest surviving id (in ZooKeeper mode whoever creates /controller first, in KRaft a
    /// quorum election; the engine picks deterministically) — `controller_failover_us` later,
    /// scheduled as the caller's `elected` event. Returns whether the victim was the controller.
    pub fn fail_over<E>(
        &mut self,
        q: &mut EventQueue<E>,
        elected: impl FnOnce(BrokerId) -> E,
    ) -> bool {
        let victim = self.plan.victim;
        if self.cluster.controller() != Some(victim) {
            return false;
        }
        self.cluster.set_controller(None);
        if let Some(b) = self
            .plan
            .brokers
            .iter()
            .copied()
            .filter(|&b| b != victim)
            .min()
        {
            q.schedule(self.now + self.p.controller_failover_us, elected(b));
        }
        true
    }

    /// kill -9: the victim is gone (the controller does not know yet) and every partition it
    /// led is unreachable from now on.
    pub fn crash_victim(&mut self) {
        let victim = self.plan.victim;
        self.cluster.set_state(victim, BrokerState::Unresponsive);
        self.cluster.set_lifecycle(victim, Lifecycle::Crashed);
        let now = self.now;
        self.rows.offline.iter_mut().for_each(|o| *o = now);
    }

    /// A step about the victim broker.
    pub fn victim_step(&self, kind: StepKind) -> Step {
        let mut s = Step::new(kind, self.now);
        s.broker = Some(self.plan.victim);
        s
    }

    /// Client discovery: after the new leader serves, a producer's next retry (one backoff) and a
    /// metadata refresh reach it.
    pub fn client_discovery_us(&self) -> i64 {
        self.p.retry_backoff_us + self.p.metadata_refresh_us
    }

    /// A step about one range of rows; for a single row it names the partition and its new
    /// leader, ISR and epoch as the store has them.
    pub fn row_step(&self, kind: StepKind, rows: Span) -> Step {
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
            s.epoch =
                (kind != StepKind::LeadersElected).then_some(self.cluster.registration(p).epoch);
        }
        s
    }

    /// Marks rows [span] that got no leader as never recovering; for a controlled shutdown they
    /// go offline at `offline_at`.
    pub fn mark_stuck(&mut self, span: Span, offline_at: i64) {
        for r in span.range() {
            if self.rows.new_leader[r] == NO_LEADER {
                if self.rows.offline[r] == NEVER {
                    self.rows.offline[r] = offline_at;
                }
                self.rows.client[r] = NEVER;
            }
        }
    }

    /// Bytes held per partition: the plan, the store, the rows.
    pub fn memory_bytes(&self) -> usize {
        fn bytes<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        self.rows.memory_bytes()
            + self.cluster.memory_bytes()
            + bytes(&self.row_of)
            + bytes(&self.plan.isr)
            + bytes(&self.plan.offsets)
            + bytes(&self.plan.assignment)
            + bytes(&self.isr_left)
            + bytes(&self.isr_back)
    }
}

/// A contiguous range of work items (rows, ISR-shrink partitions or KRaft records).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The one item `i`.
    pub fn one(i: u32) -> Span {
        Span {
            start: i,
            end: i + 1,
        }
    }
    pub fn len(self) -> u32 {
        self.end - self.start
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}
