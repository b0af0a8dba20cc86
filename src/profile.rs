//! Timing profiles: data, not code paths.
//!
//! A profile names what it models, gives every cost parameter a value and says where the value
//! comes from, marking estimates as estimates. The controller reads only the parameters, so the
//! book's model and Kafka's code can be compared on the same cluster by switching a field.

use serde::Serialize;

/// Which controller implementation a profile models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The ZooKeeper-based controller (Kafka up to 3.9).
    Zookeeper,
    /// The KRaft quorum controller (3.x, the only mode from 4.0).
    Kraft,
}

/// How the new leaders of a set of partitions reach the brokers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Publication {
    /// One partition after another: each is elected, recorded and published before the next
    /// starts (the book's model; Kafka 1.0's controlled shutdown).
    PerPartition,
    /// The whole set is elected and recorded, then published once (Kafka's code after a crash,
    /// and 1.1+ controlled shutdown).
    PerBatch,
}

/// When a partition moved by a controlled shutdown stops being served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShutdownUnavailability {
    /// Only between the old leader stepping down and clients reaching the new one (Kafka's code).
    SwitchOver,
    /// From the start of its own election (the book: "a brief downtime while an election runs").
    OwnElection,
}

/// Every tunable number of a profile, in integer microseconds or plain counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    pub zk_session_timeout_us: i64,
    pub zk_round_trip_us: i64,
    pub zk_pipelined_op_us: i64,
    pub zk_max_in_flight: i64,
    pub controller_per_partition_us: i64,
    pub propagation_us: i64,
    pub broker_apply_per_partition_us: i64,
    pub retry_backoff_us: i64,
    pub metadata_refresh_us: i64,
    pub delivery_timeout_us: i64,
    pub controller_failover_us: i64,
    pub metadata_load_per_partition_us: i64,
    pub log_flush_us: i64,
    pub controlled_shutdown_max_retries: i64,
    pub controlled_shutdown_retry_backoff_us: i64,
    pub broker_heartbeat_interval_us: i64,
    pub broker_session_timeout_us: i64,
    pub kraft_record_us: i64,
    pub kraft_max_records_per_batch: i64,
    pub kraft_commit_us: i64,
    pub kraft_replay_per_record_us: i64,
    pub min_insync_replicas: i64,
    pub eligible_leader_replicas: i64,
    pub crash_publication: Publication,
    pub shutdown_publication: Publication,
    pub shutdown_unavailability: ShutdownUnavailability,
}

/// The unit a parameter is given in by users (scenario files, CLI flags, the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Ms,
    Count,
    Flag,
    Choice,
}

/// One parameter's description: its name as users write it, its unit, its allowed range and what
/// it means. Ranges keep runs finite and meaningful; they are not claims about Kafka.
pub struct ParamSpec {
    pub name: &'static str,
    pub unit: Unit,
    pub min: f64,
    pub max: f64,
    pub choices: &'static [&'static str],
    pub kafka_config: &'static str,
    pub doc: &'static str,
}

const HOUR_MS: f64 = 3_600_000.0;

macro_rules! ms {
    ($name:literal, $min:expr, $max:expr, $cfg:literal, $doc:literal) => {
        ParamSpec {
            name: $name,
            unit: Unit::Ms,
            min: $min,
            max: $max,
            choices: &[],
            kafka_config: $cfg,
            doc: $doc,
        }
    };
}
macro_rules! count {
    ($name:literal, $min:expr, $max:expr, $cfg:literal, $doc:literal) => {
        ParamSpec {
            name: $name,
            unit: Unit::Count,
            min: $min,
            max: $max,
            choices: &[],
            kafka_config: $cfg,
            doc: $doc,
        }
    };
}

