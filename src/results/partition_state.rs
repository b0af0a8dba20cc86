//! What an affected partition is doing at a given moment: served by its old leader, down in one
//! of the controller's phases, back on its new leader, or leaderless. The page's partition map
//! colours each partition by it; the codes are the values of `rowStates(t)` in wasm.

use serde::Serialize;

use super::{Rows, NEVER, NO_LEADER};

/// A partition's state at one instant (one of the victim's partitions, a *row*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum PartitionState {
    /// Still served by its old leader; the controller has not started on it.
    ServedByOldLeader = 0,
    /// Down, waiting in line (or for the failure to be detected).
    Waiting = 1,
    /// Down, the controller is electing its leader.
    BeingElected = 2,
    /// Down, its new leader and ISR are recorded.
    Recorded = 3,
    /// Down, the new leadership is published; clients have not reached it yet.
    Published = 4,
    /// Back, served by its new leader.
    BackOnNewLeader = 5,
    /// No leader at all: no eligible replica.
    NoLeader = 6,
    /// Still served by its old leader while the controller moves it (controlled shutdown).
    ServedWhileMoving = 7,
}

impl PartitionState {
    /// Every state, by code.
    pub const ALL: [PartitionState; 8] = [
        PartitionState::ServedByOldLeader,
        PartitionState::Waiting,
        PartitionState::BeingElected,
        PartitionState::Recorded,
        PartitionState::Published,
        PartitionState::BackOnNewLeader,
        PartitionState::NoLeader,
        PartitionState::ServedWhileMoving,
    ];

    /// Whether clients cannot produce to the partition in this state.
    pub fn is_down(self) -> bool {
        use PartitionState::*;
        matches!(
            self,
            Waiting | BeingElected | Recorded | Published | NoLeader
        )
    }

    /// Row `r`'s state at time `t` (µs).
    pub fn at(rows: &Rows, r: usize, t: i64) -> PartitionState {
        use PartitionState::*;
        let reached = |x: i64| x != NEVER && t >= x;
        if reached(rows.client[r]) {
            BackOnNewLeader
        } else if !reached(rows.offline[r]) {
            if reached(rows.election_start[r]) {
                ServedWhileMoving
            } else {
                ServedByOldLeader
            }
        } else if (rows.new_leader[r] == NO_LEADER || waiting_for_return(rows, r, t))
            && reached(rows.elected[r])
        {
            NoLeader
        } else if reached(rows.publish_sent[r]) {
            Published
        } else if reached(rows.persisted[r]) {
            Recorded
        } else if reached(rows.election_start[r]) {
            BeingElected
        } else {
            Waiting
        }
    }
}

/// Row `r` had no eligible leader until the failed broker returned, and at `t` it has not yet.
fn waiting_for_return(rows: &Rows, r: usize, t: i64) -> bool {
    rows.returned
        .get(r)
        .is_some_and(|&back| back != NEVER && t < back)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PartitionState::*;

    #[test]
    fn codes_follow_the_declaration() {
        for (i, s) in PartitionState::ALL.into_iter().enumerate() {
            assert_eq!(s as usize, i);
        }
    }

    #[test]
    fn a_crashed_partition_goes_through_every_phase() {
        let mut rows = Rows::with_capacity(1);
        rows.partition.push(0);
        rows.offline[0] = 0;
        rows.election_start[0] = 10;
        rows.elected[0] = 20;
        rows.write_issued[0] = 20;
        rows.persisted[0] = 30;
        rows.publish_sent[0] = 40;
        rows.serving[0] = 50;
        rows.client[0] = 60;
        rows.new_leader[0] = 3;
        let seen: Vec<_> = [0, 10, 20, 30, 40, 50, 60]
            .map(|t| PartitionState::at(&rows, 0, t))
            .to_vec();
        assert_eq!(
            seen,
            [
                Waiting,
                BeingElected,
                BeingElected,
                Recorded,
                Published,
                Published,
                BackOnNewLeader
            ]
        );
        assert!(seen[..6].iter().all(|s| s.is_down()));
        assert!(!BackOnNewLeader.is_down());
    }

    #[test]
    fn a_moved_partition_is_served_until_its_switch_over() {
        let mut rows = Rows::with_capacity(1);
        rows.partition.push(0);
        rows.election_start[0] = 10;
        rows.elected[0] = 20;
        rows.persisted[0] = 30;
        rows.publish_sent[0] = 40;
        rows.offline[0] = 50;
        rows.client[0] = 60;
        rows.new_leader[0] = 3;
        assert_eq!(PartitionState::at(&rows, 0, 5), ServedByOldLeader);
        assert_eq!(PartitionState::at(&rows, 0, 45), ServedWhileMoving);
        assert_eq!(PartitionState::at(&rows, 0, 55), Published);
        assert_eq!(PartitionState::at(&rows, 0, 60), BackOnNewLeader);
    }

    #[test]
    fn a_partition_without_an_eligible_replica_has_no_leader() {
        let mut rows = Rows::with_capacity(1);
        rows.partition.push(0);
        rows.offline[0] = 0;
        rows.election_start[0] = 10;
        rows.elected[0] = 20;
        assert_eq!(PartitionState::at(&rows, 0, 15), BeingElected);
        assert_eq!(PartitionState::at(&rows, 0, 20), NoLeader);
        assert_eq!(PartitionState::at(&rows, 0, i64::MAX), NoLeader);
        assert!(NoLeader.is_down());
    }
}
