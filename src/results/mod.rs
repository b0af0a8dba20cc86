//! Per-partition results and the run's aggregates.
//!
//! Each affected partition (one the victim led) is a *row*, in the order the controller elected
//! it. A row's life is a chain of phases whose boundaries the controller fills in:
//!
//! ```text
//! fault ─detection─ known ─failover─ controller start ─waiting─ election start ─election─ elected
//!   ─waiting─ write issued ─persistence─ persisted ─waiting─ publish sent ─propagation─ serving
//!   ─client discovery─ client reached
//! ```
//!
//! Its downtime is [offline, client reached): from the crash for a crash, from the switch-over
//! (or the book's "own election") for a controlled shutdown. The downtime's parts are the overlap
//! of each phase with that interval, so they always add up to the downtime.

use serde::Serialize;

use crate::broker::{BrokerId, BrokerSet};

mod csv;
mod downtime;
mod partition_state;
pub mod restart;
mod summary;
pub mod timeline;

pub use csv::{csv, text_cell, write_csv};
pub use downtime::{Breakdown, BreakdownMs, DowntimePart, PARTS, PARTS_WITHOUT_RESTART};
pub use partition_state::PartitionState;
pub use summary::{compare, Comparison, Summary};

/// "Never": the partition never reached this point (it stayed offline).
pub const NEVER: i64 = -1;
/// No leader, in the `new_leader` array.
pub const NO_LEADER: BrokerId = u8::MAX;

/// Times of the run as a whole.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RunTimes {
    /// The crash or the SIGTERM.
    pub fault_us: i64,
    /// When the failure became known (session expired / fenced; the request arrived).
    pub known_us: i64,
    /// When the (possibly new) controller started acting on it.
    pub controller_start_us: i64,
    /// The controller's last publication (LeaderAndIsr sent / batch committed).
    pub last_publication_us: i64,
    /// The last step of the run.
    pub end_us: i64,
    /// The controller failover came before detection (KRaft combined mode: the quorum elects a
    /// new active controller, which then starts the crashed broker's session afresh). The
    /// failover still lasts `controller_start_us - known_us`; only its place in the chain moves.
    pub failover_first: bool,
}

/// Per-row arrays (struct of arrays: the page reads them as typed-array views).
#[derive(Clone, Debug, Default)]
pub struct Rows {
    pub partition: Vec<u32>,
    pub offline: Vec<i64>,
    pub election_start: Vec<i64>,
    pub elected: Vec<i64>,
    pub write_issued: Vec<i64>,
    pub persisted: Vec<i64>,
    pub publish_sent: Vec<i64>,
    pub serving: Vec<i64>,
    pub client: Vec<i64>,
    pub new_leader: Vec<BrokerId>,
    pub new_isr: Vec<BrokerSet>,
    pub unclean: Vec<bool>,
    /// Runs with a restart only (empty otherwise): when the controller acted on the failed
    /// broker's return for a row that had to wait for it (NEVER for the others). Its downtime
    /// from the failed election until then is the `Restart` part.
    pub returned: Vec<i64>,
    /// The run has a restart (set with `returned`, even when there are no rows).
    pub with_return: bool,
}

/// The names of `Rows::times`, in order.
pub const TIME_COLUMNS: [&str; 8] = [
    "offline",
    "election_start",
    "elected",
    "write_issued",
    "persisted",
    "publish_sent",
    "serving",
    "client",
];

impl Rows {
    /// `n` rows whose partitions the caller pushes.
    pub fn with_capacity(n: usize) -> Rows {
        Rows::sized(Vec::with_capacity(n), n)
    }

    /// Rows for these partitions, in this (election) order, nothing reached yet.
    pub fn of(partition: Vec<u32>) -> Rows {
        let n = partition.len();
        Rows::sized(partition, n)
    }

    fn sized(partition: Vec<u32>, n: usize) -> Rows {
        Rows {
            partition,
            offline: vec![NEVER; n],
            election_start: vec![NEVER; n],
            elected: vec![NEVER; n],
            write_issued: vec![NEVER; n],
            persisted: vec![NEVER; n],
            publish_sent: vec![NEVER; n],
            serving: vec![NEVER; n],
            client: vec![NEVER; n],
            new_leader: vec![NO_LEADER; n],
            new_isr: vec![BrokerSet::EMPTY; n],
            unclean: vec![false; n],
            returned: Vec::new(),
            with_return: false,
        }
    }

