//! The ZooKeeper-mode controller (Kafka 1.0 to 3.9): broker crash and controlled shutdown.
//!
//! Crash: the session expires → the BrokerChange watch fires → the dead broker's partitions are
//! elected with the offline rule in batches (read state, elect, write state, publish) → the dead
//! broker leaves the ISRs it is still in. Controlled shutdown: the request arrives → its
//! partitions are elected with the controlled-shutdown rule while the old leaders keep serving →
//! StopReplica and ISR shrink for the partitions it follows → the reply → log flush and exit.

use crate::broker::{BrokerSet, BrokerState};
use crate::election;
use crate::event::{Step, StepKind};
use crate::profile::{Publication, ShutdownUnavailability};
use crate::results::NO_LEADER;
use crate::simulation::{Action, Pipeline, Simulation, Span};

impl Simulation {
    pub(crate) fn apply_zookeeper(&mut self, action: Action) -> Step {
        let now = self.now_us();
        let victim = self.plan.victim;
        let crash = self.is_crash();
        let mut step = match action {
            Action::Fault => {
                self.run.fault_us = now;
                if crash {
                    self.set_broker(victim, BrokerState::Unresponsive);
                    self.rows_offline_from(now);
                    self.schedule(now + self.p.zk_session_timeout_us, Action::SessionExpired);
                    let mut s = self.victim_step(StepKind::BrokerCrashed);
                    s.count = self.rows.len() as u32;
                    s
                } else {
                    // controlled.shutdown.max.retries counts attempts (Kafka's loop runs while
                    // `remainingRetries > 0`): with 0 the broker just shuts down.
                    if self.p.controlled_shutdown_max_retries > 0 {
                        self.schedule(
                            now + self.p.propagation_us,
                            Action::ShutdownRequested { attempt: 1 },
                        );
                    } else {
                        self.schedule(now + self.p.log_flush_us, Action::BrokerExited);
                    }
                    self.victim_step(StepKind::ShutdownSignal)
                }
            }
            Action::SessionExpired => {
                self.set_broker(victim, BrokerState::Dead);
                self.run.known_us = now;
                // /controller vanished with the session: the survivors race to create it.
                // Otherwise the watch notification and the read of /brokers/ids: one round trip.
                if !self.fail_over_if_controller(self.p.controller_failover_us, true) {
                    self.schedule(now + self.p.zk_round_trip_us, Action::BrokerChange);
                }
                self.victim_step(StepKind::SessionExpired)
            }
            Action::ControllerElected { broker, then_load } => {
                self.controller = Some(broker);
                if then_load {
                    let load =
                        self.p.metadata_load_per_partition_us * self.plan.partitions() as i64;
                    self.schedule(now + load, Action::MetadataLoaded);
                }
                let mut s = Step::new(StepKind::ControllerElected, now);
                s.broker = Some(broker);
                s
            }
            Action::MetadataLoaded => {
                let mut s = Step::new(StepKind::MetadataLoaded, now);
                s.broker = self.controller;
                s.count = self.plan.partitions() as u32;
                if crash {
                    self.run.controller_start_us = now;
                    self.start_batch(0);
                } else if self.after_exit {
                    self.elect_after_exit();
                }
                s
            }
            Action::BrokerChange if !crash => {
                let mut s = self.victim_step(StepKind::BrokerChange);
                s.count = self.elect_after_exit();
                s
            }
            Action::ExitElectionsWritten { count } => {
                for p in 0..self.plan.partitions() {
                    if self.row_of(p).is_none() && self.isr[p].contains(victim) {
                        let cur = self.partition_state(p);
                        if let Some((leader, isr)) =
                            election::remove_replica_from_isr(cur.leader, cur.isr, victim)
                        {
                            self.store(p, leader, isr);
                        }
                    }
                }
                for r in 0..self.rows.len() {
                    let p = self.rows.partition[r] as usize;
                    if self.leader[p] != victim {
                        continue;
                    }
                    let l = self.rows.new_leader[r];
                    if l != NO_LEADER {
                        self.store(p, Some(l), self.rows.new_isr[r]);
                    } else if let Some((leader, isr)) =
                        election::remove_replica_from_isr(Some(victim), self.isr[p], victim)
                    {
                        self.store(p, leader, isr);
                    }
                }
                let mut s = Step::new(StepKind::StateWritten, now);
                s.broker = self.controller;
                s.count = count;
                s
            }
            Action::BrokerChange => {
                self.run.known_us = now;
                self.run.controller_start_us = now;
                let mut s = self.victim_step(StepKind::BrokerChange);
                s.count = self.rows.len() as u32;
                self.start_batch(0);
                s
            }
            Action::ShutdownRequested { attempt } => {
                let mut s = self.victim_step(StepKind::ShutdownRequested);
                if attempt == 1 {
                    self.set_broker(victim, BrokerState::ShuttingDown);
                    self.run.known_us = now;
                    self.run.controller_start_us = now;
                    s.count = self.acted_rows();
                    self.start_batch(0);
                } else {
                    // A retry: the partitions that could not move still cannot.
                    let stuck = self.stuck_rows();
                    let at = now
                        + self.p.controller_per_partition_us * stuck as i64
                        + self.p.propagation_us;
                    self.schedule(
                        at,
                        Action::ShutdownReplied {
                            remaining: stuck,
                            attempt,
                        },
                    );
                    s.count = stuck;
                }
                s
            }
            Action::StateRead { rows } => self.row_step(StepKind::StateRead, rows),
            Action::LeadersElected { rows } => self.row_step(StepKind::LeadersElected, rows),
            Action::PartitionsOffline { rows } => {
                let mut s = self.row_step(StepKind::PartitionsOffline, rows);
                s.count = rows
                    .range()
                    .filter(|&r| self.rows.new_leader[r] == NO_LEADER)
                    .count() as u32;
                if s.count == rows.len() {
                    // Nothing of this batch is written or published: go on with the next one.
                    self.start_batch(rows.end);
                }
                s
            }
            Action::StateWritten { rows } => {
                for r in rows.range() {
                    let l = self.rows.new_leader[r];
                    if l != NO_LEADER {
                        let p = self.rows.partition[r] as usize;
                        self.store(p, Some(l), self.rows.new_isr[r]);
                    }
                }
                self.row_step(StepKind::StateWritten, rows)
            }
            Action::LeaderAndIsrSent { rows, requests } => {
                let mut s = self.row_step(StepKind::LeaderAndIsrSent, rows);
                s.requests = requests;
                self.start_batch(rows.end);
                s
            }
            Action::LeadersServing { rows } => self.row_step(StepKind::LeadersServing, rows),
            Action::ClientsReconnected { rows } => {
                self.row_step(StepKind::ClientsReconnected, rows)
            }
            Action::StopReplicaSent { count } => {
                let mut s = self.victim_step(StepKind::StopReplicaSent);
                s.count = count;
                s.requests = 1;
                s
            }
            Action::IsrShrunk { count, requests } => {
                self.shrink_isrs();
                let mut s = self.victim_step(StepKind::IsrShrunk);
                s.count = count;
                s.requests = requests;
                if !crash {
                    self.reply_to_shutdown(now, 1);
                }
                s
            }
            Action::ShutdownReplied { remaining, attempt } => {
                // After a failed attempt the broker sleeps the backoff, then retries or, out of
                // attempts, shuts down anyway.
                let backoff = self.p.controlled_shutdown_retry_backoff_us;
                if remaining == 0 {
                    self.schedule(now + self.p.log_flush_us, Action::BrokerExited);
                } else if (attempt as i64) < self.p.controlled_shutdown_max_retries {
                    let next = Action::ShutdownRequested {
                        attempt: attempt + 1,
                    };
                    self.schedule(now + backoff + self.p.propagation_us, next);
                } else {
                    self.schedule(now + backoff + self.p.log_flush_us, Action::BrokerExited);
                }
                let mut s = self.victim_step(StepKind::ShutdownReplied);
                s.count = remaining;
                s
            }
            Action::BrokerExited => {
                self.set_broker(victim, BrokerState::Dead);
                self.mark_stuck(
                    Span {
                        start: 0,
                        end: self.rows.len() as u32,
                    },
                    now,
                );
                // The exit closes the ZooKeeper session at once. Partitions it still leads (or
                // follows, if it never asked to shut down) are then the controller's to handle as
                // for a failed broker: the BrokerChange watch fires one round trip on, or, if the
                // victim was the controller, a new one is elected and loads the state first.
                self.after_exit = self.rows.new_leader.contains(&NO_LEADER)
                    || (0..self.plan.partitions()).any(|p| self.isr[p].contains(victim));
                let failover = self.fail_over_if_controller(self.p.controller_failover_us, true);
                if self.after_exit && !failover {
                    self.schedule(now + self.p.zk_round_trip_us, Action::BrokerChange);
                }
                self.victim_step(StepKind::BrokerExited)
            }
            other => unreachable!("not a ZooKeeper-mode action: {other:?}"),
        };
        step.chapter_step = if self.after_exit && step.kind != StepKind::BrokerExited {
            None
        } else {
            chapter_step(step.kind, crash)
        };
        step
    }

