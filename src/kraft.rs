//! The KRaft quorum controller (3.x, 4.x): broker crash and controlled shutdown.
//!
//! Crash: heartbeats stop → the broker is fenced once its session times out → one controller
//! event builds a PartitionChangeRecord for every partition with the broker in its ISR → the
//! records go to the metadata log in batches of at most `kraft_max_records_per_batch`, the quorum
//! commits each batch, every broker replays it, and new leaders serve as they replay their record.
//! Controlled shutdown: a heartbeat with wantShutDown → the same single event (the broker is not
//! acceptable as leader any more) → the controller releases the broker at a heartbeat once it leads
//! nothing and every broker has replayed the records → log flush and exit.

use crate::broker::{BrokerSet, BrokerState};
use crate::election::{self, KraftChange, KraftElection, KraftPartition, LeaderRecoveryState};
use crate::event::{Step, StepKind};
use crate::profile::ShutdownUnavailability;
use crate::results::NO_LEADER;
use crate::simulation::{Action, Simulation, Span};

impl Simulation {
    pub(crate) fn apply_kraft(&mut self, action: Action) -> Step {
        let now = self.now_us();
        let victim = self.plan.victim;
        let crash = self.is_crash();
        let mut step = match action {
            Action::Fault => {
                self.run.fault_us = now;
                if crash {
                    self.set_broker(victim, BrokerState::Unresponsive);
                    self.rows_offline_from(now);
                    // Combined mode: the quorum elects a new active controller first.
                    if !self.fail_over_if_controller(self.p.controller_failover_us, false) {
                        // The last heartbeat came, on average, half an interval before the crash.
                        let fence = (self.p.broker_session_timeout_us
                            - self.p.broker_heartbeat_interval_us / 2)
                            .max(0);
                        self.schedule(now + fence, Action::BrokerFenced);
                    }
                    let mut s = self.victim_step(StepKind::BrokerCrashed);
                    s.count = self.rows.len() as u32;
                    s
                } else {
                    self.schedule(now + self.p.propagation_us, Action::ShutdownHeartbeat);
                    self.victim_step(StepKind::ShutdownSignal)
                }
            }
            Action::ControllerElected { broker, .. } => {
                self.controller = Some(broker);
                if crash {
                    // A new active controller starts every broker's session afresh.
                    self.schedule(now + self.p.broker_session_timeout_us, Action::BrokerFenced);
                }
                let mut s = Step::new(StepKind::ControllerElected, now);
                s.broker = Some(broker);
                s
            }
            Action::BrokerFenced => {
                self.set_broker(victim, BrokerState::Fenced);
                // With a controller failover first (combined mode), the quorum election came
                // before the session timeout; the breakdown shows the two amounts, detection first.
                let failover = if self.plan.controller == victim {
                    self.p.controller_failover_us
                } else {
                    0
                };
                self.run.known_us = now - failover;
                self.run.controller_start_us = now;
                let mut s = self.victim_step(StepKind::BrokerFenced);
                s.count = self.start_records();
                s
            }
            Action::ShutdownHeartbeat => {
                self.set_broker(victim, BrokerState::ShuttingDown);
                self.run.known_us = now;
                self.run.controller_start_us = now;
                let mut s = self.victim_step(StepKind::ShutdownHeartbeat);
                s.count = self.start_records();
                s
            }
            Action::RecordsAppended { records } => {
                let mut s = self.victim_step(StepKind::RecordsAppended);
                s.count = records.len();
                s
            }
            Action::RecordsCommitted { records } => {
                self.commit_records(records);
                let mut s = self.victim_step(StepKind::RecordsCommitted);
                s.count = records.len();
                if let (1, Some(r)) = (
                    records.len(),
                    self.row_of(self.records[records.start as usize] as usize),
                ) {
                    s = self.row_step(
                        StepKind::RecordsCommitted,
                        Span {
                            start: r as u32,
                            end: r as u32 + 1,
                        },
                    );
                }
                s
            }
            Action::LeadersServing { rows } => self.row_step(StepKind::LeadersServing, rows),
            Action::ClientsReconnected { rows } => {
                self.row_step(StepKind::ClientsReconnected, rows)
            }
            Action::ShutdownReleased => {
                self.schedule(now + self.p.log_flush_us, Action::BrokerExited);
                self.victim_step(StepKind::ShutdownReleased)
            }
            Action::BrokerExited => {
                self.set_broker(victim, BrokerState::Dead);
                self.fail_over_if_controller(self.p.controller_failover_us, false);
                self.victim_step(StepKind::BrokerExited)
            }
            other => unreachable!("not a KRaft action: {other:?}"),
        };
        step.chapter_step = chapter_step(step.kind, crash);
        step
    }