    pub fn len(&self) -> usize {
        self.partition.len()
    }

    /// Bytes held (the vectors' capacities).
    pub fn memory_bytes(&self) -> usize {
        fn bytes<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        [
            &self.offline,
            &self.election_start,
            &self.elected,
            &self.write_issued,
            &self.persisted,
            &self.publish_sent,
            &self.serving,
            &self.client,
        ]
        .into_iter()
        .map(bytes)
        .sum::<usize>()
            + bytes(&self.partition)
            + bytes(&self.new_leader)
            + bytes(&self.new_isr)
            + bytes(&self.unclean)
            + bytes(&self.returned)
    }

    /// Whether the run has a restart (its rows carry `returned` and the `Restart` part).
    pub fn has_return(&self) -> bool {
        self.with_return
    }

    pub fn is_empty(&self) -> bool {
        self.partition.is_empty()
    }

    /// The row's times in `TIME_COLUMNS` order (the CSV's and the page's `rowTimes()` columns).
    pub fn times(&self, r: usize) -> [i64; 8] {
        [
            self.offline[r],
            self.election_start[r],
            self.elected[r],
            self.write_issued[r],
            self.persisted[r],
            self.publish_sent[r],
            self.serving[r],
            self.client[r],
        ]
    }

    /// The row's downtime, or `None` when it never came back.
    pub fn downtime(&self, r: usize) -> Option<i64> {
        (self.client[r] != NEVER && self.offline[r] != NEVER)
            .then(|| self.client[r] - self.offline[r])
    }

    /// The row's downtime split into parts; `None` when it never came back.
    pub fn breakdown(&self, r: usize, run: &RunTimes) -> Option<Breakdown> {
        if self.client[r] == NEVER || self.offline[r] == NEVER {
            return None;
        }
        let mut parts = Breakdown::default();
        self.segments(r, run, self.client[r], |part, start, end| {
            parts += (part, end - start)
        });
        Some(parts)
    }

    /// Calls `f(part, start, end)` for each non-empty piece of the row's downtime, in time order,
    /// clipped to [offline, until). Pieces of the same part may repeat (waiting comes back).
    pub fn segments(
        &self,
        r: usize,
        run: &RunTimes,
        until: i64,
        mut f: impl FnMut(DowntimePart, i64, i64),
    ) {
        let from = self.offline[r];
        if from == NEVER {
            return;
        }
        let to = if self.client[r] == NEVER {
            until
        } else {
            self.client[r].min(until)
        };
        // Phase boundaries in time order, each tagged with the part it starts. A boundary the
        // row never reached (NEVER) ends the chain: from there on the row is waiting.
        use DowntimePart::*;
        let (first, second, then) = if run.failover_first {
            let failover = run.controller_start_us - run.known_us;
            (ControllerFailover, Detection, run.fault_us + failover)
        } else {
            (Detection, ControllerFailover, run.known_us)
        };
        let returned = self.returned.get(r).copied().unwrap_or(NEVER);
        // A row that waited for the broker's return: from its failed election until the
        // controller acts on the return it waits for the restart, then for its new election.
        let (after_election, wait) = if returned != NEVER {
            (Restart, (returned, Waiting))
        } else {
            (Waiting, (NEVER, Waiting))
        };
        let mut b = [
            (run.fault_us, first),
            (then, second),
            (run.controller_start_us, Waiting),
            (self.election_start[r], Election),
            (self.elected[r], after_election),
            wait,
            (self.write_issued[r], Persistence),
            (self.persisted[r], Waiting),
            (self.publish_sent[r], Propagation),
            (self.serving[r], ClientDiscovery),
        ];
        let mut len = b.len();
        if returned == NEVER {
            b.copy_within(6.., 5);
            len -= 1;
        }
        let b = &b[..len];
        let mut i = 0;
        while i < b.len() {
            let (start, part) = b[i];
            if start == NEVER {
                break;
            }
            let end = b
                .get(i + 1)
                .map(|x| x.0)
                .filter(|&e| e != NEVER)
                .unwrap_or(to);
            let (s, e) = (start.max(from), end.min(to));
            if e > s {
                f(part, s, e);
            }
            i += 1;
        }
    }
}

