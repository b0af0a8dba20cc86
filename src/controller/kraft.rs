//! The KRaft quorum controller (3.x, 4.x): broker crash and controlled shutdown.
//!
//! Crash: heartbeats stop → the broker is fenced once its session times out → one controller
//! event builds a PartitionChangeRecord for every partition with the broker in its ISR → the
//! records go to the metadata log in batches of at most `kraft_max_records_per_batch`, the quorum
//! commits each batch, every broker replays it, and new leaders serve as they replay their record.
//! Controlled shutdown: a heartbeat with wantShutDown → the same single event (the broker is not
//! acceptable as leader any more) → the controller releases the broker at a heartbeat once it leads
//! nothing and every broker has replayed the records → log flush and exit.

use crate::broker::{BrokerId, BrokerSet, BrokerState, Lifecycle};
use crate::election::{self, KraftChange, KraftElection, KraftPartition, LeaderRecoveryState};
use crate::profile::ShutdownUnavailability;
use crate::results::NO_LEADER;
use crate::step::{Step, StepKind};

use super::{Context, Controller, EventQueue, Span};

/// The KRaft controller's events (and the brokers' heartbeats it reacts to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// The fault hits the victim (kill -9 or SIGTERM).
    Fault,
    /// The quorum elected a new active controller (combined mode, the victim was active).
    ControllerElected {
        broker: BrokerId,
    },
    /// The victim's session timed out: fenced.
    BrokerFenced,
    /// A heartbeat with wantShutDown reached the controller.
    ShutdownHeartbeat,
    RecordsAppended {
        records: Span,
    },
    RecordsCommitted {
        records: Span,
    },
    LeadersServing {
        rows: Span,
    },
    ClientsReconnected {
        rows: Span,
    },
    /// A heartbeat response with shouldShutDown.
    ShutdownReleased,
    BrokerExited,
}

/// The KRaft controller's own state: the records of its one controller event and the partitions'
/// Eligible Leader Replicas.
#[derive(Default)]
pub(crate) struct KraftController {
    /// The partitions the controller event changes (led and followed), in record order.
    records: Vec<u32>,
    /// Eligible Leader Replicas and last known ELR, per partition (KIP-966).
    elr: Vec<BrokerSet>,
    last_known_elr: Vec<BrokerSet>,
    /// The brokers acceptable as leader when the records were built.
    acceptable: BrokerSet,
}

type Queue = EventQueue<Event>;

impl Controller for KraftController {
    type Event = Event;

    fn fault(&self) -> Event {
        Event::Fault
    }

