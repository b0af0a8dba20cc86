//! A partition's downtime and its parts. The parts are the phases of the controller's work a
//! partition spends its downtime in; they always add up to the downtime (`docs/model.md`, "How
//! downtime is measured").

use serde::Serialize;

use super::ms;

/// One part of a downtime, in the order a partition goes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DowntimePart {
    /// Until the controller learns of the failure (session expiry, fencing).
    Detection,
    /// Electing a new controller (and loading its state) when the victim was the controller.
    ControllerFailover,
    /// In line behind other partitions or other requests.
    Waiting,
    /// The controller choosing this partition's leader.
    Election,
    /// Writing the new leader and ISR (ZooKeeper, or the metadata log's commit).
    Persistence,
    /// The request reaching the new leader, and the leader applying it.
    Propagation,
    /// Clients retrying and refreshing metadata until they reach the new leader.
    ClientDiscovery,
    /// No replica could lead: waiting for the failed broker to come back (its restart, log
    /// recovery or loading, and rejoining). Only in runs with a restart; listed last so that
    /// runs without one keep their columns.
    Restart,
}

impl DowntimePart {
    /// Every part, in order (the index of a part is `part as usize`).
    pub const ALL: [DowntimePart; 8] = [
        DowntimePart::Detection,
        DowntimePart::ControllerFailover,
        DowntimePart::Waiting,
        DowntimePart::Election,
        DowntimePart::Persistence,
        DowntimePart::Propagation,
        DowntimePart::ClientDiscovery,
        DowntimePart::Restart,
    ];

    /// The part's name as serialized (`detection`, …): CSV columns, JSON keys, the page's keys.
    pub fn name(self) -> &'static str {
        PARTS[self as usize]
    }
}

/// The downtime parts' names, in order.
pub const PARTS: [&str; 8] = [
    "detection",
    "controller_failover",
    "waiting",
    "election",
    "persistence",
    "propagation",
    "client_discovery",
    "restart",
];

/// The parts of a run without a restart (its CSV columns and JSON keys).
pub const PARTS_WITHOUT_RESTART: usize = 7;

/// A downtime split into its parts (µs), indexed by `DowntimePart`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Breakdown(pub [i64; 8]);

impl Breakdown {
    pub fn total(&self) -> i64 {
        self.0.iter().sum()
    }
    pub fn get(&self, part: DowntimePart) -> i64 {
        self.0[part as usize]
    }
}

impl std::ops::AddAssign<(DowntimePart, i64)> for Breakdown {
    fn add_assign(&mut self, (part, us): (DowntimePart, i64)) {
        self.0[part as usize] += us;
    }
}

/// A breakdown in milliseconds, with named parts (`restart` only in runs with a restart).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BreakdownMs {
    pub detection: f64,
    pub controller_failover: f64,
    pub waiting: f64,
    pub election: f64,
    pub persistence: f64,
    pub propagation: f64,
    pub client_discovery: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart: Option<f64>,
}

impl BreakdownMs {
    /// In ms, with the restart part for a run with a restart.
    pub fn of(b: Breakdown, with_restart: bool) -> BreakdownMs {
        let mut ms = BreakdownMs::from(b);
        if with_restart {
            ms.restart = Some(super::ms(b.get(DowntimePart::Restart)));
        }
        ms
    }
}

impl From<Breakdown> for BreakdownMs {
    fn from(b: Breakdown) -> Self {
        use DowntimePart::*;
        let p = |part| ms(b.get(part));
        BreakdownMs {
            detection: p(Detection),
            controller_failover: p(ControllerFailover),
            waiting: p(Waiting),
            election: p(Election),
            persistence: p(Persistence),
            propagation: p(Propagation),
            client_discovery: p(ClientDiscovery),
            restart: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde_and_order() {
        for (i, part) in DowntimePart::ALL.into_iter().enumerate() {
            assert_eq!(part as usize, i);
            assert_eq!(
                serde_json::to_value(part).unwrap(),
                serde_json::Value::String(part.name().into())
            );
        }
        // BreakdownMs' fields are the parts, in order.
        let b = Breakdown([1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000]);
        let v = serde_json::to_value(BreakdownMs::of(b, true)).unwrap();
        for (i, name) in PARTS.iter().enumerate() {
            assert_eq!(v[name], serde_json::json!((i + 1) as f64));
        }
        // Without a restart the JSON keeps the seven parts it always had.
        let v = serde_json::to_value(BreakdownMs::of(b, false)).unwrap();
        assert_eq!(v.as_object().unwrap().len(), PARTS_WITHOUT_RESTART);
        assert!(v.get("restart").is_none());
    }
}
