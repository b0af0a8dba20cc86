//! The ZooKeeper-mode controller (Kafka 1.0 to 3.9): broker crash and controlled shutdown.
//!
//! Crash: the session expires → the BrokerChange watch fires → the dead broker's partitions are
//! elected with the offline rule in batches (read state, elect, write state, publish) → the dead
//! broker leaves the ISRs it is still in. Controlled shutdown: the request arrives → its
//! partitions are elected with the controlled-shutdown rule while the old leaders keep serving →
//! StopReplica and ISR shrink for the partitions it follows → the reply → log flush and exit.

use crate::broker::{BrokerId, BrokerSet, BrokerState, Lifecycle};
use crate::election;
use crate::profile::{Publication, ShutdownUnavailability};
use crate::results::NO_LEADER;
use crate::step::{Step, StepKind};

use super::{Context, Controller, EventQueue, Span};

mod pipeline;
pub(crate) use pipeline::Pipeline;

/// The ZooKeeper-mode controller's events, in the order a run meets them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// The fault hits the victim (kill -9 or SIGTERM).
    Fault,
    /// ZooKeeper expired the crashed broker's session.
    SessionExpired,
    /// A broker created /controller (and, if `then_load`, must load every partition first).
    ControllerElected {
        broker: BrokerId,
        then_load: bool,
    },
    MetadataLoaded,
    /// The BrokerChange watch fired.
    BrokerChange,
    /// ControlledShutdownRequest, attempt 1, 2, …
    ShutdownRequested {
        attempt: u32,
    },
    StateRead {
        rows: Span,
    },
    LeadersElected {
        rows: Span,
    },
    PartitionsOffline {
        rows: Span,
    },
    StateWritten {
        rows: Span,
    },
    LeaderAndIsrSent {
        rows: Span,
        requests: u32,
    },
    LeadersServing {
        rows: Span,
    },
    ClientsReconnected {
        rows: Span,
    },
    IsrShrunk {
        count: u32,
        requests: u32,
    },
    StopReplicaSent {
        count: u32,
    },
    ShutdownReplied {
        remaining: u32,
        attempt: u32,
    },
    /// After an exit that left partitions behind: their elections and ISR shrinks are written.
    ExitElectionsWritten {
        count: u32,
    },
    BrokerExited,
}

/// The ZooKeeper-mode controller's own state.
#[derive(Default)]
pub(crate) struct ZkController {
    /// Controlled shutdown: the broker has exited with partitions it could not move, and the
    /// controller now handles it as a failed broker (past the chapter's steps).
    after_exit: bool,
}

type Queue = EventQueue<Event>;

impl Controller for ZkController {
    type Event = Event;

    fn fault(&self) -> Event {
        Event::Fault
    }