    fn memory_bytes(&self) -> usize {
        self.records.capacity() * std::mem::size_of::<u32>()
            + (self.elr.capacity() + self.last_known_elr.capacity())
                * std::mem::size_of::<BrokerSet>()
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
                    // Combined mode: the quorum elects a new active controller first.
                    if !ctx.fail_over(q, |broker| Event::ControllerElected { broker }) {
                        // The last heartbeat came, on average, half an interval before the crash.
                        let fence = (ctx.p.broker_session_timeout_us
                            - ctx.p.broker_heartbeat_interval_us / 2)
                            .max(0);
                        q.schedule(now + fence, Event::BrokerFenced);
                    }
                    let mut s = ctx.victim_step(StepKind::BrokerCrashed);
                    s.count = ctx.rows.len() as u32;
                    s
                } else {
                    ctx.cluster.set_lifecycle(victim, Lifecycle::ShuttingDown);
                    q.schedule(now + ctx.p.propagation_us, Event::ShutdownHeartbeat);
                    ctx.victim_step(StepKind::ShutdownSignal)
                }
            }
            Event::ControllerElected { broker } => {
                ctx.cluster.set_controller(Some(broker));
                if crash {
                    // A new active controller starts every broker's session afresh.
                    q.schedule(now + ctx.p.broker_session_timeout_us, Event::BrokerFenced);
                }
                let mut s = Step::new(StepKind::ControllerElected, now);
                s.broker = Some(broker);
                s
            }
            Event::BrokerFenced => {
                ctx.cluster.set_state(victim, BrokerState::Fenced);
                // With a controller failover first (combined mode), the quorum election came
                // before the new controller's session timeout: the breakdown shows it first.
                let failover = if ctx.plan.controller == victim {
                    ctx.p.controller_failover_us
                } else {
                    0
                };
                ctx.run.known_us = now - failover;
                ctx.run.failover_first = failover > 0;
                ctx.run.controller_start_us = now;
                let mut s = ctx.victim_step(StepKind::BrokerFenced);
                s.count = self.start_records(ctx, q);
                s
            }
            Event::ShutdownHeartbeat => {
                ctx.cluster.set_state(victim, BrokerState::ShuttingDown);
                ctx.run.known_us = now;
                ctx.run.controller_start_us = now;
                let mut s = ctx.victim_step(StepKind::ShutdownHeartbeat);
                s.count = self.start_records(ctx, q);
                s
            }
            Event::RecordsAppended { records } => {
                let mut s = ctx.victim_step(StepKind::RecordsAppended);
                s.count = records.len();
                s
            }
            Event::RecordsCommitted { records } => {
                self.commit_records(ctx, records);
                let mut s = ctx.victim_step(StepKind::RecordsCommitted);
                s.count = records.len();
                if let (1, Some(r)) = (
                    records.len(),
                    ctx.row_of(self.records[records.start as usize] as usize),
                ) {
                    s = ctx.row_step(
                        StepKind::RecordsCommitted,
                        Span {
                            start: r as u32,
                            end: r as u32 + 1,
                        },
                    );
                }
                s
            }
            Event::LeadersServing { rows } => ctx.row_step(StepKind::LeadersServing, rows),
            Event::ClientsReconnected { rows } => ctx.row_step(StepKind::ClientsReconnected, rows),
            Event::ShutdownReleased => {
                q.schedule(now + ctx.p.log_flush_us, Event::BrokerExited);
                ctx.victim_step(StepKind::ShutdownReleased)
            }
            Event::BrokerExited => {
                ctx.cluster.set_state(victim, BrokerState::Dead);
                ctx.cluster.set_lifecycle(victim, Lifecycle::Exited);
                ctx.fail_over(q, |broker| Event::ControllerElected { broker });
                ctx.victim_step(StepKind::BrokerExited)
            }
        };
        step.chapter_step = chapter_step(step.kind, crash);
        step
    }
}

impl KraftController {
    fn kraft_change(&self, ctx: &Context, p: usize) -> KraftPartition {
        let cur = KraftPartition {
            leader: ctx.cluster.registration(p).leader,
            isr: ctx.cluster.isr(p),
            elr: self.elr[p],
            last_known_elr: self.last_known_elr[p],
            recovery: LeaderRecoveryState::Recovered,
        };
        let elr_enabled = ctx.p.eligible_leader_replicas != 0;
        let change = KraftChange {
            assignment: ctx.plan.replicas(p),
            target_isr: election::kraft_target_isr(
                cur.isr,
                BrokerSet::EMPTY.with(ctx.plan.victim),
                elr_enabled,
            ),
            acceptable: self.acceptable,
            election: if ctx.plan.unclean {
                KraftElection::Unclean
            } else {
                KraftElection::Online
            },
            elr_enabled,
            min_isr: ctx.p.min_insync_replicas as usize,
        };
        election::kraft(&cur, &change)
    }

