//! Kafka's partition leader election rules, one plain function per strategy.
//!
//! ZooKeeper mode follows `PartitionLeaderElectionAlgorithms` / `Election.scala` (Kafka 1.1 to
//! 3.9; the 1.0 selectors apply the same rules). KRaft mode follows `PartitionChangeBuilder`
//! (3.9 / 4.x). Each function takes the partition's assignment (ordered, first = preferred), its
//! ISR and the broker sets it needs, and returns the leader (or none) and the new ISR. Nothing here
//! knows about time: the controller decides *when* a rule runs, these decide *what* it picks.

use crate::broker::{BrokerId, BrokerSet};

pub mod case;
mod partition_change;

pub use partition_change::{
    kraft, kraft_outcome, kraft_target_isr, KraftChange, KraftElection, KraftOutcome,
    KraftPartition, LeaderRecoveryState,
};

/// The outcome of a ZooKeeper-mode election.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Election {
    /// The new leader; `None` when no replica qualifies (the partition stays or goes offline).
    pub leader: Option<BrokerId>,
    /// The new ISR (unchanged when there is no leader).
    pub isr: BrokerSet,
    /// The leader came from outside the ISR: committed data may be lost.
    pub unclean: bool,
}

fn first_in(assignment: &[BrokerId], pred: impl Fn(BrokerId) -> bool) -> Option<BrokerId> {
    assignment.iter().copied().find(|&b| pred(b))
}

/// Offline election, after the leader failed: the first assigned replica that is live and in the
/// ISR; new ISR = ISR ∩ live. With `unclean` the first live replica when no ISR member is live,
/// with ISR = [leader].
pub fn offline(
    assignment: &[BrokerId],
    isr: BrokerSet,
    live: BrokerSet,
    unclean: bool,
) -> Election {
    if let Some(l) = first_in(assignment, |b| live.contains(b) && isr.contains(b)) {
        return Election {
            leader: Some(l),
            isr: isr.intersect(live),
            unclean: false,
        };
    }
    if unclean {
        if let Some(l) = first_in(assignment, |b| live.contains(b)) {
            return Election {
                leader: Some(l),
                isr: BrokerSet::EMPTY.with(l),
                unclean: true,
            };
        }
    }
    Election {
        leader: None,
        isr,
        unclean: false,
    }
}

/// Controlled-shutdown election: the first assigned replica that is live (or shutting down), in
/// the ISR and not shutting down; new ISR = ISR − shutting down. `live` may or may not include the
/// shutting-down brokers: Kafka passes live-or-shutting-down, and the rule excludes them anyway.
pub fn controlled_shutdown(
    assignment: &[BrokerId],
    isr: BrokerSet,
    live: BrokerSet,
    shutting_down: BrokerSet,
) -> Election {
    let live_or_shutting = live.union(shutting_down);
    match first_in(assignment, |b| {
        live_or_shutting.contains(b) && isr.contains(b) && !shutting_down.contains(b)
    }) {
        Some(l) => Election {
            leader: Some(l),
            isr: isr.minus(shutting_down),
            unclean: false,
        },
        None => Election {
            leader: None,
            isr,
            unclean: false,
        },
    }
}

/// Preferred-replica election: the first assigned replica only, if it is live and in the ISR;
/// ISR unchanged. `None` when the preferred replica does not qualify (no election happens).
pub fn preferred(assignment: &[BrokerId], isr: BrokerSet, live: BrokerSet) -> Option<Election> {
    let p = *assignment.first()?;
    (live.contains(p) && isr.contains(p)).then_some(Election {
        leader: Some(p),
        isr,
        unclean: false,
    })
}

/// Reassignment election: the first *target* replica that is live and in the ISR; ISR unchanged.
pub fn reassign(target: &[BrokerId], isr: BrokerSet, live: BrokerSet) -> Election {
    Election {
        leader: first_in(target, |b| live.contains(b) && isr.contains(b)),
        isr,
        unclean: false,
    }
}