    fn handle(&mut self, event: Event, ctx: &mut Context, q: &mut Queue) -> Step {
        let now = ctx.now;
        let victim = ctx.victim();
        let crash = ctx.is_crash();
        let mut step = match event {
            Event::Fault => {
                ctx.run.fault_us = now;
                if crash {
                    ctx.cluster.set_state(victim, BrokerState::Unresponsive);
                    ctx.cluster.set_lifecycle(victim, Lifecycle::Crashed);
                    ctx.rows_offline_from(now);
                    q.schedule(now + ctx.p.zk_session_timeout_us, Event::SessionExpired);
                    let mut s = ctx.victim_step(StepKind::BrokerCrashed);
                    s.count = ctx.rows.len() as u32;
                    s
                } else {
                    ctx.cluster.set_lifecycle(victim, Lifecycle::ShuttingDown);
                    // controlled.shutdown.max.retries counts attempts (Kafka's loop runs while
                    // `remainingRetries > 0`): with 0 the broker just shuts down.
                    if ctx.p.controlled_shutdown_max_retries > 0 {
                        q.schedule(
                            now + ctx.p.propagation_us,
                            Event::ShutdownRequested { attempt: 1 },
                        );
                    } else {
                        q.schedule(now + ctx.p.log_flush_us, Event::BrokerExited);
                    }
                    ctx.victim_step(StepKind::ShutdownSignal)
                }
            }
            Event::SessionExpired => {
                ctx.cluster.set_state(victim, BrokerState::Dead);
                ctx.run.known_us = now;
                // /controller vanished with the session: the survivors race to create it.
                // Otherwise the watch notification and the read of /brokers/ids: one round trip.
                if !Self::fail_over(ctx, q) {
                    q.schedule(now + ctx.p.zk_round_trip_us, Event::BrokerChange);
                }
                ctx.victim_step(StepKind::SessionExpired)
            }
            Event::ControllerElected { broker, then_load } => {
                ctx.cluster.set_controller(Some(broker));
                if then_load {
                    let load = ctx.p.metadata_load_per_partition_us * ctx.plan.partitions() as i64;
                    q.schedule(now + load, Event::MetadataLoaded);
                }
                let mut s = Step::new(StepKind::ControllerElected, now);
                s.broker = Some(broker);
                s
            }
            Event::MetadataLoaded => {
                let mut s = Step::new(StepKind::MetadataLoaded, now);
                s.broker = ctx.cluster.controller();
                s.count = ctx.plan.partitions() as u32;
                if crash {
                    ctx.run.controller_start_us = now;
                    self.start_batch(ctx, q, 0);
                } else if self.after_exit {
                    self.elect_after_exit(ctx, q);
                }
                s
            }
            Event::BrokerChange if !crash => {
                let mut s = ctx.victim_step(StepKind::BrokerChange);
                s.count = self.elect_after_exit(ctx, q);
                s
            }
            Event::ExitElectionsWritten { count } => {
                for p in 0..ctx.plan.partitions() {
                    if ctx.row_of(p).is_none() && ctx.cluster.isr(p).contains(victim) {
                        let cur = ctx.cluster.registration(p);
                        if let Some((leader, isr)) =
                            election::remove_replica_from_isr(cur.leader, cur.isr, victim)
                        {
                            ctx.store(p, leader, isr);
                        }
                    }
                }
                for r in 0..ctx.rows.len() {
                    let p = ctx.rows.partition[r] as usize;
                    if ctx.cluster.leader(p) != Some(victim) {
                        continue;
                    }
                    let l = ctx.rows.new_leader[r];
                    if l != NO_LEADER {
                        ctx.store(p, Some(l), ctx.rows.new_isr[r]);
                    } else if let Some((leader, isr)) =
                        election::remove_replica_from_isr(Some(victim), ctx.cluster.isr(p), victim)
                    {
                        ctx.store(p, leader, isr);
                    }
                }
                let mut s = Step::new(StepKind::StateWritten, now);
                s.broker = ctx.cluster.controller();
                s.count = count;
                s
            }
            Event::BrokerChange => {
                ctx.run.known_us = now;
                ctx.run.controller_start_us = now;
                let mut s = ctx.victim_step(StepKind::BrokerChange);
                s.count = ctx.rows.len() as u32;
                self.start_batch(ctx, q, 0);
                s
            }
            Event::ShutdownRequested { attempt } => {
                let mut s = ctx.victim_step(StepKind::ShutdownRequested);
                if attempt == 1 {
                    ctx.cluster.set_state(victim, BrokerState::ShuttingDown);
                    ctx.run.known_us = now;
                    ctx.run.controller_start_us = now;
                    s.count = Self::acted_rows(ctx);
                    self.start_batch(ctx, q, 0);
                } else {
                    // A retry: the partitions that could not move still cannot.
                    let stuck = Self::stuck_rows(ctx);
                    let at = now
                        + ctx.p.controller_per_partition_us * stuck as i64
                        + ctx.p.propagation_us;
                    q.schedule(
                        at,
                        Event::ShutdownReplied {
                            remaining: stuck,
                            attempt,
                        },
                    );
                    s.count = stuck;
                }
                s
            }
            Event::StateRead { rows } => ctx.row_step(StepKind::StateRead, rows),
            Event::LeadersElected { rows } => ctx.row_step(StepKind::LeadersElected, rows),
            Event::PartitionsOffline { rows } => {
                let mut s = ctx.row_step(StepKind::PartitionsOffline, rows);
                s.count = rows
                    .range()
                    .filter(|&r| ctx.rows.new_leader[r] == NO_LEADER)
                    .count() as u32;
                if s.count == rows.len() {
                    // Nothing of this batch is written or published: go on with the next one.
                    self.start_batch(ctx, q, rows.end);
                }
                s
            }
            Event::StateWritten { rows } => {
                for r in rows.range() {
                    let l = ctx.rows.new_leader[r];
                    if l != NO_LEADER {
                        let p = ctx.rows.partition[r] as usize;
                        ctx.store(p, Some(l), ctx.rows.new_isr[r]);
                    }
                }
                ctx.row_step(StepKind::StateWritten, rows)
            }
            Event::LeaderAndIsrSent { rows, requests } => {
                let mut s = ctx.row_step(StepKind::LeaderAndIsrSent, rows);
                s.requests = requests;
                self.start_batch(ctx, q, rows.end);
                s
            }
            Event::LeadersServing { rows } => ctx.row_step(StepKind::LeadersServing, rows),
            Event::ClientsReconnected { rows } => ctx.row_step(StepKind::ClientsReconnected, rows),
            Event::StopReplicaSent { count } => {
                let mut s = ctx.victim_step(StepKind::StopReplicaSent);
                s.count = count;
                s.requests = 1;
                s
            }
            Event::IsrShrunk { count, requests } => {
                Self::shrink_isrs(ctx);
                let mut s = ctx.victim_step(StepKind::IsrShrunk);
                s.count = count;
                s.requests = requests;
                if !crash {
                    Self::reply_to_shutdown(ctx, q, 1);
                }
                s
            }
            Event::ShutdownReplied { remaining, attempt } => {
                // After a failed attempt the broker sleeps the backoff, then retries or, out of
                // attempts, shuts down anyway.
                let backoff = ctx.p.controlled_shutdown_retry_backoff_us;
                if remaining == 0 {
                    q.schedule(now + ctx.p.log_flush_us, Event::BrokerExited);
                } else if (attempt as i64) < ctx.p.controlled_shutdown_max_retries {
                    let next = Event::ShutdownRequested {
                        attempt: attempt + 1,
                    };
                    q.schedule(now + backoff + ctx.p.propagation_us, next);
                } else {
                    q.schedule(now + backoff + ctx.p.log_flush_us, Event::BrokerExited);
                }
                let mut s = ctx.victim_step(StepKind::ShutdownReplied);
                s.count = remaining;
                s
            }
            Event::BrokerExited => {
                ctx.cluster.set_state(victim, BrokerState::Dead);
                ctx.cluster.set_lifecycle(victim, Lifecycle::Exited);
                ctx.mark_stuck(
                    Span {
                        start: 0,
                        end: ctx.rows.len() as u32,
                    },
                    now,
                );
                // The exit closes the ZooKeeper session at once. Partitions it still leads (or
                // follows, if it never asked to shut down) are then the controller's to handle as
                // for a failed broker: the BrokerChange watch fires one round trip on, or, if the
                // victim was the controller, a new one is elected and loads the state first.
                self.after_exit = ctx.rows.new_leader.contains(&NO_LEADER)
                    || (0..ctx.plan.partitions()).any(|p| ctx.cluster.isr(p).contains(victim));
                let failover = Self::fail_over(ctx, q);
                if self.after_exit && !failover {
                    q.schedule(now + ctx.p.zk_round_trip_us, Event::BrokerChange);
                }
                ctx.victim_step(StepKind::BrokerExited)
            }
        };
        step.chapter_step = if self.after_exit && step.kind != StepKind::BrokerExited {
            None
        } else {
            chapter_step(step.kind, crash)
        };
        step
    }
}