/// Columns of wasm's `rowTimes()`: for each row (affected partition, in election order) these times in
/// ms (-1 = never), then its downtime (-1 = never recovered).
pub const ROW_COLUMNS: [&str; 10] = {
    let t = TIME_COLUMNS;
    [
        "partition",
        t[0],
        t[1],
        t[2],
        t[3],
        t[4],
        t[5],
        t[6],
        t[7],
        "downtime",
    ]
};

/// Milliseconds from microseconds, for output.
pub fn ms(us: i64) -> f64 {
    us as f64 / 1000.0
}

/// Nearest-rank percentile of a sorted slice (`q` in 0..=100).
pub fn percentile(sorted: &[i64], q: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q as u64 * sorted.len() as u64).div_ceil(100)).max(1) as usize;
    Some(sorted[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<i64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50), Some(50));
        assert_eq!(percentile(&v, 99), Some(99));
        assert_eq!(percentile(&v, 100), Some(100));
        assert_eq!(percentile(&[7], 50), Some(7));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn breakdown_adds_up_and_clips_to_the_downtime() {
        let mut rows = Rows::with_capacity(1);
        rows.partition.push(0);
        let run = RunTimes {
            fault_us: 0,
            known_us: 6_000,
            controller_start_us: 6_000,
            last_publication_us: 0,
            end_us: 0,
            failover_first: false,
        };
        rows.offline[0] = 0;
        rows.election_start[0] = 7_000;
        rows.elected[0] = 7_200;
        rows.write_issued[0] = 7_300;
        rows.persisted[0] = 7_400;
        rows.publish_sent[0] = 8_000;
        rows.serving[0] = 8_001;
        rows.client[0] = 8_101;
        let b = rows.breakdown(0, &run).unwrap();
        assert_eq!(b.0, [6_000, 0, 1_000 + 100 + 600, 200, 100, 1, 100, 0]);
        assert_eq!(b.total(), rows.downtime(0).unwrap());
        // A controlled shutdown: down only from the switch-over.
        rows.offline[0] = 8_001;
        let b = rows.breakdown(0, &run).unwrap();
        assert_eq!(b.0, [0, 0, 0, 0, 0, 0, 100, 0]);
        rows.client[0] = NEVER;
        assert_eq!(rows.breakdown(0, &run), None);
    }

    #[test]
    fn a_failover_before_detection_comes_first_in_the_chain() {
        // KRaft combined mode: 1 s quorum election, then an 8 s session on the new controller.
        let mut rows = Rows::with_capacity(1);
        rows.partition.push(0);
        let run = RunTimes {
            fault_us: 0,
            known_us: 8_000,
            controller_start_us: 9_000,
            failover_first: true,
            ..RunTimes::default()
        };
        rows.offline[0] = 0;
        rows.election_start[0] = 9_000;
        rows.elected[0] = 9_000;
        rows.write_issued[0] = 9_000;
        rows.persisted[0] = 9_030;
        rows.publish_sent[0] = 9_030;
        rows.serving[0] = 9_031;
        rows.client[0] = 9_131;
        let mut pieces = Vec::new();
        rows.segments(0, &run, i64::MAX, |part, s, e| pieces.push((part, s, e)));
        assert_eq!(
            pieces[..2],
            [
                (DowntimePart::ControllerFailover, 0, 1_000),
                (DowntimePart::Detection, 1_000, 9_000)
            ]
        );
        let b = rows.breakdown(0, &run).unwrap();
        assert_eq!(
            (
                b.get(DowntimePart::Detection),
                b.get(DowntimePart::ControllerFailover)
            ),
            (8_000, 1_000),
            "the amounts are the same as with detection first"
        );
        assert_eq!(b.total(), rows.downtime(0).unwrap());
    }
}