/// Every parameter, in the order the CLI and the page list them.
pub const PARAMS: &[ParamSpec] = &[
    ms!("zk_session_timeout_ms", 0.0, HOUR_MS, "zookeeper.session.timeout.ms", "time from a broker's crash until ZooKeeper expires its session and deletes /brokers/ids/<id>"),
    ms!("zk_round_trip_ms", 0.0, 60_000.0, "", "one synchronous ZooKeeper request, from send to reply"),
    ms!("zk_pipelined_op_ms", 0.0, 60_000.0, "", "the time ZooKeeper needs per request when many are in flight (its throughput limit)"),
    count!("zk_max_in_flight", 1.0, 100_000.0, "zookeeper.max.in.flight.requests", "ZooKeeper requests the controller keeps outstanding; 1 means one synchronous request at a time"),
    ms!("controller_per_partition_ms", 0.0, 60_000.0, "", "the controller's own work per partition: choosing the leader, building requests, logging"),
    ms!("propagation_ms", 0.0, 60_000.0, "", "a request between the controller and a broker (LeaderAndIsr, UpdateMetadata, ControlledShutdown, heartbeat, metadata fetch)"),
    ms!("broker_apply_per_partition_ms", 0.0, 60_000.0, "", "a broker applying one partition of a LeaderAndIsr request or one metadata record"),
    ms!("retry_backoff_ms", 0.0, 600_000.0, "retry.backoff.ms", "a producer's wait before retrying after NOT_LEADER_OR_FOLLOWER or a disconnect"),
    ms!("metadata_refresh_ms", 0.0, 600_000.0, "", "a client's metadata request that finds the new leader"),
    ms!("delivery_timeout_ms", 1.0, 24.0 * HOUR_MS, "delivery.timeout.ms", "how long a producer keeps retrying a record before failing it"),
    ms!("controller_failover_ms", 0.0, HOUR_MS, "controller.quorum.election.timeout.ms (KRaft)", "electing a new controller once the old one is known to be gone"),
    ms!("metadata_load_per_partition_ms", 0.0, 60_000.0, "", "a new controller loading one partition's state before it can act"),
    ms!("log_flush_ms", 0.0, HOUR_MS, "", "a broker flushing its logs and writing .kafka_cleanshutdown before a clean exit"),
    count!("controlled_shutdown_max_retries", 0.0, 100.0, "controlled.shutdown.max.retries", "ControlledShutdown attempts before a broker shuts down anyway (Kafka counts attempts; 0 skips the controlled shutdown)"),
    ms!("controlled_shutdown_retry_backoff_ms", 0.0, HOUR_MS, "controlled.shutdown.retry.backoff.ms", "wait between ControlledShutdown attempts"),
    ms!("broker_heartbeat_interval_ms", 1.0, HOUR_MS, "broker.heartbeat.interval.ms", "KRaft: how often a broker heartbeats to the controller"),
    ms!("broker_session_timeout_ms", 1.0, HOUR_MS, "broker.session.timeout.ms", "KRaft: a broker is fenced after this long without a heartbeat"),
    ms!("kraft_record_ms", 0.0, 60_000.0, "", "KRaft: the controller building one PartitionChangeRecord"),
    count!("kraft_max_records_per_batch", 1.0, 1_000_000.0, "", "KRaft: records in one metadata log batch"),
    ms!("kraft_commit_ms", 0.0, 600_000.0, "controller.quorum.append.linger.ms + quorum write", "KRaft: from appending a batch to the quorum committing it"),
    ms!("kraft_replay_per_record_ms", 0.0, 60_000.0, "", "KRaft: a broker replaying one metadata record"),
    count!("min_insync_replicas", 1.0, 127.0, "min.insync.replicas", "KRaft with ELR: below this ISR size, replicas leaving the ISR become eligible leader replicas"),
    ParamSpec { name: "eligible_leader_replicas", unit: Unit::Flag, min: 0.0, max: 1.0, choices: &[], kafka_config: "eligible.leader.replicas.version", doc: "KRaft: Eligible Leader Replicas (KIP-966) on (1) or off (0)" },
    ParamSpec { name: "crash_publication", unit: Unit::Choice, min: 0.0, max: 0.0, choices: &["per_partition", "per_batch"], kafka_config: "", doc: "after a crash: publish each partition as soon as it is recorded (the book) or all at once (Kafka's code)" },
    ParamSpec { name: "shutdown_publication", unit: Unit::Choice, min: 0.0, max: 0.0, choices: &["per_partition", "per_batch"], kafka_config: "", doc: "controlled shutdown: one partition per batch (book, Kafka 1.0) or one batch for all (1.1+)" },
    ParamSpec { name: "shutdown_unavailability", unit: Unit::Choice, min: 0.0, max: 0.0, choices: &["switch_over", "own_election"], kafka_config: "", doc: "controlled shutdown: a partition is down only during the switch-over (Kafka's code) or from its own election on (the book's wording)" },
];

/// Where one parameter's value in one profile comes from.
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    pub param: &'static str,
    pub text: &'static str,
    pub estimate: bool,
}