    /// The rows the controller elects: all after a crash; under a controlled shutdown only the
    /// replicated partitions, which `from_plan` put first.
    fn acted_rows(&self) -> u32 {
        if self.is_crash() {
            return self.rows.len() as u32;
        }
        let rows = &self.rows.partition;
        rows.partition_point(|&p| self.plan.replicas(p as usize).len() > 1) as u32
    }

    /// Partitions the leaving broker still leads that the controller counts as remaining: Kafka's
    /// `doControlledShutdown` only acts on replicated partitions, so a single-replica partition
    /// neither moves nor holds the shutdown up.
    fn stuck_rows(&self) -> u32 {
        (0..self.rows.len())
            .filter(|&r| {
                self.rows.new_leader[r] == NO_LEADER
                    && self.plan.replicas(self.rows.partition[r] as usize).len() > 1
            })
            .count() as u32
    }

    /// After a controlled shutdown that left partitions behind, the broker's exit closes its
    /// ZooKeeper session and the controller handles it as a failure: the offline rule (unclean
    /// if enabled) for the partitions it still led, then the offline-replica ISR shrink, which
    /// keeps the last member and clears the leader (KAFKA-5083).
    fn elect_after_exit(&mut self) -> u32 {
        let live = self.brokers_in(|s| matches!(s, BrokerState::Alive));
        let p = &self.p;
        let c = p.controller_per_partition_us;
        let (propagation, discovery) = (p.propagation_us, self.client_discovery_us());
        let now = self.now_us();
        let stuck: Vec<usize> = (0..self.rows.len())
            .filter(|&r| self.rows.new_leader[r] == NO_LEADER)
            .collect();
        let victim = self.plan.victim;
        let followed = (0..self.plan.partitions())
            .filter(|&q| self.row_of(q).is_none() && self.isr[q].contains(victim))
            .count();
        // As after a crash: read every state, elect, write (new leaders and ISR shrinks alike),
        // then publish once; through the profile's ZooKeeper window.
        let mut t = self.zk_pipeline().batch(now, stuck.len() + followed);
        let mut elected = Vec::new();
        for &r in &stuck {
            let part = self.rows.partition[r] as usize;
            let e = election::offline(
                self.plan.replicas(part),
                self.isr[part],
                live,
                self.plan.unclean,
            );
            self.rows.election_start[r] = t;
            t += c;
            self.rows.elected[r] = t;
            if let Some(l) = e.leader {
                self.rows.new_leader[r] = l;
                self.rows.new_isr[r] = e.isr;
                self.rows.unclean[r] = e.unclean;
                elected.push(r);
            }
        }
        let elections_done = t;
        let mut writes = self.zk_pipeline();
        for &r in &elected {
            let (issued, done) = writes.request(elections_done);
            self.rows.write_issued[r] = issued;
            self.rows.persisted[r] = done;
            t = t.max(done);
        }
        t = t.max(writes.batch(elections_done, stuck.len() - elected.len() + followed));
        for &r in &elected {
            self.rows.publish_sent[r] = t;
            self.rows.serving[r] = t + propagation;
            self.rows.client[r] = t + propagation + discovery;
        }
        self.run.last_publication_us = self.run.last_publication_us.max(t);
        let count = stuck.len() as u32;
        self.schedule(t, Action::ExitElectionsWritten { count });
        count
    }

