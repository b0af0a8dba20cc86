//! Scenarios: the one input format shared by the CLI (`--scenario FILE`), the page (its URL state)
//! and the golden tests. A scenario is parsed with serde (unknown fields are refused) and then
//! validated into a [`Plan`], with errors that name the field and the allowed range.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod plan;
mod unique;

pub use plan::{Plan, RestartPlan};

/// What happens to the victim broker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// `kill -9`: the broker disappears without telling anyone.
    #[default]
    Crash,
    /// SIGTERM: the broker asks the controller to move its leaderships first.
    ControlledShutdown,
    /// Every broker stopped and restarted one at a time, the controller last, each after the
    /// one before is back in every ISR (`restart.rolling_stop` says how each is stopped).
    RollingRestart,
}

impl Fault {
    /// The faults of one broker (what `compare` sets side by side).
    pub const ALL: [Fault; 2] = [Fault::Crash, Fault::ControlledShutdown];
    /// Every event a scenario can name.
    pub const EVENTS: [Fault; 3] = [
        Fault::Crash,
        Fault::ControlledShutdown,
        Fault::RollingRestart,
    ];

    /// The fault's name as scenarios, the CLI's `--event` and summaries write it.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Crash => "crash",
            Fault::ControlledShutdown => "controlled-shutdown",
            Fault::RollingRestart => "rolling-restart",
        }
    }
}

/// How leadership returns to the preferred replicas once a broker is back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LeaderRebalance {
    /// The controller's periodic check (`auto.leader.rebalance.enable`, every
    /// `leader.imbalance.check.interval.seconds`, above `leader.imbalance.per.broker.percentage`);
    /// nothing moves back if the profile turns it off.
    #[default]
    Auto,
    /// An operator's preferred election (`kafka-leader-election.sh --election-type preferred`)
    /// as soon as nothing is under-replicated.
    Immediate,
    /// Leadership stays where the fault moved it.
    Off,
}

impl LeaderRebalance {
    pub const ALL: [LeaderRebalance; 3] = [
        LeaderRebalance::Auto,
        LeaderRebalance::Immediate,
        LeaderRebalance::Off,
    ];
    pub fn name(self) -> &'static str {
        match self {
            LeaderRebalance::Auto => "auto",
            LeaderRebalance::Immediate => "immediate",
            LeaderRebalance::Off => "off",
        }
    }
}

/// The broker's return after the fault (`docs/model.md`, "After the fault").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestartSpec {
    /// From the crash (or the clean exit) until the operator starts the broker again.
    pub after_ms: f64,
    #[serde(default)]
    pub leader_rebalance: LeaderRebalance,
    /// A rolling restart: how each broker is stopped (`crash` is kill -9, for comparison).
    #[serde(default = "default_rolling_stop")]
    pub rolling_stop: Fault,
}

fn default_rolling_stop() -> Fault {
    Fault::ControlledShutdown
}

impl RestartSpec {
    /// A return `after_ms` after the fault, every other field at its default (as a scenario
    /// giving only `after_ms` reads).
    pub fn after(after_ms: f64) -> RestartSpec {
        RestartSpec {
            after_ms,
            leader_rebalance: LeaderRebalance::default(),
            rolling_stop: default_rolling_stop(),
        }
    }
}

/// A rolling restart without a `restart` object waits this long before starting each broker.
pub const DEFAULT_ROLLING_RESTART_AFTER_MS: f64 = 10_000.0;
/// The longest restart delay: a week (a hardware failure, a replaced disk).
pub const MAX_RESTART_AFTER_MS: f64 = 7.0 * 24.0 * 3_600_000.0;

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
    /// This fraction of the topic's partitions (spread evenly) has only its leader in the ISR:
    /// its followers lag. If that leader fails, the partition waits for it to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sole_isr_fraction: Option<f64>,
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
    /// Parameter overrides by name (see `profile::PARAMS`), each at most once.
    #[serde(default, deserialize_with = "unique::unique_keys")]
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
    /// The victim comes back after the fault; for a rolling restart, every broker's delay and
    /// how it is stopped (optional there: 10 s and a controlled shutdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart: Option<RestartSpec>,
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
            sole_isr_fraction: None,
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
            restart: None,
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
        let (path, e) = (e.path().to_string(), e.into_inner());
        (error_field(&path, &e.to_string()), e)
    })
}

/// The field an error names, from serde_path_to_error's path: "." is the document itself (empty
/// here); a trailing "?" is a position inside an object before a key was read (a syntax error
/// such as a trailing comma or a missing value), which names the object; a duplicate field is
/// named itself, below the object that holds it.
fn error_field(path: &str, message: &str) -> String {
    let mut field = path;
    while let Some(p) = field.strip_suffix(".?") {
        field = p;
    }
    if field == "." || field == "?" {
        field = "";
    }
    let duplicate = message
        .strip_prefix("duplicate field `")
        .and_then(|m| m.split_once('`'))
        .map(|(key, _)| key);
    match duplicate {
        Some(key) if field.is_empty() => key.to_string(),
        Some(key) if !field.ends_with(&format!(".{key}")) => format!("{field}.{key}"),
        _ => field.to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::BrokerSet;

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