/// A named timing profile.
#[derive(Clone, Debug, Serialize)]
pub struct Profile {
    pub name: &'static str,
    pub title: &'static str,
    pub mode: Mode,
    pub summary: &'static str,
    pub params: Params,
    pub sources: Vec<Source>,
}

/// The built-in profile names, in menu order.
pub const PROFILE_NAMES: &[&str] = &["book", "kafka-1.0", "kafka-1.1", "kafka-2.5", "kraft"];

const MS: i64 = 1000;

fn src(param: &'static str, text: &'static str) -> Source {
    Source {
        param,
        text,
        estimate: false,
    }
}
fn est(param: &'static str, text: &'static str) -> Source {
    Source {
        param,
        text,
        estimate: true,
    }
}

fn zk_1_1() -> Params {
    Params {
        zk_session_timeout_us: 6_000 * MS,
        zk_round_trip_us: 1_500,
        zk_pipelined_op_us: 150,
        zk_max_in_flight: 10,
        controller_per_partition_us: 10,
        propagation_us: MS,
        broker_apply_per_partition_us: 10,
        retry_backoff_us: 100 * MS,
        metadata_refresh_us: MS,
        delivery_timeout_us: 120_000 * MS,
        controller_failover_us: 1_500,
        metadata_load_per_partition_us: 140,
        log_flush_us: 500 * MS,
        controlled_shutdown_max_retries: 3,
        controlled_shutdown_retry_backoff_us: 5_000 * MS,
        broker_heartbeat_interval_us: 2_000 * MS,
        broker_session_timeout_us: 9_000 * MS,
        kraft_record_us: 2,
        kraft_max_records_per_batch: 10_000,
        kraft_commit_us: 30 * MS,
        kraft_replay_per_record_us: 2,
        min_insync_replicas: 1,
        eligible_leader_replicas: 0,
        crash_publication: Publication::PerBatch,
        shutdown_publication: Publication::PerBatch,
        shutdown_unavailability: ShutdownUnavailability::SwitchOver,
    }
}

fn common_client_sources() -> Vec<Source> {
    vec![
        src(
            "retry_backoff_ms",
            "producer default retry.backoff.ms = 100",
        ),
        est(
            "metadata_refresh_ms",
            "one metadata round trip on a LAN (estimate)",
        ),
        src(
            "delivery_timeout_ms",
            "producer default delivery.timeout.ms = 120,000 (Kafka 2.1+)",
        ),
        est(
            "log_flush_ms",
            "depends on unflushed data; 0.5 s is an estimate",
        ),
        src(
            "controlled_shutdown_max_retries",
            "controlled.shutdown.max.retries = 3",
        ),
        src(
            "controlled_shutdown_retry_backoff_ms",
            "controlled.shutdown.retry.backoff.ms = 5,000",
        ),
    ]
}

