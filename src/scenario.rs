//! Scenarios: the one input format shared by the CLI (`--scenario FILE`), the page (its URL state)
//! and the golden tests. A scenario is parsed with serde (unknown fields are refused) and then
//! validated into a [`Plan`], with errors that name the field and the allowed range.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::broker::{BrokerId, BrokerSet, MAX_BROKER_ID};
use crate::profile::{self, ParamValue, Profile, PROFILE_NAMES};

/// What happens to the victim broker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// `kill -9`: the broker disappears without telling anyone.
    #[default]
    Crash,
    /// SIGTERM: the broker asks the controller to move its leaderships first.
    ControlledShutdown,
}

impl Fault {
    pub const ALL: [Fault; 2] = [Fault::Crash, Fault::ControlledShutdown];

    /// The fault's name as scenarios, the CLI's `--event` and summaries write it.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Crash => "crash",
            Fault::ControlledShutdown => "controlled-shutdown",
        }
    }
}

/// How a topic's replicas are placed when no explicit assignment is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// Every partition led by one broker (`led_by`, default the victim), followers round robin
    /// over the other brokers from the highest id down: the chapter's `peter-test02` (replicas on
    /// brokers 1 and 3, leader 1) scaled up.
    #[default]
    LedBy,
    /// Kafka's rack-unaware assignment (`AdminUtils.assignReplicasToBrokers`) with a fixed start
    /// index and replica shift instead of random ones.
    Kafka,
}

/// A numeric or named parameter override in a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Override {
    Number(f64),
    Text(String),
}

/// One topic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    #[serde(default = "default_topic_name")]
    pub name: String,
    /// Number of partitions; may be left out when `assignment` is given.
    #[serde(default)]
    pub partitions: Option<u32>,
    #[serde(default = "default_rf")]
    pub replication_factor: u32,
    #[serde(default)]
    pub layout: Layout,
    /// For `led-by`: the leader of every partition (default: the victim).
    #[serde(default)]
    pub led_by: Option<u32>,
    /// For `kafka`: the broker index of partition 0's first replica.
    #[serde(default)]
    pub start_index: u32,
    /// For `kafka`: the initial follower shift.
    #[serde(default)]
    pub replica_shift: u32,
    /// Explicit replica lists, one per partition, preferred replica first.
    #[serde(default)]
    pub assignment: Option<Vec<Vec<u32>>>,
    /// Explicit ISRs, one per partition (default: the whole assignment).
    #[serde(default)]
    pub isr: Option<Vec<Vec<u32>>>,
}

/// The cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterSpec {
    /// Number of brokers, with ids 1..=brokers (ignored when `broker_ids` is given).
    #[serde(default = "default_brokers")]
    pub brokers: u32,
    #[serde(default)]
    pub broker_ids: Option<Vec<u32>>,
    /// The controller (ZooKeeper mode: the broker holding /controller). Default: broker 2 if it
    /// exists, else the first broker.
    #[serde(default)]
    pub controller: Option<u32>,
    #[serde(default = "default_topics")]
    pub topics: Vec<TopicSpec>,
}

/// A whole scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default = "default_profile")]
    pub profile: String,
    /// Parameter overrides by name (see `profile::PARAMS`).
    #[serde(default)]
    pub parameters: BTreeMap<String, Override>,
    #[serde(default)]
    pub event: Fault,
    /// The broker that crashes or shuts down (default 1, or the first broker).
    #[serde(default)]
    pub victim: Option<u32>,
    /// The victim is also the controller (overrides `cluster.controller`).
    #[serde(default)]
    pub victim_is_controller: bool,
    /// `unclean.leader.election.enable`.
    #[serde(default)]
    pub unclean: bool,
    #[serde(default)]
    pub cluster: ClusterSpec,
}

fn default_topic_name() -> String {
    "peter-test02".into()
}
fn default_rf() -> u32 {
    2
}
fn default_brokers() -> u32 {
    3
}
fn default_profile() -> String {
    "book".into()
}
fn default_topics() -> Vec<TopicSpec> {
    vec![TopicSpec::led_by_default(10_000)]
}

impl TopicSpec {
    fn led_by_default(partitions: u32) -> TopicSpec {
        TopicSpec {
            name: default_topic_name(),
            partitions: Some(partitions),
            replication_factor: default_rf(),
            layout: Layout::LedBy,
            led_by: None,
            start_index: 0,
            replica_shift: 0,
            assignment: None,
            isr: None,
        }
    }
}

