//! The ZooKeeper-mode controller's batches: read the partitions' state, elect, write, publish
//! (`docs/model.md`, "ZooKeeper mode"), and the same for what a controlled shutdown left behind.

use std::collections::VecDeque;

use crate::broker::{BrokerSet, BrokerState};
use crate::election;
use crate::profile::{Publication, ShutdownUnavailability};
use crate::results::NO_LEADER;

use super::{Event, Pipeline, Queue, ZkController};
use crate::controller::{Context, Span};

impl ZkController {
    /// After a controlled shutdown that left partitions behind, the broker's exit closes its
    /// ZooKeeper session and the controller handles it as a failure: the offline rule (unclean
    /// if enabled) for the partitions it still led, then the offline-replica ISR shrink, which
    /// keeps the last member and clears the leader (KAFKA-5083).
    pub(super) fn elect_after_exit(&mut self, ctx: &mut Context, q: &mut Queue) -> u32 {
        let live = ctx.cluster.brokers_in(|s| matches!(s, BrokerState::Alive));
        let p = &ctx.p;
        let c = p.controller_per_partition_us;
        let (propagation, discovery) = (p.propagation_us, ctx.client_discovery_us());
        let now = ctx.now;
        let stuck: Vec<usize> = (0..ctx.rows.len())
            .filter(|&r| ctx.rows.new_leader[r] == NO_LEADER)
            .collect();
        let victim = ctx.plan.victim;
        let followed = ctx
            .cluster
            .partitions_with_isr_member(victim)
            .filter(|&q| ctx.row_of(q).is_none())
            .count();
        // As after a crash: read every state, elect, write (new leaders and ISR shrinks alike),
        // then publish once; through the profile's ZooKeeper window.
        let mut t = Pipeline::of(&ctx.p).batch(now, stuck.len() + followed);
        let mut elected = Vec::new();
        for &r in &stuck {
            let part = ctx.rows.partition[r] as usize;
            let e = election::offline(
                ctx.plan.replicas(part),
                ctx.cluster.isr(part),
                live,
                ctx.plan.unclean,
            );
            ctx.rows.election_start[r] = t;
            t += c;
            ctx.rows.elected[r] = t;
            if let Some(l) = e.leader {
                ctx.rows.new_leader[r] = l;
                ctx.rows.new_isr[r] = e.isr;
                ctx.rows.unclean[r] = e.unclean;
                elected.push(r);
            }
        }
        let elections_done = t;
        let mut writes = Pipeline::of(&ctx.p);
        for &r in &elected {
            let (issued, done) = writes.request(elections_done);
            ctx.rows.write_issued[r] = issued;
            ctx.rows.persisted[r] = done;
            t = t.max(done);
        }
        t = t.max(writes.batch(elections_done, stuck.len() - elected.len() + followed));
        for &r in &elected {
            ctx.rows.publish_sent[r] = t;
            ctx.rows.serving[r] = t + propagation;
            ctx.rows.client[r] = t + propagation + discovery;
        }
        ctx.run.last_publication_us = ctx.run.last_publication_us.max(t);
        let count = stuck.len() as u32;
        q.schedule(t, Event::ExitElectionsWritten { count });
        count
    }

    /// Writes the new leader and ISR of rows [rows] that got one to the store.
    pub(super) fn write_states(ctx: &mut Context, rows: Span) {
        for r in rows.range() {
            let l = ctx.rows.new_leader[r];
            if l != NO_LEADER {
                let p = ctx.rows.partition[r] as usize;
                ctx.store(p, Some(l), ctx.rows.new_isr[r]);
            }
        }
    }