/// Looks a built-in profile up by name.
pub fn builtin(name: &str) -> Option<Profile> {
    let p = match name {
        "book" => {
            let mut params = zk_1_1();
            params.zk_round_trip_us = 0;
            params.zk_pipelined_op_us = 0;
            params.zk_max_in_flight = 1;
            params.controller_per_partition_us = 200 * MS;
            params.propagation_us = 0;
            params.broker_apply_per_partition_us = 0;
            params.metadata_refresh_us = 0;
            params.controller_failover_us = 0;
            params.metadata_load_per_partition_us = 2 * MS;
            params.crash_publication = Publication::PerPartition;
            params.shutdown_publication = Publication::PerPartition;
            params.shutdown_unavailability = ShutdownUnavailability::OwnElection;
            let mut sources = vec![
                src("controller_per_partition_ms", "the chapter's own assumption: 0.2 s to elect, record and propagate one partition (no Kafka source gives 0.2 s); the engine counts all of it as the partition's own election"),
                est("zk_session_timeout_ms", "not in the chapter; Kafka's default of that era (6 s, up to 2.4)"),
                src("zk_round_trip_ms", "the chapter folds ZooKeeper into its 0.2 s, so 0 here"),
                src("propagation_ms", "the chapter folds propagation into its 0.2 s, so 0 here"),
                src("metadata_load_per_partition_ms", "Jun Rao 2015: about 2 ms per partition to load metadata on controller failover"),
                src("crash_publication", "the chapter: partitions come back one by one, the last waits longest"),
                src("shutdown_unavailability", "the chapter: \"even a controlled shutdown has a brief downtime while an election runs\""),
            ];
            sources.extend(common_client_sources());
            Profile {
                name: "book",
                title: "The book's model",
                mode: Mode::Zookeeper,
                summary: "The chapter's example: 0.2 s per partition, elected, recorded and published one partition after another.",
                params,
                sources,
            }
        }
        "kafka-1.0" => {
            let mut params = zk_1_1();
            params.zk_pipelined_op_us = params.zk_round_trip_us;
            params.zk_max_in_flight = 1;
            params.controller_per_partition_us = 36 * MS;
            params.metadata_load_per_partition_us = 280;
            params.shutdown_publication = Publication::PerPartition;
            let mut sources = vec![
                src("zk_round_trip_ms", "Jun Rao 2018: 30 s for 10,000 partitions after the logging fix = 3 ms per partition = a read and a write of 1.5 ms (measured here: 1.6 to 1.7 ms per synchronous write on a 3-server ensemble)"),
                src("zk_max_in_flight", "Kafka 1.0 uses the synchronous ZooKeeper client: one request at a time"),
                src("controller_per_partition_ms", "derived: 6.5 min (Jun Rao 2018, controlled shutdown of 10,000 partitions) − 30 s (after the logging fix) = 36 ms per partition of logging and work"),
                src("crash_publication", "KafkaController 1.0: LeaderAndIsr/UpdateMetadata sent once after the whole batch"),
                src("shutdown_publication", "KafkaController 1.0: controlled shutdown moves one partition per batch"),
                src("metadata_load_per_partition_ms", "Jun Rao 2018: failover of 100,000 partitions took 28 s in 1.0.0"),
                src("zk_session_timeout_ms", "zookeeper.session.timeout.ms = 6,000 (up to 2.4)"),
                est("propagation_ms", "one LAN request (estimate)"),
                est("broker_apply_per_partition_ms", "estimate"),
                est("controller_failover_ms", "one ZooKeeper create of /controller (estimate)"),
            ];
            sources.extend(common_client_sources());
            Profile {
                name: "kafka-1.0",
                title: "Kafka 1.0 (ZooKeeper, synchronous)",
                mode: Mode::Zookeeper,
                summary: "Synchronous ZooKeeper round trips and heavy per-partition logging; controlled shutdown moves one partition at a time.",
                params,
                sources,
            }
        }
        "kafka-1.1" | "kafka-2.5" => {
            let mut params = zk_1_1();
            let v25 = name == "kafka-2.5";
            if v25 {
                params.zk_session_timeout_us = 18_000 * MS;
            }
            let mut sources = vec![
                src("zk_max_in_flight", "KAFKA-5642: async ZooKeeper client, zookeeper.max.in.flight.requests = 10"),
                src("zk_pipelined_op_ms", "calibrated to Jun Rao 2018 / KAFKA-5642: 10,000 partitions in about 3 s = a pipelined read and write of 0.15 ms each (measured here: 0.18 ms per write, window 10, one server)"),
                src("zk_round_trip_ms", "as Kafka 1.0: 1.5 ms per synchronous request"),
                est("controller_per_partition_ms", "needless logging removed; 10 µs is an estimate"),
                src("crash_publication", "KafkaController: LeaderAndIsr/UpdateMetadata sent once after the whole batch"),
                src("shutdown_publication", "KafkaController 1.1+: one batch for all partitions"),
                src("metadata_load_per_partition_ms", "Jun Rao 2018: failover of 100,000 partitions took 14 s in 1.1.0"),
                est("propagation_ms", "one LAN request (estimate)"),
                est("broker_apply_per_partition_ms", "estimate"),
                est("controller_failover_ms", "one ZooKeeper create of /controller (estimate)"),
            ];
            sources.push(if v25 {
                src(
                    "zk_session_timeout_ms",
                    "KIP-537: zookeeper.session.timeout.ms = 18,000 from 2.5",
                )
            } else {
                src(
                    "zk_session_timeout_ms",
                    "zookeeper.session.timeout.ms = 6,000 (up to 2.4)",
                )
            });
            sources.extend(common_client_sources());
            Profile {
                name: if v25 { "kafka-2.5" } else { "kafka-1.1" },
                title: if v25 {
                    "Kafka 2.5 to 3.9 (ZooKeeper, 18 s session)"
                } else {
                    "Kafka 1.1 (ZooKeeper, async)"
                },
                mode: Mode::Zookeeper,
                summary: if v25 {
                    "As Kafka 1.1, with the 18 s ZooKeeper session timeout of KIP-537."
                } else {
                    "Pipelined ZooKeeper reads and writes (window 10), one batch, published once."
                },
                params,
                sources,
            }
        }
        "kraft" => {
            let mut params = zk_1_1();
            params.controller_failover_us = 1_000 * MS;
            params.metadata_load_per_partition_us = 0;
            params.broker_apply_per_partition_us = 0;
            let mut sources = vec![
                src("broker_heartbeat_interval_ms", "broker.heartbeat.interval.ms = 2,000"),
                src("broker_session_timeout_ms", "broker.session.timeout.ms = 9,000; a crash is noticed 7 to 9 s later, the engine takes the middle (the last heartbeat half an interval before the crash)"),
                src("kraft_max_records_per_batch", "QuorumController: at most 10,000 records per batch"),
                est("kraft_commit_ms", "controller.quorum.append.linger.ms = 25 plus a quorum write of about 5 ms (estimate)"),
                est("kraft_record_ms", "estimate: building one PartitionChangeRecord"),
                est("kraft_replay_per_record_ms", "estimate: a broker replaying one record"),
                src("controller_failover_ms", "controller.quorum.election.timeout.ms = 1,000; standby controllers already hold the log"),
                src("metadata_load_per_partition_ms", "standby controllers replay the log continuously: nothing to load"),
                est("propagation_ms", "one LAN request (estimate)"),
                src("eligible_leader_replicas", "ELR is off by default in 4.0 (on for new clusters from 4.1)"),
            ];
            sources.extend(common_client_sources());
            Profile {
                name: "kraft",
                title: "KRaft (3.x, 4.x) — estimates",
                mode: Mode::Kraft,
                summary: "Heartbeat fencing, PartitionChangeRecords in batches of at most 10,000, quorum commit, brokers replaying. Costs are derived from the mechanism: estimates.",
                params,
                sources,
            }
        }
        _ => return None,
    };
    Some(p)
}