impl Default for ClusterSpec {
    fn default() -> Self {
        ClusterSpec {
            brokers: default_brokers(),
            broker_ids: None,
            controller: None,
            topics: default_topics(),
        }
    }
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            profile: default_profile(),
            parameters: BTreeMap::new(),
            event: Fault::Crash,
            victim: None,
            victim_is_controller: false,
            unclean: false,
            cluster: ClusterSpec::default(),
        }
    }
}

impl Scenario {
    /// The CLI's default cluster with `partitions` partitions in one topic.
    pub fn with_partitions(partitions: u32) -> Scenario {
        let mut s = Scenario::default();
        s.cluster.topics = vec![TopicSpec::led_by_default(partitions)];
        s
    }

    /// Parses a scenario; an error names the field (`cluster.brokers`) where one is at fault.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        from_json_path(text).map_err(|(path, e)| {
            let field = if path.is_empty() {
                "scenario".to_string()
            } else {
                path
            };
            ScenarioError::new(field, format!("not a valid scenario: {e}"))
        })
    }
}

/// Deserializes JSON, reporting the path of the offending field (empty when it is the whole
/// document) with the error.
pub fn from_json_path<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, (String, serde_json::Error)> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        (
            // "." is the document itself, "?" a position serde could not attribute to a field.
            if path == "." || path == "?" {
                String::new()
            } else {
                path
            },
            e.into_inner(),
        )
    })
}

/// Limits that keep a run within memory and meaning.
pub const MAX_BROKERS: usize = 64;
pub const MAX_PARTITIONS: u64 = 2_000_000;
pub const MAX_TOPICS: usize = 1_000;
/// Kafka's limit on a topic name's length.
pub const MAX_TOPIC_NAME: usize = 249;

/// A scenario error: the field (a path like `cluster.topics[0].replication_factor`) and what is
/// wrong with it, including what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub field: String,
    pub message: String,
}

impl ScenarioError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// A validated scenario, ready to simulate: the profile resolved and overridden, the cluster laid
/// out (assignment flat, `replicas[p]` = `assignment[offsets[p]..offsets[p + 1]]`).
#[derive(Clone, Debug)]
pub struct Plan {
    pub profile: Profile,
    pub fault: Fault,
    pub victim: BrokerId,
    pub controller: BrokerId,
    pub unclean: bool,
    pub brokers: Vec<BrokerId>,
    pub topics: Vec<(String, u32)>,
    pub assignment: Vec<BrokerId>,
    pub offsets: Vec<u32>,
    /// The initial ISRs (moved into the simulation's store when it starts).
    pub isr: Vec<BrokerSet>,
}

impl Plan {
    pub fn partitions(&self) -> usize {
        self.offsets.len() - 1
    }
    pub fn replicas(&self, p: usize) -> &[BrokerId] {
        &self.assignment[self.offsets[p] as usize..self.offsets[p + 1] as usize]
    }
    /// (topic name, partition number within the topic) of a global partition index.
    pub fn topic_partition(&self, p: usize) -> (&str, u32) {
        let mut first = 0usize;
        for (name, n) in &self.topics {
            if p < first + *n as usize {
                return (name, (p - first) as u32);
            }
            first += *n as usize;
        }
        ("?", 0)
    }
}

fn broker_id(field: &str, v: u32) -> Result<BrokerId, ScenarioError> {
    if v > MAX_BROKER_ID as u32 {
        return Err(ScenarioError::new(
            field,
            format!("broker id {v} is out of range; allowed: 0 to {MAX_BROKER_ID}"),
        ));
    }
    Ok(v as BrokerId)
}