impl ZkController {
    /// If the victim was the controller, the survivors race to create /controller; the winner
    /// must load every partition's state before it can act.
    fn fail_over(ctx: &mut Context, q: &mut Queue) -> bool {
        let Some(successor) = ctx.controller_lost() else {
            return false;
        };
        if let Some(broker) = successor {
            let at = ctx.now + ctx.p.controller_failover_us;
            q.schedule(
                at,
                Event::ControllerElected {
                    broker,
                    then_load: true,
                },
            );
        }
        true
    }

    /// The rows the controller elects: all after a crash; under a controlled shutdown only the
    /// replicated partitions, which `from_plan` put first.
    fn acted_rows(ctx: &Context) -> u32 {
        if ctx.is_crash() {
            return ctx.rows.len() as u32;
        }
        let rows = &ctx.rows.partition;
        rows.partition_point(|&p| ctx.plan.replicas(p as usize).len() > 1) as u32
    }

    /// Partitions the leaving broker still leads that the controller counts as remaining: Kafka's
    /// `doControlledShutdown` only acts on replicated partitions, so a single-replica partition
    /// neither moves nor holds the shutdown up.
    fn stuck_rows(ctx: &Context) -> u32 {
        (0..ctx.rows.len())
            .filter(|&r| {
                ctx.rows.new_leader[r] == NO_LEADER
                    && ctx.plan.replicas(ctx.rows.partition[r] as usize).len() > 1
            })
            .count() as u32
    }