/// The offline-replica ISR shrink (ZooKeeper mode): the dead `replica` leaves the ISR, except that
/// the last remaining ISR member is never removed (KAFKA-5083); if it was the leader the partition
/// loses its leader. Returns `None` when the replica is not in the ISR (nothing to write).
pub fn remove_replica_from_isr(
    leader: Option<BrokerId>,
    isr: BrokerSet,
    replica: BrokerId,
) -> Option<(Option<BrokerId>, BrokerSet)> {
    if !isr.contains(replica) {
        return None;
    }
    let new_isr = if isr.len() == 1 {
        isr
    } else {
        isr.without(replica)
    };
    let new_leader = if leader == Some(replica) {
        None
    } else {
        leader
    };
    Some((new_leader, new_isr))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(ids: &[BrokerId]) -> BrokerSet {
        BrokerSet::of(ids)
    }

    #[test]
    fn offline_picks_first_live_isr_member_in_assignment_order() {
        // peter-test02: replicas [1, 3], leader 1 crashes.
        let e = offline(&[1, 3], s(&[1, 3]), s(&[2, 3]), false);
        assert_eq!(
            e,
            Election {
                leader: Some(3),
                isr: s(&[3]),
                unclean: false
            }
        );
        // Assignment order, not id order, decides.
        let e = offline(&[4, 3, 2], s(&[2, 3, 4]), s(&[2, 3]), false);
        assert_eq!(e.leader, Some(3));
        assert_eq!(e.isr, s(&[2, 3]));
    }

    #[test]
    fn offline_without_live_isr_member_stays_offline_unless_unclean() {
        let e = offline(&[1, 3], s(&[1]), s(&[3]), false);
        assert_eq!(
            e,
            Election {
                leader: None,
                isr: s(&[1]),
                unclean: false
            }
        );
        let e = offline(&[1, 3], s(&[1]), s(&[3]), true);
        assert_eq!(
            e,
            Election {
                leader: Some(3),
                isr: s(&[3]),
                unclean: true
            }
        );
        // Unclean with no live replica at all: still nothing.
        assert_eq!(offline(&[1, 3], s(&[1]), s(&[2]), true).leader, None);
    }

    #[test]
    fn controlled_shutdown_skips_the_leaving_broker() {
        let e = controlled_shutdown(&[1, 3], s(&[1, 3]), s(&[2, 3]), s(&[1]));
        assert_eq!(
            e,
            Election {
                leader: Some(3),
                isr: s(&[3]),
                unclean: false
            }
        );
        // Works the same when `live` already includes the shutting-down broker.
        let e = controlled_shutdown(&[1, 3], s(&[1, 3]), s(&[1, 2, 3]), s(&[1]));
        assert_eq!(e.leader, Some(3));
        // No other ISR member: no leader, ISR unchanged (the partition cannot move).
        let e = controlled_shutdown(&[1, 3], s(&[1]), s(&[2, 3]), s(&[1]));
        assert_eq!(
            e,
            Election {
                leader: None,
                isr: s(&[1]),
                unclean: false
            }
        );
    }

    #[test]
    fn preferred_only_elects_the_first_replica() {
        assert_eq!(
            preferred(&[1, 3], s(&[1, 3]), s(&[1, 3])).and_then(|e| e.leader),
            Some(1)
        );
        assert_eq!(preferred(&[1, 3], s(&[3]), s(&[1, 3])), None);
        assert_eq!(preferred(&[1, 3], s(&[1, 3]), s(&[3])), None);
        assert_eq!(preferred(&[], s(&[1]), s(&[1])), None);
    }

    #[test]
    fn reassign_uses_target_order_and_keeps_isr() {
        let e = reassign(&[5, 4, 3], s(&[3, 4, 5]), s(&[3, 4]));
        assert_eq!(
            e,
            Election {
                leader: Some(4),
                isr: s(&[3, 4, 5]),
                unclean: false
            }
        );
        assert_eq!(reassign(&[5], s(&[3]), s(&[3, 5])).leader, None);
    }

    #[test]
    fn isr_shrink_keeps_the_last_member() {
        assert_eq!(
            remove_replica_from_isr(Some(1), s(&[1, 3]), 3),
            Some((Some(1), s(&[1])))
        );
        assert_eq!(
            remove_replica_from_isr(Some(1), s(&[1, 3]), 1),
            Some((None, s(&[3])))
        );
        // KAFKA-5083: the last ISR member stays even though it is dead; the leader is gone.
        assert_eq!(
            remove_replica_from_isr(Some(1), s(&[1]), 1),
            Some((None, s(&[1])))
        );
        assert_eq!(remove_replica_from_isr(Some(1), s(&[1]), 3), None);
    }

    fn kp(leader: Option<BrokerId>, isr: &[BrokerId]) -> KraftPartition {
        KraftPartition {
            leader,
            isr: s(isr),
            elr: BrokerSet::EMPTY,
            last_known_elr: BrokerSet::EMPTY,
            recovery: LeaderRecoveryState::Recovered,
        }
    }

    fn change<'a>(
        a: &'a [BrokerId],
        target: BrokerSet,
        acc: &[BrokerId],
        e: KraftElection,
    ) -> KraftChange<'a> {
        KraftChange {
            assignment: a,
            target_isr: target,
            acceptable: s(acc),
            election: e,
            elr_enabled: false,
            min_isr: 1,
        }
    }

    #[test]
    fn kraft_online_moves_leader_off_a_fenced_broker() {
        let cur = kp(Some(1), &[1, 3]);
        let t = kraft_target_isr(cur.isr, s(&[1]), false);
        let r = kraft(&cur, &change(&[1, 3], t, &[2, 3], KraftElection::Online));
        assert_eq!(r.leader, Some(3));
        assert_eq!(r.isr, s(&[3]));
    }

    #[test]
    fn kraft_keeps_a_valid_current_leader() {
        let cur = kp(Some(3), &[1, 3]);
        let r = kraft(
            &cur,
            &change(&[1, 3], s(&[1, 3]), &[1, 2, 3], KraftElection::Online),
        );
        assert_eq!(r.leader, Some(3));
        // PREFERRED prefers the first replica even over a valid current leader.
        let r = kraft(
            &cur,
            &change(&[1, 3], s(&[1, 3]), &[1, 2, 3], KraftElection::Preferred),
        );
        assert_eq!(r.leader, Some(1));
    }

    #[test]
    fn kraft_never_writes_an_empty_isr_without_elr() {
        let cur = kp(Some(1), &[1]);
        let t = kraft_target_isr(cur.isr, s(&[1]), false);
        assert_eq!(t, s(&[1]));
        let r = kraft(&cur, &change(&[1, 3], t, &[3], KraftElection::Online));
        assert_eq!((r.leader, r.isr), (None, s(&[1])));
        let r = kraft(&cur, &change(&[1, 3], t, &[3], KraftElection::Unclean));
        assert_eq!(
            (r.leader, r.isr, r.recovery),
            (Some(3), s(&[3]), LeaderRecoveryState::Recovering)
        );
    }

    #[test]
    fn kraft_elr_keeps_eligible_replicas_and_elects_from_them() {
        // min ISR 2, ISR [1, 3] and broker 3 fenced: ISR [1] is below min ISR, 3 goes to the ELR.
        let mut c = change(&[1, 3], BrokerSet::EMPTY, &[1, 2], KraftElection::Online);
        c.elr_enabled = true;
        c.min_isr = 2;
        c.target_isr = kraft_target_isr(s(&[1, 3]), s(&[3]), true);
        let r = kraft(&kp(Some(1), &[1, 3]), &c);
        assert_eq!((r.leader, r.isr, r.elr), (Some(1), s(&[1]), s(&[3])));
        // Then broker 1 is fenced too: the ISR empties, both sit in the ELR, no leader.
        c.acceptable = s(&[2]);
        c.target_isr = kraft_target_isr(r.isr, s(&[1]), true);
        let r2 = kraft(&r, &c);
        assert_eq!(
            (r2.leader, r2.isr, r2.elr),
            (None, BrokerSet::EMPTY, s(&[1, 3]))
        );
        // Broker 3 comes back unfenced: elected from the ELR, it becomes the ISR.
        c.acceptable = s(&[2, 3]);
        c.target_isr = r2.isr;
        let r3 = kraft(&r2, &c);
        assert_eq!((r3.leader, r3.isr, r3.elr), (Some(3), s(&[3]), s(&[1])));
        assert_eq!(r3.recovery, LeaderRecoveryState::Recovered);
    }

    #[test]
    fn kraft_last_known_leader() {
        let cur = KraftPartition {
            leader: None,
            isr: BrokerSet::EMPTY,
            elr: BrokerSet::EMPTY,
            last_known_elr: s(&[3]),
            recovery: LeaderRecoveryState::Recovered,
        };
        let mut c = change(&[1, 3], BrokerSet::EMPTY, &[1, 3], KraftElection::Online);
        c.elr_enabled = true;
        c.min_isr = 2;
        let r = kraft(&cur, &c);
        assert_eq!(
            (r.leader, r.isr, r.recovery),
            (Some(3), s(&[3]), LeaderRecoveryState::Recovering)
        );
    }
}