impl Scenario {
    /// Checks everything and lays the cluster out.
    pub fn plan(&self) -> Result<Plan, ScenarioError> {
        let mut profile = profile::builtin(&self.profile).ok_or_else(|| {
            ScenarioError::new(
                "profile",
                format!(
                    "unknown profile `{}`; allowed: {}",
                    self.profile,
                    PROFILE_NAMES.join(", ")
                ),
            )
        })?;
        for (name, value) in &self.parameters {
            let field = format!("parameters.{name}");
            let v = match value {
                Override::Number(n) => ParamValue::Number(*n),
                Override::Text(t) => {
                    profile::choice_value(name, t).map_err(|m| ScenarioError::new(&field, m))?
                }
            };
            profile
                .params
                .set(name, &v)
                .map_err(|m| ScenarioError::new(&field, m))?;
        }
        let c = &self.cluster;
        let brokers: Vec<BrokerId> = match &c.broker_ids {
            Some(ids) => {
                if ids.is_empty() || ids.len() > MAX_BROKERS {
                    return Err(ScenarioError::new(
                        "cluster.broker_ids",
                        format!("{} brokers; allowed: 1 to {MAX_BROKERS}", ids.len()),
                    ));
                }
                let mut out = Vec::with_capacity(ids.len());
                for (i, &id) in ids.iter().enumerate() {
                    let b = broker_id(&format!("cluster.broker_ids[{i}]"), id)?;
                    if out.contains(&b) {
                        return Err(ScenarioError::new(
                            format!("cluster.broker_ids[{i}]"),
                            format!("broker {b} is listed twice"),
                        ));
                    }
                    out.push(b);
                }
                out
            }
            None => {
                if c.brokers == 0 || c.brokers as usize > MAX_BROKERS {
                    return Err(ScenarioError::new(
                        "cluster.brokers",
                        format!("{} brokers; allowed: 1 to {MAX_BROKERS}", c.brokers),
                    ));
                }
                (1..=c.brokers as BrokerId).collect()
            }
        };
        let all = BrokerSet::of(&brokers);
        let victim = match self.victim {
            Some(v) => broker_id("victim", v)?,
            None => brokers[0],
        };
        if !all.contains(victim) {
            return Err(ScenarioError::new(
                "victim",
                format!("broker {victim} is not in the cluster; brokers: {brokers:?}"),
            ));
        }
        let controller = if self.victim_is_controller {
            victim
        } else {
            match c.controller {
                Some(v) => broker_id("cluster.controller", v)?,
                None if all.contains(2) && brokers.len() > 1 => 2,
                None => brokers[0],
            }
        };
        if !all.contains(controller) {
            return Err(ScenarioError::new(
                "cluster.controller",
                format!("broker {controller} is not in the cluster; brokers: {brokers:?}"),
            ));
        }
        if brokers.len() == 1
            && (controller == victim)
            && profile.mode == profile::Mode::Zookeeper
            && self.victim_is_controller
        {
            return Err(ScenarioError::new(
                "victim_is_controller",
                "a one-broker cluster has no broker left to become controller",
            ));
        }
        if c.topics.is_empty() || c.topics.len() > MAX_TOPICS {
            return Err(ScenarioError::new(
                "cluster.topics",
                format!("{} topics; allowed: 1 to {MAX_TOPICS}", c.topics.len()),
            ));
        }
        let total: u64 = c
            .topics
            .iter()
            .map(|t| {
                t.partitions
                    .map(u64::from)
                    .or(t.assignment.as_ref().map(|a| a.len() as u64))
                    .unwrap_or(0)
            })
            .sum();
        if total > MAX_PARTITIONS {
            return Err(ScenarioError::new(
                "cluster.topics",
                format!("{total} partitions in all; allowed: 1 to {MAX_PARTITIONS} (about 130 bytes of memory each)"),
            ));
        }
        let mut plan = Plan {
            profile,
            fault: self.event,
            victim,
            controller,
            unclean: self.unclean,
            brokers: brokers.clone(),
            topics: Vec::with_capacity(c.topics.len()),
            assignment: Vec::new(),
            offsets: vec![0],
            isr: Vec::with_capacity(total as usize),
        };
        for (ti, t) in c.topics.iter().enumerate() {
            lay_out_topic(
                &mut plan,
                &format!("cluster.topics[{ti}]"),
                t,
                &brokers,
                victim,
            )?;
        }
        Ok(plan)
    }
}