    /// `Controller::skip`: takes a run of one-partition batches (per-partition publication)
    /// without building their steps. Each batch is elected, written and counted in one go instead
    /// of through its six or seven queued events, which matters when a million partitions go one
    /// by one. It starts at the event that starts the next batch — a batch's LeaderAndIsrSent, or
    /// its PartitionsOffline if its one election failed — and stops at a batch boundary: before
    /// anything but the earlier batches' reports (LeadersServing, ClientsReconnected, which only
    /// report) is due in the queue, before fewer than `keep` steps would remain, or if the
    /// reports would come out of order. What it leaves is what the events would have left: the
    /// rows, the store, the clock, and in the queue every step still to come, in the order the
    /// batches scheduled them. Returns how many steps it took.
    pub(super) fn skip_batches(&mut self, ctx: &mut Context, q: &mut Queue, keep: u64) -> u64 {
        let publication = if ctx.is_crash() {
            ctx.p.crash_publication
        } else {
            ctx.p.shutdown_publication
        };
        let Some((_, Event::LeaderAndIsrSent { rows, .. } | Event::PartitionsOffline { rows })) =
            q.peek()
        else {
            return 0;
        };
        let mut from = rows.end;
        let acted = Self::acted_rows(ctx);
        if publication != Publication::PerPartition
            || rows.len() != 1
            || u64::from(acted.saturating_sub(from)) <= keep
        {
            return 0;
        }
        // Taken as its handler would: the next batch starts (below) at its time.
        let (mut t, _) = q.pop().expect("peeked");
        let mut taken = 1;
        let limit = q
            .events()
            .filter(|(_, e)| !is_report(e))
            .map(|(at, _)| at)
            .min()
            .unwrap_or(i64::MAX);
        // The reports of the batches taken here that are still to come, each in time order.
        let mut serving: VecDeque<(i64, u32)> = VecDeque::new();
        let mut reconnected: VecDeque<(i64, u32)> = VecDeque::new();
        // Nothing else happens in between, so the brokers stay as they are.
        let brokers = Brokers::of(ctx);
        let next_batch = loop {
            ctx.now = t;
            let Some(batch) = self.elect_batch(ctx, from, brokers) else {
                break None;
            };
            // The event that starts the batch after this one.
            let next = if batch.all_failed() {
                batch.elected
            } else {
                batch.written
            };
            let in_order = batch.all_failed()
                || (serving.back().is_none_or(|&(at, _)| at <= batch.serving)
                    && reconnected
                        .back()
                        .is_none_or(|&(at, _)| at <= batch.reconnected));
            if u64::from(acted - from - 1) < keep || next >= limit || !in_order {
                break Some(batch);
            }
            // The batch's events up to that one, and the earlier reports due by then.
            while serving.front().is_some_and(|&(at, _)| at <= next) {
                serving.pop_front();
                taken += 1;
            }
            while reconnected.front().is_some_and(|&(at, _)| at <= next) {
                reconnected.pop_front();
                taken += 1;
            }
            if !batch.all_failed() {
                Self::write_states(ctx, batch.span);
                serving.push_back((batch.serving, from));
                reconnected.push_back((batch.reconnected, from));
            }
            taken += batch.steps_until_next();
            t = next;
            from = batch.span.end;
        };
        // Now as after taking the event at `t` that started batch `from`. The queue's reports
        // due by then come next or came before it: they are taken too.
        while q.peek().is_some_and(|(at, e)| at <= t && is_report(e)) {
            q.pop();
            taken += 1;
        }
        ctx.now = t;
        // The reports still to come, in the order their batches scheduled them.
        loop {
            let row = |d: &VecDeque<(i64, u32)>| d.front().map_or(u32::MAX, |&(_, r)| r);
            let (s, c) = (row(&serving), row(&reconnected));
            if s == u32::MAX && c == u32::MAX {
                break;
            }
            if s <= c {
                let (at, r) = serving.pop_front().expect("not empty");
                q.schedule(at, Event::LeadersServing { rows: Span::one(r) });
            } else {
                let (at, r) = reconnected.pop_front().expect("not empty");
                q.schedule(at, Event::ClientsReconnected { rows: Span::one(r) });
            }
        }
        match next_batch {
            Some(batch) => batch.schedule(q),
            None => self.after_elections(ctx, q),
        }
        taken
    }

    /// Starts the controller's next batch of elections at rows [from, …), or the ISR shrink once
    /// every row is done. Schedules the batch's steps and fills in its rows' times.
    pub(super) fn start_batch(&mut self, ctx: &mut Context, q: &mut Queue, from: u32) {
        match self.elect_batch(ctx, from, Brokers::of(ctx)) {
            Some(batch) => batch.schedule(q),
            None => self.after_elections(ctx, q),
        }
    }