    /// The single controller event: builds one record per partition with the victim in its ISR,
    /// schedules the batches, fills in the rows' times. Returns the number of records.
    fn start_records(&mut self, ctx: &mut Context, q: &mut Queue) -> u32 {
        let n = ctx.plan.partitions();
        if self.elr.is_empty() {
            self.elr = vec![BrokerSet::EMPTY; n];
            self.last_known_elr = vec![BrokerSet::EMPTY; n];
        }
        let victim = ctx.plan.victim;
        self.acceptable = ctx.cluster.brokers_in(|s| s == BrokerState::Alive);
        self.records = ctx
            .cluster
            .partitions_with_isr_member(victim)
            .map(|p| p as u32)
            .collect();
        let p = ctx.p.clone();
        let crash = ctx.is_crash();
        let batch = p.kraft_max_records_per_batch.max(1) as usize;
        let mut t = ctx.now;
        let mut last_commit = t;
        let mut last_replay = t;
        let mut row_cursor = 0u32;
        let total = self.records.len();
        for (k, chunk_start) in (0..total).step_by(batch).enumerate() {
            let chunk = chunk_start..(chunk_start + batch).min(total);
            let rows_start = row_cursor;
            let mut built = Vec::with_capacity(chunk.len());
            for i in chunk.clone() {
                let part = self.records[i] as usize;
                let row = ctx.row_of(part);
                let next = self.kraft_change(ctx, part);
                if let Some(r) = row {
                    ctx.rows.election_start[r] = t;
                    ctx.rows.new_leader[r] = next.leader.unwrap_or(NO_LEADER);
                    ctx.rows.new_isr[r] = next.isr;
                    ctx.rows.unclean[r] = next.recovery == LeaderRecoveryState::Recovering;
                    row_cursor = r as u32 + 1;
                }
                t += p.kraft_record_us;
                if let Some(r) = row {
                    ctx.rows.elected[r] = t;
                }
                built.push((i, row));
            }
            let appended = t;
            let commit = last_commit.max(appended + p.kraft_commit_us);
            last_commit = commit;
            let mut serving_max = commit;
            for (pos, &(_, row)) in built.iter().enumerate() {
                let replayed =
                    commit + p.propagation_us + (pos as i64 + 1) * p.kraft_replay_per_record_us;
                serving_max = serving_max.max(replayed);
                let Some(r) = row else { continue };
                ctx.rows.write_issued[r] = appended;
                ctx.rows.persisted[r] = commit;
                ctx.rows.publish_sent[r] = commit;
                if ctx.rows.new_leader[r] == NO_LEADER {
                    // No acceptable replica: the record leaves the partition leaderless.
                    if !crash {
                        ctx.rows.offline[r] = replayed;
                    }
                    continue;
                }
                ctx.rows.serving[r] = replayed;
                ctx.rows.client[r] = replayed + ctx.client_discovery_us();
                if !crash {
                    ctx.rows.offline[r] = match p.shutdown_unavailability {
                        ShutdownUnavailability::SwitchOver => replayed,
                        ShutdownUnavailability::OwnElection => ctx.rows.election_start[r],
                    };
                }
            }
            last_replay = last_replay.max(serving_max);
            let records = Span {
                start: chunk.start as u32,
                end: chunk.end as u32,
            };
            q.schedule(appended, Event::RecordsAppended { records });
            q.schedule(commit, Event::RecordsCommitted { records });
            let rows = Span {
                start: rows_start,
                end: row_cursor,
            };
            if rows.len() > 0 {
                q.schedule(serving_max, Event::LeadersServing { rows });
                let client_max = rows
                    .range()
                    .map(|r| ctx.rows.client[r])
                    .max()
                    .unwrap_or(serving_max);
                if client_max > 0 {
                    q.schedule(
                        client_max.max(serving_max),
                        Event::ClientsReconnected { rows },
                    );
                }
            }
            let _ = k;
        }
        ctx.run.last_publication_us = last_commit;
        if !crash {
            // Released at the first heartbeat after every broker has replayed the records.
            let hb = p.broker_heartbeat_interval_us.max(1);
            let since = (last_replay - ctx.run.fault_us).max(0);
            let beat = ctx.run.fault_us + (since + hb - 1) / hb * hb;
            let at = (beat + 2 * p.propagation_us).max(last_replay);
            q.schedule(at, Event::ShutdownReleased);
        }
        total as u32
    }

    /// Applies a committed batch to the store.
    fn commit_records(&mut self, ctx: &mut Context, records: Span) {
        for i in records.range() {
            let p = self.records[i] as usize;
            let next = self.kraft_change(ctx, p);
            ctx.store(p, next.leader, next.isr);
            self.elr[p] = next.elr;
            self.last_known_elr[p] = next.last_known_elr;
        }
    }
}

/// The chapter's numbering, mapped onto KRaft's mechanism (fencing stands for step 2, the
/// metadata log for ZooKeeper).
fn chapter_step(kind: StepKind, crash: bool) -> Option<u8> {
    use StepKind::*;
    match (kind, crash) {
        (BrokerCrashed, true) => Some(1),
        (BrokerFenced, true) => Some(2),
        (RecordsAppended, true) => Some(3),
        (RecordsCommitted, true) => Some(4),
        (LeadersServing, true) => Some(5),
        (ShutdownSignal, false) => Some(1),
        (ShutdownHeartbeat, false) => Some(2),
        (RecordsAppended | RecordsCommitted, false) => Some(3),
        (LeadersServing, false) => Some(4),
        (ShutdownReleased, false) => Some(5),
        (BrokerExited, false) => Some(6),
        _ => None,
    }
}
