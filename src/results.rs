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

/// The downtime parts, in order.
pub const PARTS: [&str; 7] = [
    "detection",
    "controller_failover",
    "waiting",
    "election",
    "persistence",
    "propagation",
    "client_discovery",
];

/// A downtime split into its parts (µs), in `PARTS` order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Breakdown(pub [i64; 7]);

impl Breakdown {
    pub fn total(&self) -> i64 {
        self.0.iter().sum()
    }
}

impl Rows {
    pub fn with_capacity(n: usize) -> Rows {
        Rows {
            partition: Vec::with_capacity(n),
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
        }
    }

    pub fn len(&self) -> usize {
        self.partition.len()
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
        let mut parts = [0i64; 7];
        self.segments(r, run, self.client[r], |part, start, end| {
            parts[part] += end - start
        });
        Some(Breakdown(parts))
    }

    /// Calls `f(part, start, end)` for each non-empty piece of the row's downtime, in time order,
    /// clipped to [offline, until). Pieces of the same part may repeat (waiting comes back).
    pub fn segments(
        &self,
        r: usize,
        run: &RunTimes,
        until: i64,
        mut f: impl FnMut(usize, i64, i64),
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
        let b = [
            (run.fault_us, 0usize),
            (run.known_us, 1),
            (run.controller_start_us, 2),
            (self.election_start[r], 3),
            (self.elected[r], 2),
            (self.write_issued[r], 4),
            (self.persisted[r], 2),
            (self.publish_sent[r], 5),
            (self.serving[r], 6),
        ];
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

/// Milliseconds from microseconds, for output.
pub fn ms(us: i64) -> f64 {
    us as f64 / 1000.0
}

/// The run's aggregates: the CLI's JSON and the page's summary figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub profile: String,
    pub mode: crate::profile::Mode,
    pub event: String,
    pub victim: BrokerId,
    pub controller: BrokerId,
    pub partitions: usize,
    pub partitions_affected: usize,
    pub partitions_recovered: usize,
    pub partitions_without_leader: usize,
    pub unclean_elections: usize,
    pub isr_shrinks: usize,
    pub detection_ms: f64,
    pub controller_work_ms: f64,
    pub first_partition_downtime_ms: Option<f64>,
    pub median_downtime_ms: Option<f64>,
    pub p99_downtime_ms: Option<f64>,
    pub last_partition_downtime_ms: Option<f64>,
    pub max_downtime_ms: Option<f64>,
    pub unavailable_partition_seconds: f64,
    pub delivery_timeout_ms: f64,
    pub partitions_over_delivery_timeout: usize,
    pub last_partition_breakdown_ms: Option<BreakdownMs>,
    pub end_ms: f64,
    pub steps: u64,
}

/// A breakdown in milliseconds, with named parts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BreakdownMs {
    pub detection: f64,
    pub controller_failover: f64,
    pub waiting: f64,
    pub election: f64,
    pub persistence: f64,
    pub propagation: f64,
    pub client_discovery: f64,
}

impl From<Breakdown> for BreakdownMs {
    fn from(b: Breakdown) -> Self {
        let p = b.0.map(ms);
        BreakdownMs {
            detection: p[0],
            controller_failover: p[1],
            waiting: p[2],
            election: p[3],
            persistence: p[4],
            propagation: p[5],
            client_discovery: p[6],
        }
    }
}

/// Nearest-rank percentile of a sorted slice (`q` in 0..=100).
pub fn percentile(sorted: &[i64], q: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q as u64 * sorted.len() as u64).div_ceil(100)).max(1) as usize;
    Some(sorted[rank - 1])
}

/// The per-partition results as CSV: one line per affected partition in election order, its
/// times (ms from the fault; empty = never) and its downtime with its parts (ms).
pub fn csv(plan: &crate::scenario::Plan, rows: &Rows, run: &RunTimes) -> String {
    let mut out = String::from("row,topic,partition,new_leader,unclean");
    for c in TIME_COLUMNS.iter().chain(&["downtime"]).chain(PARTS.iter()) {
        out.push_str(&format!(",{c}_ms"));
    }
    out.push('\n');
    let t = |us: i64| {
        if us == NEVER {
            String::new()
        } else {
            ms(us).to_string()
        }
    };
    for r in 0..rows.len() {
        let (topic, partition) = plan.topic_partition(rows.partition[r] as usize);
        let leader = rows.new_leader[r];
        let leader = if leader == NO_LEADER {
            String::new()
        } else {
            leader.to_string()
        };
        // Topic names may hold commas or quotes in a scenario file: quote them as RFC 4180 does.
        let topic = if topic.contains([',', '"', '\n']) {
            format!("\"{}\"", topic.replace('"', "\"\""))
        } else {
            topic.to_string()
        };
        out.push_str(&format!(
            "{r},{topic},{partition},{leader},{}",
            rows.unclean[r]
        ));
        for time in rows.times(r) {
            out.push_str(&format!(",{}", t(time)));
        }
        out.push_str(&format!(
            ",{}",
            rows.downtime(r)
                .map(|d| ms(d).to_string())
                .unwrap_or_default()
        ));
        match rows.breakdown(r, run) {
            Some(b) => {
                b.0.iter()
                    .for_each(|&v| out.push_str(&format!(",{}", ms(v))))
            }
            None => out.push_str(&",".repeat(PARTS.len())),
        }
        out.push('\n');
    }
    out
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
        assert_eq!(b.0, [6_000, 0, 1_000 + 100 + 600, 200, 100, 1, 100]);
        assert_eq!(b.total(), rows.downtime(0).unwrap());
        // A controlled shutdown: down only from the switch-over.
        rows.offline[0] = 8_001;
        let b = rows.breakdown(0, &run).unwrap();
        assert_eq!(b.0, [0, 0, 0, 0, 0, 0, 100]);
        rows.client[0] = NEVER;
        assert_eq!(rows.breakdown(0, &run), None);
    }

    #[test]
    fn csv_has_a_line_per_row_whose_parts_add_up() {
        let mut sim = crate::Simulation::new(&crate::Scenario::with_partitions(50)).unwrap();
        let summary = sim.run();
        let csv = sim.csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines.len(),
            51,
            "a header and one line per affected partition"
        );
        let header: Vec<&str> = lines[0].split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let last: Vec<&str> = lines[50].split(',').collect();
        assert_eq!(last.len(), header.len());
        assert_eq!(
            (
                last[col("topic")],
                last[col("partition")],
                last[col("new_leader")]
            ),
            ("peter-test02", "49", "2")
        );
        let downtime: f64 = last[col("downtime_ms")].parse().unwrap();
        assert_eq!(Some(downtime), summary.last_partition_downtime_ms);
        let parts: f64 = PARTS
            .iter()
            .map(|p| last[col(&format!("{p}_ms"))].parse::<f64>().unwrap())
            .sum();
        assert!((parts - downtime).abs() < 1e-6, "{parts} vs {downtime}");
    }

    #[test]
    fn csv_leaves_never_empty_and_quotes_odd_topic_names() {
        let mut s = crate::Scenario::with_partitions(1);
        s.cluster.topics[0].name = "a,\"b".into();
        s.cluster.topics[0].isr = Some(vec![vec![1]]);
        let mut sim = crate::Simulation::new(&s).unwrap();
        sim.run();
        let csv = sim.csv();
        let line = csv.lines().nth(1).unwrap();
        assert!(line.starts_with("0,\"a,\"\"b\",0,,false,0,"), "{line}");
        assert!(line.ends_with(",,,,,,,"), "no downtime, no parts: {line}");
    }
}
