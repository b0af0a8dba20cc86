//! The ZooKeeper-mode controller (Kafka 1.0 to 3.9): broker crash and controlled shutdown.
//!
//! Crash: the session expires → the BrokerChange watch fires → the dead broker's partitions are
//! elected with the offline rule in batches (read state, elect, write state, publish) → the dead
//! broker leaves the ISRs it is still in. Controlled shutdown: the request arrives → its
//! partitions are elected with the controlled-shutdown rule while the old leaders keep serving →
//! StopReplica and ISR shrink for the partitions it follows → the reply → log flush and exit.

use crate::broker::{BrokerId, BrokerState, Lifecycle, MAX_BROKER_ID};
use crate::election;
use crate::results::NO_LEADER;
use crate::step::{Step, StepKind};

use super::{Context, Controller, EventQueue, Span};

mod batch;
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
pub(crate) struct ZkController {
    /// Controlled shutdown: the broker has exited with partitions it could not move, and the
    /// controller now handles it as a failed broker (past the chapter's steps).
    after_exit: bool,
    /// Scratch for a batch's publication: partitions applied so far per new leader, by broker
    /// id. Kept between batches (all zero outside one) so that the book's million batches of
    /// one partition neither allocate nor clear 128 counters each.
    applied: Box<[i64; MAX_BROKER_ID as usize + 1]>,
}

impl Default for ZkController {
    fn default() -> Self {
        ZkController {
            after_exit: false,
            applied: Box::new([0; MAX_BROKER_ID as usize + 1]),
        }
    }
}

type Queue = EventQueue<Event>;

impl Controller for ZkController {
    type Event = Event;

    fn fault(&self) -> Event {
        Event::Fault
    }

    fn skip(&mut self, ctx: &mut Context, q: &mut Queue, keep: u64) -> u64 {
        self.skip_batches(ctx, q, keep)
    }

    fn handle(&mut self, event: Event, ctx: &mut Context, q: &mut Queue) -> Step {
        let now = ctx.now;
        let victim = ctx.victim();
        let crash = ctx.is_crash();
        let mut step = match event {
            Event::Fault => {
                ctx.run.fault_us = now;
                if crash {
                    ctx.crash_victim();
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
                if !ctx.fail_over(q, |broker| Event::ControllerElected {
                    broker,
                    then_load: true,
                }) {
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
                Self::write_states(ctx, rows);
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
                    || ctx
                        .cluster
                        .partitions_with_isr_member(victim)
                        .next()
                        .is_some();
                let failover = ctx.fail_over(q, |broker| Event::ControllerElected {
                    broker,
                    then_load: true,
                });
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