impl Params {
    /// A parameter's value in user units (ms, count, 0/1), or its choice name.
    pub fn get(&self, name: &str) -> Option<ParamValue> {
        use ParamValue::*;
        let ms = |us: i64| Number(us as f64 / 1000.0);
        let n = |c: i64| Number(c as f64);
        Some(match name {
            "zk_session_timeout_ms" => ms(self.zk_session_timeout_us),
            "zk_round_trip_ms" => ms(self.zk_round_trip_us),
            "zk_pipelined_op_ms" => ms(self.zk_pipelined_op_us),
            "zk_max_in_flight" => n(self.zk_max_in_flight),
            "controller_per_partition_ms" => ms(self.controller_per_partition_us),
            "propagation_ms" => ms(self.propagation_us),
            "broker_apply_per_partition_ms" => ms(self.broker_apply_per_partition_us),
            "retry_backoff_ms" => ms(self.retry_backoff_us),
            "metadata_refresh_ms" => ms(self.metadata_refresh_us),
            "delivery_timeout_ms" => ms(self.delivery_timeout_us),
            "controller_failover_ms" => ms(self.controller_failover_us),
            "metadata_load_per_partition_ms" => ms(self.metadata_load_per_partition_us),
            "log_flush_ms" => ms(self.log_flush_us),
            "controlled_shutdown_max_retries" => n(self.controlled_shutdown_max_retries),
            "controlled_shutdown_retry_backoff_ms" => ms(self.controlled_shutdown_retry_backoff_us),
            "broker_heartbeat_interval_ms" => ms(self.broker_heartbeat_interval_us),
            "broker_session_timeout_ms" => ms(self.broker_session_timeout_us),
            "kraft_record_ms" => ms(self.kraft_record_us),
            "kraft_max_records_per_batch" => n(self.kraft_max_records_per_batch),
            "kraft_commit_ms" => ms(self.kraft_commit_us),
            "kraft_replay_per_record_ms" => ms(self.kraft_replay_per_record_us),
            "min_insync_replicas" => n(self.min_insync_replicas),
            "eligible_leader_replicas" => n(self.eligible_leader_replicas),
            "crash_publication" => Choice(publication_name(self.crash_publication)),
            "shutdown_publication" => Choice(publication_name(self.shutdown_publication)),
            "shutdown_unavailability" => Choice(match self.shutdown_unavailability {
                ShutdownUnavailability::SwitchOver => "switch_over",
                ShutdownUnavailability::OwnElection => "own_election",
            }),
            _ => return None,
        })
    }

