//! One election case, as a contract: the JSON that `kafka-election elect`, the page's rule
//! explorer and the wasm `elect` function share. A case names the mode, the strategy and the
//! partition's state; the answer is the rule's result (see `docs/model.md`, "Election rules").

use serde::Deserialize;
use serde_json::{json, Value};

use crate::broker::{BrokerId, BrokerSet, MAX_BROKER_ID};
use crate::election::{self, KraftChange, KraftElection, KraftPartition, LeaderRecoveryState};

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
    #[serde(default)]
    current_leader: Option<u32>,
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
    let isr_list = ids("isr", &c.isr)?;
    let isr = BrokerSet::of(&isr_list);
    if !isr.is_subset_of(BrokerSet::of(&assignment)) {
        return Err("isr: every ISR member must be in the assignment".into());
    }
    let live = BrokerSet::of(&ids("live", &c.live)?);
    let shutting = BrokerSet::of(&ids("shutting_down", &c.shutting_down)?);
    let list = |s: BrokerSet| -> Vec<BrokerId> { s.ordered_by(&isr_list).into_iter().collect() };
    let leader_json = |l: Option<BrokerId>| l.map(Value::from).unwrap_or(Value::Null);
    match c.mode.as_str() {
        "zk" => {
            let e = match c.strategy.as_str() {
                "offline" => election::offline(&assignment, isr, live, c.unclean),
                "controlled_shutdown" => election::controlled_shutdown(&assignment, isr, live, shutting),
                "preferred" => election::preferred(&assignment, isr, live).unwrap_or(election::Election { leader: None, isr, unclean: false }),
                "reassign" => {
                    let target = ids("target_replicas", c.target_replicas.as_deref().ok_or("target_replicas: required for reassign")?)?;
                    election::reassign(&target, isr, live)
                }
                s => return Err(format!("strategy is `{s}`; allowed for zk: offline, controlled_shutdown, preferred, reassign")),
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
                        "strategy is `{s}`; allowed for kraft: online, preferred, unclean"
                    ))
                }
            };
            if c.min_isr == 0 || c.min_isr > 127 {
                return Err(format!("min_isr is {}; allowed: 1 to 127", c.min_isr));
            }
            let current_leader = match c.current_leader {
                Some(l) => Some(ids("current_leader", &[l])?[0]),
                None => None,
            };
            let current = KraftPartition {
                leader: current_leader,
                isr,
                elr: BrokerSet::of(&ids("elr", &c.elr)?),
                last_known_elr: BrokerSet::of(&ids("last_known_elr", &c.last_known_elr)?),
                recovery: LeaderRecoveryState::Recovered,
            };
            // A broker in controlled shutdown is not acceptable as leader and leaves the ISR, as a
            // fenced one does; Kafka removes such brokers from the ISR one at a time.
            let live = live.minus(shutting);
            let mut target = isr;
            for &b in &isr_list {
                if !live.contains(b) {
                    target =
                        election::kraft_target_isr(target, BrokerSet::EMPTY.with(b), c.elr_enabled);
                }
            }
            let targets = c
                .target_replicas
                .as_deref()
                .map(|t| ids("target_replicas", t))
                .transpose()?;
            let change = KraftChange {
                assignment: targets.as_deref().unwrap_or(&assignment),
                target_isr: target,
                acceptable: live,
                election,
                elr_enabled: c.elr_enabled,
                min_isr: c.min_isr as usize,
            };
            let r = election::kraft(&current, &change);
            Ok(json!({
                "leader": leader_json(r.leader),
                "isr": list(r.isr),
                "elr": r.elr.ordered_by(&assignment),
                "last_known_elr": r.last_known_elr.ordered_by(&assignment),
                "leader_recovery_state": match r.recovery { LeaderRecoveryState::Recovered => "RECOVERED", LeaderRecoveryState::Recovering => "RECOVERING" },
            }))
        }
        m => Err(format!("mode is `{m}`; allowed: zk, kraft")),
    }
}