    /// The batch of elections at rows [from, …) at `ctx.now`: fills in its rows' times and
    /// returns when its steps are due, or `None` once every row is done.
    fn elect_batch(&mut self, ctx: &mut Context, from: u32, brokers: Brokers) -> Option<Batch> {
        // The acted rows are a prefix (`acted_rows`): row `from` is in it or every row is done.
        // Checking the one row keeps a batch of one partition O(1) instead of a binary search.
        let acted = (from as usize) < ctx.rows.len()
            && (ctx.is_crash()
                || ctx
                    .plan
                    .replicas(ctx.rows.partition[from as usize] as usize)
                    .len()
                    > 1);
        if !acted {
            return None;
        }
        let publication = if ctx.is_crash() {
            ctx.p.crash_publication
        } else {
            ctx.p.shutdown_publication
        };
        let size = match publication {
            Publication::PerPartition => 1,
            Publication::PerBatch => Self::acted_rows(ctx) - from,
        };
        let span = Span {
            start: from,
            end: from + size,
        };
        let now = ctx.now;
        let p = &ctx.p;
        let (window, rtt, op, per_partition) = (
            p.zk_max_in_flight,
            p.zk_round_trip_us,
            p.zk_pipelined_op_us,
            p.controller_per_partition_us,
        );
        let (propagation, apply_cost, unavailability) = (
            p.propagation_us,
            p.broker_apply_per_partition_us,
            p.shutdown_unavailability,
        );
        let discovery = ctx.client_discovery_us();
        let zk_costs = rtt > 0 || op > 0;

        // 1. Read the partitions' current state from ZooKeeper.
        let mut t = now;
        let mut read = None;
        if zk_costs {
            t = Pipeline::new(window.min(size as i64), rtt, op).batch(now, span.len() as usize);
            read = Some(t);
        }

        // 2. Elect, one partition after another on the controller's thread.
        let Brokers {
            live,
            shutting_down,
        } = brokers;
        let crash = ctx.is_crash();
        let mut failed = 0;
        for r in span.range() {
            let part = ctx.rows.partition[r] as usize;
            let a = ctx.plan.replicas(part);
            let isr = ctx.cluster.isr(part);
            let e = if crash {
                election::offline(a, isr, live, ctx.plan.unclean)
            } else {
                election::controlled_shutdown(a, isr, live, shutting_down)
            };
            ctx.rows.election_start[r] = t;
            t += per_partition;
            ctx.rows.elected[r] = t;
            ctx.rows.new_leader[r] = e.leader.unwrap_or(NO_LEADER);
            ctx.rows.new_isr[r] = e.isr;
            ctx.rows.unclean[r] = e.unclean;
            failed += u32::from(e.leader.is_none());
        }
        let elected = t;
        let mut batch = Batch {
            span,
            read,
            elected,
            failed,
            written: elected,
            requests: 0,
            serving: elected,
            reconnected: elected,
        };
        if batch.all_failed() {
            return Some(batch);
        }

        // 3. Write the new leader and ISR, conditional on the znode version.
        let mut writes = Pipeline::new(window.min(size as i64), rtt, op);
        let mut last = elected;
        for r in span.range() {
            if ctx.rows.new_leader[r] == NO_LEADER {
                continue;
            }
            let (issued, done) = writes.request(elected);
            ctx.rows.write_issued[r] = issued;
            ctx.rows.persisted[r] = done;
            last = last.max(done);
        }

        // 4. Publish once for the batch: LeaderAndIsr to each broker that hosts a replica
        //    (the new leaders, and the leaving broker under a controlled shutdown) and
        //    UpdateMetadata to every live broker. Each broker applies its partitions in order.
        // LeaderAndIsr goes to every live replica (the leaving broker included, under a controlled
        // shutdown, so that it learns it is now a follower).
        let hosts = live.union(shutting_down);
        // Partitions applied so far per new leader (zeroed again below for the leaders used).
        let applied = &mut self.applied;
        let mut leaders = BrokerSet::EMPTY;
        let mut receivers = BrokerSet::EMPTY;
        let mut serving_max = last;
        for r in span.range() {
            let l = ctx.rows.new_leader[r];
            if l == NO_LEADER {
                continue;
            }
            let p_idx = ctx.rows.partition[r] as usize;
            receivers = receivers.union(BrokerSet::of(ctx.plan.replicas(p_idx)).intersect(hosts));
            applied[l as usize] += 1;
            leaders = leaders.with(l);
            let k = applied[l as usize];
            let serving = last + propagation + k * apply_cost;
            ctx.rows.publish_sent[r] = last;
            ctx.rows.serving[r] = serving;
            ctx.rows.client[r] = serving + discovery;
            if !crash {
                ctx.rows.offline[r] = match unavailability {
                    ShutdownUnavailability::SwitchOver => serving,
                    ShutdownUnavailability::OwnElection => ctx.rows.election_start[r],
                };
            }
            serving_max = serving_max.max(serving);
        }
        leaders.iter().for_each(|l| applied[l as usize] = 0);
        ctx.run.last_publication_us = last;
        batch.written = last;
        batch.requests = receivers.len() as u32;
        batch.serving = serving_max;
        batch.reconnected = serving_max + discovery;
        Some(batch)
    }