    /// After a controlled shutdown that left partitions behind, the broker's exit closes its
    /// ZooKeeper session and the controller handles it as a failure: the offline rule (unclean
    /// if enabled) for the partitions it still led, then the offline-replica ISR shrink, which
    /// keeps the last member and clears the leader (KAFKA-5083).
    fn elect_after_exit(&mut self, ctx: &mut Context, q: &mut Queue) -> u32 {
        let live = ctx.cluster.brokers_in(|s| matches!(s, BrokerState::Alive));
        let p = &ctx.p;
        let c = p.controller_per_partition_us;
        let (propagation, discovery) = (p.propagation_us, ctx.client_discovery_us());
        let now = ctx.now;
        let stuck: Vec<usize> = (0..ctx.rows.len())
            .filter(|&r| ctx.rows.new_leader[r] == NO_LEADER)
            .collect();
        let victim = ctx.plan.victim;
        let followed = (0..ctx.plan.partitions())
            .filter(|&q| ctx.row_of(q).is_none() && ctx.cluster.isr(q).contains(victim))
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

    /// Starts the controller's next batch of elections at rows [from, …), or the ISR shrink once
    /// every row is done. Schedules the batch's steps and fills in its rows' times.
    fn start_batch(&mut self, ctx: &mut Context, q: &mut Queue, from: u32) {
        let n = Self::acted_rows(ctx);
        if from >= n {
            self.after_elections(ctx, q);
            return;
        }
        let publication = if ctx.is_crash() {
            ctx.p.crash_publication
        } else {
            ctx.p.shutdown_publication
        };
        let size = match publication {
            Publication::PerPartition => 1,
            Publication::PerBatch => n - from,
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
        if zk_costs {
            t = Pipeline::new(window.min(size as i64), rtt, op).batch(now, span.len() as usize);
            q.schedule(t, Event::StateRead { rows: span });
        }

        // 2. Elect, one partition after another on the controller's thread.
        let live = ctx.cluster.brokers_in(|s| matches!(s, BrokerState::Alive));
        let shutting_down = ctx.cluster.brokers_in(|s| s == BrokerState::ShuttingDown);
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
        q.schedule(elected, Event::LeadersElected { rows: span });
        if failed > 0 {
            q.schedule(elected, Event::PartitionsOffline { rows: span });
            if failed == span.len() {
                return;
            }
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
        q.schedule(last, Event::StateWritten { rows: span });

        // 4. Publish once for the batch: LeaderAndIsr to each broker that hosts a replica
        //    (the new leaders, and the leaving broker under a controlled shutdown) and
        //    UpdateMetadata to every live broker. Each broker applies its partitions in order.
        // LeaderAndIsr goes to every live replica (the leaving broker included, under a controlled
        // shutdown, so that it learns it is now a follower).
        let hosts = live.union(shutting_down);
        // Partitions applied so far per new leader (a handful of brokers: a short list).
        let mut applied: Vec<(u8, i64)> = Vec::new();
        let mut receivers = BrokerSet::EMPTY;
        let mut serving_max = last;
        for r in span.range() {
            let l = ctx.rows.new_leader[r];
            if l == NO_LEADER {
                continue;
            }
            let p_idx = ctx.rows.partition[r] as usize;
            receivers = receivers.union(BrokerSet::of(ctx.plan.replicas(p_idx)).intersect(hosts));
            let k = match applied.iter_mut().find(|(b, _)| *b == l) {
                Some(e) => {
                    e.1 += 1;
                    e.1
                }
                None => {
                    applied.push((l, 1));
                    1
                }
            };
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
        ctx.run.last_publication_us = last;
        q.schedule(
            last,
            Event::LeaderAndIsrSent {
                rows: span,
                requests: receivers.len() as u32,
            },
        );
        q.schedule(serving_max, Event::LeadersServing { rows: span });
        q.schedule(
            serving_max + discovery,
            Event::ClientsReconnected { rows: span },
        );
    }

    /// Partitions in which the victim is still an ISR member after the elections: after a crash,
    /// the ones it followed and the ones whose election failed; under a controlled shutdown the
    /// ones it followed (StopReplica first). Written and published as one batch.
    fn after_elections(&mut self, ctx: &mut Context, q: &mut Queue) {
        let now = ctx.now;
        let victim = ctx.plan.victim;
        let crash = ctx.is_crash();
        let count = (0..ctx.plan.partitions())
            .filter(|&p| {
                ctx.cluster.isr(p).contains(victim)
                    && (crash || ctx.cluster.leader(p) != Some(victim))
            })
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

    /// Applies the offline-replica ISR shrink to the store.
    fn shrink_isrs(ctx: &mut Context) {
        let victim = ctx.plan.victim;
        let crash = ctx.is_crash();
        for p in 0..ctx.plan.partitions() {
            if !crash && ctx.cluster.leader(p) == Some(victim) {
                continue;
            }
            let cur = ctx.cluster.registration(p);
            if let Some((leader, isr)) =
                election::remove_replica_from_isr(cur.leader, cur.isr, victim)
            {
                ctx.store(p, leader, isr);
            }
        }
    }

    fn reply_to_shutdown(ctx: &Context, q: &mut Queue, attempt: u32) {
        let remaining = Self::stuck_rows(ctx);
        q.schedule(
            ctx.now + ctx.p.propagation_us,
            Event::ShutdownReplied { remaining, attempt },
        );
    }
}

/// The chapter's numbering: crash steps 1–5 (§4.2.1), controlled-shutdown steps 1–6 (§4.2.2).
fn chapter_step(kind: StepKind, crash: bool) -> Option<u8> {
    use StepKind::*;
    match (kind, crash) {
        (BrokerCrashed, true) => Some(1),
        (SessionExpired, true) => Some(2),
        (BrokerChange | StateRead | LeadersElected | PartitionsOffline, true) => Some(3),
        (StateWritten, true) => Some(4),
        (LeaderAndIsrSent | LeadersServing, true) => Some(5),
        (ShutdownSignal, false) => Some(1),
        (ShutdownRequested, false) => Some(2),
        (StateRead | LeadersElected | PartitionsOffline | StateWritten, false) => Some(3),
        (LeaderAndIsrSent | LeadersServing, false) => Some(4),
        (ShutdownReplied, false) => Some(5),
        (BrokerExited, false) => Some(6),
        _ => None,
    }
}
