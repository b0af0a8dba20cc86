//! One election case, as a contract: the JSON that `kafka-election elect`, the page's rule
//! explorer and the wasm `elect` function share. A case names the mode, the strategy and the
//! partition's state; the answer is the rule's result (see `docs/model.md`, "Election rules").

use serde::Deserialize;
use serde_json::{json, Value};

use crate::broker::{BrokerId, BrokerSet, MAX_BROKER_ID};
use crate::election::{self, KraftChange, KraftElection, KraftPartition, LeaderRecoveryState};

/// The strategies a case may name, per mode, in the order the page lists them. Each is matched
/// below to its rule; a test checks that every one listed is accepted.
pub const STRATEGIES: [(&str, &[&str]); 2] = [
    (
        "zk",
        &["offline", "controlled_shutdown", "preferred", "reassign"],
    ),
    ("kraft", &["online", "preferred", "unclean"]),
];

/// Kafka writes "no leader" as -1 (`LeaderConstants.NO_LEADER`); cases copied from Kafka carry it.
const NO_LEADER: i64 = -1;

/// One `elect` case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ElectCase {
    mode: String,
    strategy: String,
    assignment: Vec<u32>,
    #[serde(default)]
    isr: Vec<u32>,
    #[serde(default)]
    live: Vec<u32>,
    #[serde(default)]
    shutting_down: Vec<u32>,
    #[serde(default)]
    unclean: bool,
    #[serde(default)]
    target_replicas: Option<Vec<u32>>,
    /// A broker id, or -1 / null for no leader.
    #[serde(default)]
    current_leader: Option<i64>,
    /// kraft: the ISR before this change (default: `isr`).
    #[serde(default)]
    previous_isr: Option<Vec<u32>>,
    /// kraft: the registration's leader recovery state before this change.
    #[serde(default)]
    leader_recovery_state: Option<String>,
    #[serde(default)]
    elr: Vec<u32>,
    #[serde(default)]
    last_known_elr: Vec<u32>,
    #[serde(default)]
    elr_enabled: bool,
    #[serde(default = "one")]
    min_isr: u32,
}

fn one() -> u32 {
    1
}

fn ids(field: &str, v: &[u32]) -> Result<Vec<BrokerId>, String> {
    let mut seen = BrokerSet::EMPTY;
    v.iter()
        .map(|&b| {
            if b > MAX_BROKER_ID as u32 {
                return Err(format!(
                    "{field}: broker id {b} is out of range; allowed: 0 to {MAX_BROKER_ID}"
                ));
            }
            if seen.contains(b as BrokerId) {
                return Err(format!("{field}: broker {b} appears twice"));
            }
            seen = seen.with(b as BrokerId);
            Ok(b as BrokerId)
        })
        .collect()
}

/// A leader as Kafka writes it: a broker id, or -1 (or null) for none.
fn leader(field: &str, l: Option<i64>) -> Result<Option<BrokerId>, String> {
    match l {
        None | Some(NO_LEADER) => Ok(None),
        Some(b) if (0..=i64::from(MAX_BROKER_ID)).contains(&b) => Ok(Some(b as BrokerId)),
        Some(b) => Err(format!(
            "{field}: {b} is not a broker id; allowed: 0 to {MAX_BROKER_ID}, or -1 or null for no leader"
        )),
    }
}