    /// Starts the controller's next batch of elections at rows [from, …), or the ISR shrink once
    /// every row is done. Schedules the batch's steps and fills in its rows' times.
    fn start_batch(&mut self, from: u32) {
        let n = self.acted_rows();
        if from >= n {
            self.after_elections();
            return;
        }
        let publication = if self.is_crash() {
            self.p.crash_publication
        } else {
            self.p.shutdown_publication
        };
        let size = match publication {
            Publication::PerPartition => 1,
            Publication::PerBatch => n - from,
        };
        let span = Span {
            start: from,
            end: from + size,
        };
        let now = self.now_us();
        let p = &self.p;
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
        let discovery = self.client_discovery_us();
        let zk_costs = rtt > 0 || op > 0;

        // 1. Read the partitions' current state from ZooKeeper.
        let mut t = now;
        if zk_costs {
            t = Pipeline::new(window.min(size as i64), rtt, op).batch(now, span.len() as usize);
            self.schedule(t, Action::StateRead { rows: span });
        }

        // 2. Elect, one partition after another on the controller's thread.
        let live = self.brokers_in(|s| matches!(s, BrokerState::Alive));
        let shutting_down = self.brokers_in(|s| s == BrokerState::ShuttingDown);
        let crash = self.is_crash();
        let mut failed = 0;
        for r in span.range() {
            let part = self.rows.partition[r] as usize;
            let a = self.plan.replicas(part);
            let isr = self.isr[part];
            let e = if crash {
                election::offline(a, isr, live, self.plan.unclean)
            } else {
                election::controlled_shutdown(a, isr, live, shutting_down)
            };
            self.rows.election_start[r] = t;
            t += per_partition;
            self.rows.elected[r] = t;
            self.rows.new_leader[r] = e.leader.unwrap_or(NO_LEADER);
            self.rows.new_isr[r] = e.isr;
            self.rows.unclean[r] = e.unclean;
            failed += u32::from(e.leader.is_none());
        }
        let elected = t;
        self.schedule(elected, Action::LeadersElected { rows: span });
        if failed > 0 {
            self.schedule(elected, Action::PartitionsOffline { rows: span });
            if failed == span.len() {
                return;
            }
        }

        // 3. Write the new leader and ISR, conditional on the znode version.
        let mut writes = Pipeline::new(window.min(size as i64), rtt, op);
        let mut last = elected;
        for r in span.range() {
            if self.rows.new_leader[r] == NO_LEADER {
                continue;
            }
            let (issued, done) = writes.request(elected);
            self.rows.write_issued[r] = issued;
            self.rows.persisted[r] = done;
            last = last.max(done);
        }
        self.schedule(last, Action::StateWritten { rows: span });

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
            let l = self.rows.new_leader[r];
            if l == NO_LEADER {
                continue;
            }
            let p_idx = self.rows.partition[r] as usize;
            receivers = receivers.union(BrokerSet::of(self.plan.replicas(p_idx)).intersect(hosts));
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
            self.rows.publish_sent[r] = last;
            self.rows.serving[r] = serving;
            self.rows.client[r] = serving + discovery;
            if !crash {
                self.rows.offline[r] = match unavailability {
                    ShutdownUnavailability::SwitchOver => serving,
                    ShutdownUnavailability::OwnElection => self.rows.election_start[r],
                };
            }
            serving_max = serving_max.max(serving);
        }
        self.run.last_publication_us = last;
        self.schedule(
            last,
            Action::LeaderAndIsrSent {
                rows: span,
                requests: receivers.len() as u32,
            },
        );
        self.schedule(serving_max, Action::LeadersServing { rows: span });
        self.schedule(
            serving_max + discovery,
            Action::ClientsReconnected { rows: span },
        );
    }

    /// Partitions in which the victim is still an ISR member after the elections: after a crash,
    /// the ones it followed and the ones whose election failed; under a controlled shutdown the
    /// ones it followed (StopReplica first). Written and published as one batch.
    fn after_elections(&mut self) {
        let now = self.now_us();
        let victim = self.plan.victim;
        let crash = self.is_crash();
        let count = (0..self.plan.partitions())
            .filter(|&p| self.isr[p].contains(victim) && (crash || self.leader[p] != victim))
            .count() as u32;
        if count == 0 {
            if !crash {
                self.reply_to_shutdown(now, 1);
            }
            return;
        }
        if !crash {
            self.schedule(now, Action::StopReplicaSent { count });
        }
        let reads_done = self.zk_pipeline().batch(now, count as usize);
        let t = self.zk_pipeline().batch(reads_done, count as usize);
        self.run.last_publication_us = t;
        let requests = self
            .brokers_in(|s| matches!(s, BrokerState::Alive | BrokerState::ShuttingDown))
            .len() as u32;
        self.schedule(t, Action::IsrShrunk { count, requests });
    }

    /// Applies the offline-replica ISR shrink to the store.
    fn shrink_isrs(&mut self) {
        let victim = self.plan.victim;
        let crash = self.is_crash();
        for p in 0..self.plan.partitions() {
            if !crash && self.leader[p] == victim {
                continue;
            }
            let cur = self.partition_state(p);
            if let Some((leader, isr)) =
                election::remove_replica_from_isr(cur.leader, cur.isr, victim)
            {
                self.store(p, leader, isr);
            }
        }
    }

    fn reply_to_shutdown(&mut self, now: i64, attempt: u32) {
        let remaining = self.stuck_rows();
        self.schedule(
            now + self.p.propagation_us,
            Action::ShutdownReplied { remaining, attempt },
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