    /// Sets one parameter from a user value, checking its name, kind and range.
    pub fn set(&mut self, name: &str, value: &ParamValue) -> Result<(), String> {
        let spec = PARAMS.iter().find(|p| p.name == name).ok_or_else(|| {
            format!(
                "unknown parameter `{name}`; known parameters: {}",
                PARAMS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
            )
        })?;
        if spec.unit == Unit::Choice {
            let ParamValue::Choice(c) = value else {
                return Err(format!("`{name}` takes one of {}", spec.choices.join(", ")));
            };
            match (name, *c) {
                ("crash_publication", c) => self.crash_publication = parse_publication(name, c)?,
                ("shutdown_publication", c) => {
                    self.shutdown_publication = parse_publication(name, c)?
                }
                (_, "switch_over") => {
                    self.shutdown_unavailability = ShutdownUnavailability::SwitchOver
                }
                (_, "own_election") => {
                    self.shutdown_unavailability = ShutdownUnavailability::OwnElection
                }
                _ => {
                    return Err(format!(
                        "`{name}` is `{c}`; allowed: {}",
                        spec.choices.join(", ")
                    ))
                }
            }
            return Ok(());
        }
        let ParamValue::Number(v) = *value else {
            return Err(format!(
                "`{name}` takes a number from {} to {}",
                spec.min, spec.max
            ));
        };
        if !v.is_finite() || v < spec.min || v > spec.max {
            return Err(format!(
                "`{name}` is {v}; allowed: {} to {} ({})",
                spec.min,
                spec.max,
                unit_word(spec.unit)
            ));
        }
        if spec.unit != Unit::Ms && v.fract() != 0.0 {
            return Err(format!(
                "`{name}` is {v}; it takes a whole number from {} to {}",
                spec.min, spec.max
            ));
        }
        let us = (v * 1000.0).round() as i64;
        let c = v as i64;
        let slot = match name {
            "zk_session_timeout_ms" => &mut self.zk_session_timeout_us,
            "zk_round_trip_ms" => &mut self.zk_round_trip_us,
            "zk_pipelined_op_ms" => &mut self.zk_pipelined_op_us,
            "controller_per_partition_ms" => &mut self.controller_per_partition_us,
            "propagation_ms" => &mut self.propagation_us,
            "broker_apply_per_partition_ms" => &mut self.broker_apply_per_partition_us,
            "retry_backoff_ms" => &mut self.retry_backoff_us,
            "metadata_refresh_ms" => &mut self.metadata_refresh_us,
            "delivery_timeout_ms" => &mut self.delivery_timeout_us,
            "controller_failover_ms" => &mut self.controller_failover_us,
            "metadata_load_per_partition_ms" => &mut self.metadata_load_per_partition_us,
            "log_flush_ms" => &mut self.log_flush_us,
            "controlled_shutdown_retry_backoff_ms" => {
                &mut self.controlled_shutdown_retry_backoff_us
            }
            "broker_heartbeat_interval_ms" => &mut self.broker_heartbeat_interval_us,
            "broker_session_timeout_ms" => &mut self.broker_session_timeout_us,
            "kraft_record_ms" => &mut self.kraft_record_us,
            "kraft_commit_ms" => &mut self.kraft_commit_us,
            "kraft_replay_per_record_ms" => &mut self.kraft_replay_per_record_us,
            "zk_max_in_flight" => return self.set_count(|p| &mut p.zk_max_in_flight, c),
            "controlled_shutdown_max_retries" => {
                return self.set_count(|p| &mut p.controlled_shutdown_max_retries, c)
            }
            "kraft_max_records_per_batch" => {
                return self.set_count(|p| &mut p.kraft_max_records_per_batch, c)
            }
            "min_insync_replicas" => return self.set_count(|p| &mut p.min_insync_replicas, c),
            "eligible_leader_replicas" => {
                return self.set_count(|p| &mut p.eligible_leader_replicas, c)
            }
            _ => unreachable!("every PARAMS entry is handled"),
        };
        *slot = us;
        Ok(())
    }