/// The `elect` command: one election case in, its result out.
pub fn elect(text: &str) -> Result<Value, String> {
    let c: ElectCase = crate::scenario::from_json_path(text).map_err(|(path, e)| {
        if path.is_empty() {
            format!("elect: not a valid case: {e}")
        } else {
            format!("elect: {path}: {e}")
        }
    })?;
    let assignment = ids("assignment", &c.assignment)?;
    if assignment.is_empty() {
        return Err("assignment: empty; give the replicas in order, preferred first".into());
    }
    let targets = c
        .target_replicas
        .as_deref()
        .map(|t| ids("target_replicas", t))
        .transpose()?;
    // During a reassignment the ISR may hold target replicas that are not assigned yet.
    let replicas =
        BrokerSet::of(&assignment).union(BrokerSet::of(targets.as_deref().unwrap_or(&[])));
    let isr_list = ids("isr", &c.isr)?;
    let isr = BrokerSet::of(&isr_list);
    if !isr.is_subset_of(replicas) {
        return Err("isr: every ISR member must be in the assignment or target_replicas".into());
    }
    let live = BrokerSet::of(&ids("live", &c.live)?);
    let shutting = BrokerSet::of(&ids("shutting_down", &c.shutting_down)?);
    let current_leader = leader("current_leader", c.current_leader)?;
    // A state Kafka can never be in is refused rather than answered: a leader is always one of
    // the partition's replicas, and ELR and last known ELR only ever hold replicas.
    if let Some(l) = current_leader.filter(|&l| !replicas.contains(l)) {
        return Err(format!(
            "current_leader: broker {l} is not a replica; allowed: a broker of the assignment or target_replicas, or -1 or null for no leader"
        ));
    }
    let elr = BrokerSet::of(&ids("elr", &c.elr)?);
    let last_known_elr = BrokerSet::of(&ids("last_known_elr", &c.last_known_elr)?);
    for (field, set) in [("elr", elr), ("last_known_elr", last_known_elr)] {
        if !set.is_subset_of(replicas) {
            return Err(format!(
                "{field}: every member must be in the assignment or target_replicas"
            ));
        }
    }
    let leader_json = |l: Option<BrokerId>| l.map(Value::from).unwrap_or(Value::Null);
    match c.mode.as_str() {
        "zk" => {
            for (field, given) in [
                ("previous_isr", c.previous_isr.is_some()),
                ("leader_recovery_state", c.leader_recovery_state.is_some()),
                // ZooKeeper mode has no Eligible Leader Replicas.
                ("elr", !elr.is_empty()),
                ("last_known_elr", !last_known_elr.is_empty()),
            ] {
                if given {
                    return Err(format!("{field}: only for mode kraft"));
                }
            }
            let e = match c.strategy.as_str() {
                "offline" => election::offline(&assignment, isr, live, c.unclean),
                "controlled_shutdown" => {
                    election::controlled_shutdown(&assignment, isr, live, shutting)
                }
                "preferred" => {
                    election::preferred(&assignment, isr, live).unwrap_or(election::Election {
                        leader: None,
                        isr,
                        unclean: false,
                    })
                }
                "reassign" => {
                    let target = targets
                        .as_deref()
                        .ok_or("target_replicas: required for reassign")?;
                    election::reassign(target, isr, live)
                }
                s => {
                    return Err(format!(
                        "strategy is `{s}`; allowed for zk: {}",
                        STRATEGIES[0].1.join(", ")
                    ))
                }
            };
            let order: Vec<BrokerId> = isr_list
                .iter()
                .copied()
                .chain(assignment.iter().copied())
                .collect();
            Ok(
                json!({"leader": leader_json(e.leader), "isr": e.isr.ordered_by(&order), "unclean": e.unclean}),
            )
        }
        "kraft" => {
            let election = match c.strategy.as_str() {
                "online" => KraftElection::Online,
                "preferred" => KraftElection::Preferred,
                "unclean" => KraftElection::Unclean,
                s => {
                    return Err(format!(
                        "strategy is `{s}`; allowed for kraft: {}",
                        STRATEGIES[1].1.join(", ")
                    ))
                }
            };
            if c.min_isr == 0 || c.min_isr > 127 {
                return Err(format!("min_isr is {}; allowed: 1 to 127", c.min_isr));
            }
            // For kraft `isr` is the target ISR the controller asks for and `previous_isr` the
            // current registration's ISR: the builder derives ELR changes from the ISR before the
            // change, and never filters the target ISR by who may lead.
            let previous_list = match &c.previous_isr {
                Some(p) => ids("previous_isr", p)?,
                None => isr_list.clone(),
            };
            let previous = BrokerSet::of(&previous_list);
            if !previous.is_subset_of(replicas) {
                return Err(
                    "previous_isr: every ISR member must be in the assignment or target_replicas"
                        .into(),
                );
            }
            // A registration's ELR and ISR are disjoint (KIP-966: a broker enters the ELR as it
            // leaves the ISR). The target ISR may take an ELR member back, so only the ISR
            // before the change is checked.
            if let Some(b) = previous.intersect(elr).iter().next() {
                let isr_field = if c.previous_isr.is_some() {
                    "previous_isr"
                } else {
                    "isr"
                };
                return Err(format!(
                    "elr: broker {b} is also in {isr_field}; the ELR and the ISR before the change are disjoint"
                ));
            }
            let recovery = match c.leader_recovery_state.as_deref() {
                None | Some("RECOVERED") => LeaderRecoveryState::Recovered,
                Some("RECOVERING") => LeaderRecoveryState::Recovering,
                Some(s) => {
                    return Err(format!(
                        "leader_recovery_state is `{s}`; allowed: RECOVERED, RECOVERING"
                    ))
                }
            };
            let current = KraftPartition {
                leader: current_leader,
                isr: previous,
                elr,
                last_known_elr,
                recovery,
            };
            // A broker in controlled shutdown is not acceptable as leader, as a fenced one is not.
            let live = live.minus(shutting);
            let change = KraftChange {
                assignment: targets.as_deref().unwrap_or(&assignment),
                target_isr: isr,
                acceptable: live,
                election,
                elr_enabled: c.elr_enabled,
                min_isr: c.min_isr as usize,
            };
            let outcome = election::kraft_outcome(&current, &change);
            let r = outcome.partition;
            let order: Vec<BrokerId> = isr_list
                .iter()
                .chain(&previous_list)
                .chain(&assignment)
                .copied()
                .collect();
            Ok(json!({
                "leader": leader_json(r.leader),
                "isr": r.isr.ordered_by(&order),
                "unclean": outcome.unclean,
                "elr": r.elr.ordered_by(&assignment),
                "last_known_elr": r.last_known_elr.ordered_by(&assignment),
                "leader_recovery_state": match r.recovery { LeaderRecoveryState::Recovered => "RECOVERED", LeaderRecoveryState::Recovering => "RECOVERING" },
            }))
        }
        m => Err(format!("mode is `{m}`; allowed: zk, kraft")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_strategy_is_accepted_and_no_other() {
        for (mode, strategies) in STRATEGIES {
            for strategy in strategies.iter().chain(&["nope"]) {
                let case = json!({
                    "mode": mode, "strategy": strategy, "assignment": [1, 2],
                    "isr": [1, 2], "live": [1, 2], "target_replicas": [2, 1],
                });
                let r = elect(&case.to_string());
                if *strategy == "nope" {
                    let e = r.unwrap_err();
                    assert!(e.contains(&strategies.join(", ")), "{mode}: {e}");
                } else {
                    assert!(r.is_ok(), "{mode} {strategy}: {r:?}");
                }
            }
        }
    }

    #[test]
    fn impossible_starting_states_are_refused_naming_the_field() {
        let base = json!({"mode": "kraft", "strategy": "online", "assignment": [1, 2, 3],
            "isr": [1, 2], "live": [1, 2, 3], "elr_enabled": true, "min_isr": 2});
        let with = |extra: Value| {
            let mut c = base.clone();
            c.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            elect(&c.to_string())
        };
        for (extra, needle) in [
            (
                json!({"current_leader": 4}),
                "current_leader: broker 4 is not a replica",
            ),
            (json!({"isr": [1, 4]}), "isr:"),
            (json!({"previous_isr": [4]}), "previous_isr:"),
            (json!({"elr": [4]}), "elr: every member"),
            (
                json!({"last_known_elr": [5]}),
                "last_known_elr: every member",
            ),
            (json!({"elr": [2]}), "elr: broker 2 is also in isr"),
            (
                json!({"previous_isr": [1, 3], "elr": [3]}),
                "elr: broker 3 is also in previous_isr",
            ),
            (
                json!({"mode": "zk", "strategy": "offline", "elr": [3]}),
                "elr: only for mode kraft",
            ),
            (
                json!({"mode": "zk", "strategy": "offline", "last_known_elr": [3]}),
                "last_known_elr: only for mode kraft",
            ),
            (
                json!({"mode": "zk", "strategy": "offline", "current_leader": 9}),
                "current_leader: broker 9",
            ),
        ] {
            let e = with(extra.clone()).unwrap_err();
            assert!(e.contains(needle), "{extra}: {e}");
        }
        // Reachable states stay accepted: a leader among the target replicas during a
        // reassignment, an ELR member coming back into the target ISR, no leader at all.
        for extra in [
            json!({"target_replicas": [4, 1, 2], "current_leader": 4, "previous_isr": [4, 1]}),
            json!({"previous_isr": [1], "elr": [2], "isr": [1, 2]}),
            json!({"current_leader": -1, "previous_isr": [3], "elr": [1, 2], "last_known_elr": [1]}),
            json!({"current_leader": null}),
        ] {
            assert!(
                with(extra.clone()).is_ok(),
                "{extra}: {:?}",
                with(extra.clone())
            );
        }
    }
}