fn lay_out_topic(
    plan: &mut Plan,
    field: &str,
    t: &TopicSpec,
    brokers: &[BrokerId],
    victim: BrokerId,
) -> Result<(), ScenarioError> {
    let all = BrokerSet::of(brokers);
    let n = brokers.len();
    if t.name.is_empty() || t.name.len() > MAX_TOPIC_NAME {
        return Err(ScenarioError::new(
            format!("{field}.name"),
            "a topic name has 1 to 249 characters",
        ));
    }
    let count = match (&t.assignment, t.partitions) {
        (Some(a), Some(p)) if a.len() != p as usize => {
            return Err(ScenarioError::new(
                format!("{field}.partitions"),
                format!("{p} partitions but {} assignments", a.len()),
            ))
        }
        (Some(a), _) => a.len() as u32,
        (None, Some(p)) => p,
        (None, None) => {
            return Err(ScenarioError::new(
                format!("{field}.partitions"),
                "missing; give `partitions` or `assignment`",
            ))
        }
    };
    if count == 0 {
        return Err(ScenarioError::new(
            format!("{field}.partitions"),
            format!("0 partitions; allowed: 1 to {MAX_PARTITIONS}"),
        ));
    }
    if let Some(a) = &t.assignment {
        for (p, replicas) in a.iter().enumerate() {
            let f = format!("{field}.assignment[{p}]");
            if replicas.is_empty() || replicas.len() > n {
                return Err(ScenarioError::new(
                    &f,
                    format!(
                        "{} replicas; allowed: 1 to {n} (the broker count)",
                        replicas.len()
                    ),
                ));
            }
            let mut seen = BrokerSet::EMPTY;
            for &r in replicas {
                let b = broker_id(&f, r)?;
                if !all.contains(b) {
                    return Err(ScenarioError::new(
                        &f,
                        format!("broker {b} is not in the cluster; brokers: {brokers:?}"),
                    ));
                }
                if seen.contains(b) {
                    return Err(ScenarioError::new(&f, format!("broker {b} appears twice")));
                }
                seen = seen.with(b);
                plan.assignment.push(b);
            }
            plan.offsets.push(plan.assignment.len() as u32);
        }
    } else {
        let rf = t.replication_factor as usize;
        if rf == 0 || rf > n {
            let why = if rf == 0 {
                "0 is below 1".to_string()
            } else {
                format!("{rf} is above the broker count {n}")
            };
            return Err(ScenarioError::new(
                format!("{field}.replication_factor"),
                format!("{why}; allowed: 1 to {n}"),
            ));
        }
        match t.layout {
            Layout::LedBy => {
                let leader = match t.led_by {
                    Some(l) => broker_id(&format!("{field}.led_by"), l)?,
                    None => victim,
                };
                if !all.contains(leader) {
                    return Err(ScenarioError::new(
                        format!("{field}.led_by"),
                        format!("broker {leader} is not in the cluster; brokers: {brokers:?}"),
                    ));
                }
                let mut others: Vec<BrokerId> =
                    brokers.iter().copied().filter(|&b| b != leader).collect();
                others.sort_unstable_by(|a, b| b.cmp(a));
                for p in 0..count as usize {
                    plan.assignment.push(leader);
                    for k in 0..rf - 1 {
                        plan.assignment.push(others[(p + k) % others.len()]);
                    }
                    plan.offsets.push(plan.assignment.len() as u32);
                }
            }
            Layout::Kafka => {
                // AdminUtils.assignReplicasToBrokers (rack-unaware), with fixed start and shift.
                let start = t.start_index as usize % n;
                let mut shift = t.replica_shift as usize % n.max(1);
                for p in 0..count as usize {
                    if p > 0 && p % n == 0 {
                        shift += 1;
                    }
                    let first = (p + start) % n;
                    plan.assignment.push(brokers[first]);
                    for j in 0..rf - 1 {
                        let idx = (first + 1 + (shift + j) % (n - 1)) % n;
                        plan.assignment.push(brokers[idx]);
                    }
                    plan.offsets.push(plan.assignment.len() as u32);
                }
            }
        }
    }
    let first_partition = plan.offsets.len() - 1 - count as usize;
    match &t.isr {
        None => {
            for p in first_partition..first_partition + count as usize {
                let set = BrokerSet::of(plan.replicas(p));
                plan.isr.push(set);
            }
        }
        Some(isrs) => {
            if isrs.len() != count as usize {
                return Err(ScenarioError::new(
                    format!("{field}.isr"),
                    format!(
                        "{} ISRs for {count} partitions; give one per partition",
                        isrs.len()
                    ),
                ));
            }
            for (i, isr) in isrs.iter().enumerate() {
                let f = format!("{field}.isr[{i}]");
                let replicas = BrokerSet::of(plan.replicas(first_partition + i));
                let mut set = BrokerSet::EMPTY;
                for &r in isr {
                    let b = broker_id(&f, r)?;
                    if !replicas.contains(b) {
                        return Err(ScenarioError::new(&f, format!("broker {b} is not a replica of this partition; an ISR is a subset of the assignment")));
                    }
                    set = set.with(b);
                }
                if set.is_empty() {
                    return Err(ScenarioError::new(&f, "an ISR has at least one member"));
                }
                plan.isr.push(set);
            }
        }
    }
    plan.topics.push((t.name.clone(), count));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_the_books_cluster_scaled_up() {
        let plan = Scenario::with_partitions(4).plan().unwrap();
        assert_eq!(plan.brokers, vec![1, 2, 3]);
        assert_eq!((plan.victim, plan.controller), (1, 2));
        assert_eq!(
            plan.replicas(0),
            &[1, 3],
            "peter-test02: replicas on brokers 1 and 3"
        );
        assert_eq!(plan.replicas(1), &[1, 2]);
        assert!((0..4).all(|p| plan.replicas(p)[0] == 1));
        assert_eq!(plan.isr[0], BrokerSet::of(&[1, 3]));
        assert_eq!(plan.topic_partition(3), ("peter-test02", 3));
    }

    #[test]
    fn kafka_layout_matches_assign_replicas_to_brokers() {
        // 5 brokers, start 0, shift 0, rf 3: the doc example of AdminUtils.
        let mut s = Scenario::default();
        s.cluster.brokers = 5;
        s.cluster.topics = vec![TopicSpec {
            layout: Layout::Kafka,
            replication_factor: 3,
            ..TopicSpec::led_by_default(10)
        }];
        let plan = s.plan().unwrap();
        assert_eq!(plan.replicas(0), &[1, 2, 3]);
        assert_eq!(plan.replicas(4), &[5, 1, 2]);
        // partition 5: shift becomes 1, first replica broker index 0 → followers skip one.
        assert_eq!(plan.replicas(5), &[1, 3, 4]);
        assert_eq!(plan.replicas(9), &[5, 2, 3]);
    }

    fn err(s: &Scenario) -> ScenarioError {
        s.plan().unwrap_err()
    }

    #[test]
    fn bad_scenarios_name_the_field_and_range() {
        let s = Scenario {
            profile: "kafka-9".into(),
            ..Scenario::default()
        };
        let e = err(&s);
        assert_eq!(e.field, "profile");
        assert!(e.message.contains("book, kafka-1.0"), "{e}");

        let mut s = Scenario::default();
        s.cluster.brokers = 0;
        assert_eq!(err(&s).field, "cluster.brokers");

        let mut s = Scenario::default();
        s.cluster.topics[0].replication_factor = 4;
        let e = err(&s);
        assert_eq!(e.field, "cluster.topics[0].replication_factor");
        assert!(e.message.contains("allowed: 1 to 3"), "{e}");

        let s = Scenario {
            victim: Some(9),
            ..Scenario::default()
        };
        assert!(err(&s).message.contains("not in the cluster"));

        let mut s = Scenario::default();
        s.parameters
            .insert("zk_session_timeout_ms".into(), Override::Number(-5.0));
        assert_eq!(err(&s).field, "parameters.zk_session_timeout_ms");

        let mut s = Scenario::default();
        s.cluster.topics[0].partitions = Some(3_000_000);
        assert!(err(&s).message.contains("allowed: 1 to 2000000"));

        let mut s = Scenario::default();
        s.cluster.topics[0].partitions = Some(0);
        assert!(err(&s).message.contains("0 partitions"));

        let mut s = Scenario::default();
        s.cluster.topics = vec![TopicSpec {
            assignment: Some(vec![vec![1, 1]]),
            partitions: None,
            ..TopicSpec::led_by_default(1)
        }];
        assert!(err(&s).message.contains("twice"));

        let mut s = Scenario::default();
        s.cluster.topics = vec![TopicSpec {
            assignment: Some(vec![vec![1, 3]]),
            isr: Some(vec![vec![2]]),
            partitions: None,
            ..TopicSpec::led_by_default(1)
        }];
        assert!(err(&s).message.contains("subset of the assignment"));

        let e = Scenario::from_json(r#"{"profil": "book"}"#).unwrap_err();
        assert!(e.message.contains("unknown field `profil`"), "{e}");
        let e = Scenario::from_json("{").unwrap_err();
        assert!(e.message.contains("not a valid scenario"), "{e}");
    }
}