    fn kraft_change(&self, p: usize) -> KraftPartition {
        let cur = KraftPartition {
            leader: self.partition_state(p).leader,
            isr: self.isr[p],
            elr: self.elr[p],
            last_known_elr: self.last_known_elr[p],
            recovery: LeaderRecoveryState::Recovered,
        };
        let elr_enabled = self.p.eligible_leader_replicas != 0;
        let change = KraftChange {
            assignment: self.plan.replicas(p),
            target_isr: election::kraft_target_isr(
                cur.isr,
                BrokerSet::EMPTY.with(self.plan.victim),
                elr_enabled,
            ),
            acceptable: self.acceptable,
            election: if self.plan.unclean {
                KraftElection::Unclean
            } else {
                KraftElection::Online
            },
            elr_enabled,
            min_isr: self.p.min_insync_replicas as usize,
        };
        election::kraft(&cur, &change)
    }

    /// The single controller event: builds one record per partition with the victim in its ISR,
    /// schedules the batches, fills in the rows' times. Returns the number of records.
    fn start_records(&mut self) -> u32 {
        let n = self.plan.partitions();
        if self.elr.is_empty() {
            self.elr = vec![BrokerSet::EMPTY; n];
            self.last_known_elr = vec![BrokerSet::EMPTY; n];
        }
        let victim = self.plan.victim;
        self.acceptable = self.brokers_in(|s| s == BrokerState::Alive);
        self.records = (0..n as u32)
            .filter(|&p| self.isr[p as usize].contains(victim))
            .collect();
        let p = self.p.clone();
        let crash = self.is_crash();
        let batch = p.kraft_max_records_per_batch.max(1) as usize;
        let mut t = self.now_us();
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
                let row = self.row_of(part);
                let next = self.kraft_change(part);
                if let Some(r) = row {
                    self.rows.election_start[r] = t;
                    self.rows.new_leader[r] = next.leader.unwrap_or(NO_LEADER);
                    self.rows.new_isr[r] = next.isr;
                    self.rows.unclean[r] = next.recovery == LeaderRecoveryState::Recovering;
                    row_cursor = r as u32 + 1;
                }
                t += p.kraft_record_us;
                if let Some(r) = row {
                    self.rows.elected[r] = t;
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
                self.rows.write_issued[r] = appended;
                self.rows.persisted[r] = commit;
                self.rows.publish_sent[r] = commit;
                if self.rows.new_leader[r] == NO_LEADER {
                    // No acceptable replica: the record leaves the partition leaderless.
                    if !crash {
                        self.rows.offline[r] = replayed;
                    }
                    continue;
                }
                self.rows.serving[r] = replayed;
                self.rows.client[r] = replayed + self.client_discovery_us();
                if !crash {
                    self.rows.offline[r] = match p.shutdown_unavailability {
                        ShutdownUnavailability::SwitchOver => replayed,
                        ShutdownUnavailability::OwnElection => self.rows.election_start[r],
                    };
                }
            }
            last_replay = last_replay.max(serving_max);
            let records = Span {
                start: chunk.start as u32,
                end: chunk.end as u32,
            };
            self.schedule(appended, Action::RecordsAppended { records });
            self.schedule(commit, Action::RecordsCommitted { records });
            let rows = Span {
                start: rows_start,
                end: row_cursor,
            };
            if rows.len() > 0 {
                self.schedule(serving_max, Action::LeadersServing { rows });
                let client_max = rows
                    .range()
                    .map(|r| self.rows.client[r])
                    .max()
                    .unwrap_or(serving_max);
                if client_max > 0 {
                    self.schedule(
                        client_max.max(serving_max),
                        Action::ClientsReconnected { rows },
                    );
                }
            }
            let _ = k;
        }
        self.run.last_publication_us = last_commit;
        if !crash {
            // Released at the first heartbeat after every broker has replayed the records.
            let hb = p.broker_heartbeat_interval_us.max(1);
            let since = (last_replay - self.run.fault_us).max(0);
            let beat = self.run.fault_us + (since + hb - 1) / hb * hb;
            let at = (beat + 2 * p.propagation_us).max(last_replay);
            self.schedule(at, Action::ShutdownReleased);
        }
        total as u32
    }

    /// Applies a committed batch to the store.
    fn commit_records(&mut self, records: Span) {
        for i in records.range() {
            let p = self.records[i] as usize;
            let next = self.kraft_change(p);
            self.store(p, next.leader, next.isr);
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