    /// Partitions in which the victim is still an ISR member after the elections: after a crash,
    /// the ones it followed and the ones whose election failed; under a controlled shutdown the
    /// ones it followed (StopReplica first). Written and published as one batch.
    fn after_elections(&mut self, ctx: &mut Context, q: &mut Queue) {
        let now = ctx.now;
        let victim = ctx.plan.victim;
        let crash = ctx.is_crash();
        let count = ctx
            .cluster
            .partitions_with_isr_member(victim)
            .filter(|&p| crash || ctx.cluster.leader(p) != Some(victim))
            .count() as u32;
        if count == 0 {
            if !crash {
                Self::reply_to_shutdown(ctx, q, 1);
            }
            return;
        }
        if !crash {
            q.schedule(now, Event::StopReplicaSent { count });
        }
        let reads_done = Pipeline::of(&ctx.p).batch(now, count as usize);
        let t = Pipeline::of(&ctx.p).batch(reads_done, count as usize);
        ctx.run.last_publication_us = t;
        let requests = ctx
            .cluster
            .brokers_in(|s| matches!(s, BrokerState::Alive | BrokerState::ShuttingDown))
            .len() as u32;
        q.schedule(t, Event::IsrShrunk { count, requests });
    }
}

/// A batch's report of its leaders serving or its clients reconnected: an event that changes
/// nothing, which `skip_batches` may therefore take early or late.
fn is_report(e: &Event) -> bool {
    matches!(
        e,
        Event::LeadersServing { .. } | Event::ClientsReconnected { .. }
    )
}

/// The brokers as a batch's elections see them.
#[derive(Clone, Copy)]
struct Brokers {
    live: BrokerSet,
    shutting_down: BrokerSet,
}

impl Brokers {
    fn of(ctx: &Context) -> Brokers {
        Brokers {
            live: ctx.cluster.brokers_in(|s| matches!(s, BrokerState::Alive)),
            shutting_down: ctx.cluster.brokers_in(|s| s == BrokerState::ShuttingDown),
        }
    }
}

/// When one batch's steps are due, in the order the batch schedules them.
struct Batch {
    span: Span,
    /// StateRead, when ZooKeeper requests cost anything.
    read: Option<i64>,
    /// LeadersElected, and PartitionsOffline if any election failed.
    elected: i64,
    failed: u32,
    /// StateWritten and LeaderAndIsrSent; LeadersServing; ClientsReconnected (none of them if
    /// every election failed).
    written: i64,
    requests: u32,
    serving: i64,
    reconnected: i64,
}

impl Batch {
    fn all_failed(&self) -> bool {
        self.failed == self.span.len()
    }

    /// How many of its steps come up to and including the one that starts the next batch
    /// (LeaderAndIsrSent, or PartitionsOffline if every election failed): all but the reports.
    fn steps_until_next(&self) -> u64 {
        let written = if self.all_failed() { 0 } else { 2 };
        u64::from(self.read.is_some()) + 1 + u64::from(self.failed > 0) + written
    }