    fn set_count(&mut self, slot: impl Fn(&mut Params) -> &mut i64, c: i64) -> Result<(), String> {
        *slot(self) = c;
        Ok(())
    }
}

/// A parameter value as users give it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    Number(f64),
    Choice(&'static str),
}

fn unit_word(u: Unit) -> &'static str {
    match u {
        Unit::Ms => "milliseconds",
        Unit::Count => "a whole number",
        Unit::Flag => "0 or 1",
        Unit::Choice => "a choice",
    }
}

fn publication_name(p: Publication) -> &'static str {
    match p {
        Publication::PerPartition => "per_partition",
        Publication::PerBatch => "per_batch",
    }
}

fn parse_publication(name: &str, c: &str) -> Result<Publication, String> {
    match c {
        "per_partition" => Ok(Publication::PerPartition),
        "per_batch" => Ok(Publication::PerBatch),
        _ => Err(format!(
            "`{name}` is `{c}`; allowed: per_partition, per_batch"
        )),
    }
}

/// Interns a user's choice string as the matching `&'static str` choice of a parameter.
pub fn choice_value(name: &str, value: &str) -> Result<ParamValue, String> {
    let spec = PARAMS
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| format!("unknown parameter `{name}`"))?;
    spec.choices
        .iter()
        .find(|c| **c == value)
        .map(|c| ParamValue::Choice(c))
        .ok_or_else(|| {
            format!(
                "`{name}` is `{value}`; allowed: {}",
                spec.choices.join(", ")
            )
        })
}

/// Every profile with its parameter values and sources, and every parameter's description: what
/// `kafka-election profiles --json` prints and what the page's profile editor shows.
pub fn catalog() -> serde_json::Value {
    use serde_json::json;
    let params: Vec<_> = PARAMS
        .iter()
        .map(|p| json!({"name": p.name, "unit": p.unit, "min": p.min, "max": p.max, "choices": p.choices, "kafka_config": p.kafka_config, "doc": p.doc}))
        .collect();
    let profiles: Vec<_> = PROFILE_NAMES
        .iter()
        .filter_map(|n| builtin(n))
        .map(|p| {
            let values: serde_json::Map<String, serde_json::Value> =
                PARAMS.iter().map(|s| (s.name.to_string(), serde_json::to_value(p.params.get(s.name)).expect("serializable"))).collect();
            json!({"name": p.name, "title": p.title, "mode": p.mode, "summary": p.summary, "parameters": values, "sources": p.sources})
        })
        .collect();
    json!({"profiles": profiles, "parameters": params})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_resolves_and_every_param_round_trips() {
        for name in PROFILE_NAMES {
            let p = builtin(name).expect("built-in profile");
            assert_eq!(p.name, *name);
            for spec in PARAMS {
                let v = p
                    .params
                    .get(spec.name)
                    .unwrap_or_else(|| panic!("{} readable", spec.name));
                let mut copy = p.params.clone();
                copy.set(spec.name, &v)
                    .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
                assert_eq!(copy, p.params, "{} round-trips", spec.name);
            }
            for s in &p.sources {
                assert!(
                    PARAMS.iter().any(|x| x.name == s.param),
                    "source names a real parameter: {}",
                    s.param
                );
            }
        }
        assert!(builtin("kafka-9").is_none());
    }

    #[test]
    fn bad_values_are_refused_with_the_range() {
        let mut p = builtin("kafka-1.1").unwrap().params;
        let e = p
            .set("zk_session_timeout_ms", &ParamValue::Number(-1.0))
            .unwrap_err();
        assert!(e.contains("allowed: 0 to"), "{e}");
        assert!(p.set("zk_max_in_flight", &ParamValue::Number(0.0)).is_err());
        assert!(p.set("zk_max_in_flight", &ParamValue::Number(2.5)).is_err());
        assert!(p
            .set("nope", &ParamValue::Number(1.0))
            .unwrap_err()
            .contains("unknown parameter"));
        assert!(p
            .set("retry_backoff_ms", &ParamValue::Number(f64::NAN))
            .is_err());
        assert!(choice_value("crash_publication", "sometimes").is_err());
        p.set(
            "crash_publication",
            &choice_value("crash_publication", "per_partition").unwrap(),
        )
        .unwrap();
        assert_eq!(p.crash_publication, Publication::PerPartition);
    }
}