    fn schedule(&self, q: &mut Queue) {
        let rows = self.span;
        if let Some(t) = self.read {
            q.schedule(t, Event::StateRead { rows });
        }
        q.schedule(self.elected, Event::LeadersElected { rows });
        if self.failed > 0 {
            q.schedule(self.elected, Event::PartitionsOffline { rows });
            if self.all_failed() {
                return;
            }
        }
        q.schedule(self.written, Event::StateWritten { rows });
        let requests = self.requests;
        q.schedule(self.written, Event::LeaderAndIsrSent { rows, requests });
        q.schedule(self.serving, Event::LeadersServing { rows });
        q.schedule(self.reconnected, Event::ClientsReconnected { rows });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::{Driven, Procedure};
    use crate::scenario::{Fault, Scenario};
    use crate::simulation::Simulation;
    use crate::step::{Step, StepKind};

    /// A run with, besides the controller's own events, a report due `at` each of `others` (the
    /// kind of event `skip_batches` may not pass); with `skip(keep)` between steps if given.
    /// Returns each step built with its number, the step count and the end state.
    fn run(s: &Scenario, others: &[i64], keep: Option<u64>) -> (Vec<(u64, Step)>, u64, Context) {
        let mut ctx = Simulation::context(s.plan().unwrap());
        let mut d = Driven::new(ZkController::default());
        let other = Event::StopReplicaSent { count: 7 };
        for &at in others {
            d.queue.schedule(at, other.clone());
        }
        let (mut steps, mut n) = (Vec::new(), 0);
        let mut late = false;
        loop {
            // One more at the instant row 20's batch ends, scheduled after that batch's events.
            if let Some((at, Event::LeaderAndIsrSent { rows, .. })) = d.queue.peek() {
                if rows.start == 20 && !late {
                    d.queue.schedule(at, other.clone());
                    late = true;
                }
            }
            if let (Some(keep), true) = (keep, late) {
                n += d.skip(&mut ctx, keep);
            }
            let mut step = Step::new(StepKind::BrokerCrashed, 0);
            if !d.step(&mut ctx, &mut step) {
                break;
            }
            steps.push((n, step));
            n += 1;
        }
        (steps, n, ctx)
    }

    /// Other events due among the batches — at the instant a batch starts, between a batch's
    /// start and the next one's, anywhere — bound what `skip_batches` takes: the steps it still
    /// builds come out in the same order, with the same numbers and content.
    #[test]
    fn skipping_stops_before_other_events() {
        let mut book = Scenario::with_partitions(300);
        book.profile = "book".into();
        // Batch k starts at 6.2 s + 0.2 s × k; its clients reconnect 0.1 s later.
        let book_others = [6_300_000, 10_200_000, 30_000_123];
        let mut kafka_1_0 = Scenario::with_partitions(300);
        kafka_1_0.profile = "kafka-1.0".into();
        kafka_1_0.event = Fault::ControlledShutdown;
        let others_1_0 = [50_000, 1_000_000, 2_000_017];
        for (s, others) in [(book, &book_others), (kafka_1_0, &others_1_0)] {
            let (want, total, end) = run(&s, others, None);
            assert!(want.iter().all(|(n, _)| want[*n as usize].0 == *n));
            for keep in [0, 1, 3, 50] {
                let (got, n, ctx) = run(&s, others, Some(keep));
                assert!(got.len() < want.len(), "{} keep {keep}: skipped", s.profile);
                for (i, step) in &got {
                    assert_eq!(step, &want[*i as usize].1, "{} keep {keep}", s.profile);
                }
                let others_at = |v: &[(u64, Step)]| -> Vec<u64> {
                    v.iter()
                        .filter(|(_, s)| s.kind == StepKind::StopReplicaSent)
                        .map(|(i, _)| *i)
                        .collect()
                };
                assert_eq!(
                    others_at(&got),
                    others_at(&want),
                    "{} keep {keep}",
                    s.profile
                );
                assert_eq!(others_at(&want).len(), others.len() + 1);
                assert_eq!(n, total);
                assert_eq!(
                    (ctx.now, ctx.run, ctx.isr_shrinks),
                    (end.now, end.run, end.isr_shrinks)
                );
                assert_eq!(ctx.rows.serving, end.rows.serving);
                assert_eq!(ctx.rows.client, end.rows.client);
                for p in 0..ctx.plan.partitions() {
                    assert_eq!(ctx.cluster.registration(p), end.cluster.registration(p));
                }
            }
        }
    }
}
