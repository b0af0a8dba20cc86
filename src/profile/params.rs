//! Every profile parameter, declared once: its field, the name users write, its unit and range,
//! the Kafka setting it stands for, the controller modes that read it, and what it means. The
//! `Params` struct, the `PARAMS` table and reading/writing by name are all generated from that
//! one line, so a new parameter is one line here (and a value in `builtin.rs`).

use serde::Serialize;

use super::{Mode, Publication, ShutdownUnavailability};

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
    /// The controller modes whose procedures read this parameter.
    pub modes: &'static [Mode],
}

/// A parameter value as users give it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    Number(f64),
    Choice(&'static str),
}

/// The choices a field's type offers (none for numbers).
pub trait Choices {
    const CHOICES: &'static [&'static str] = &[];
}

/// How a field reads and writes its user value.
trait Field {
    fn get(&self, spec: &ParamSpec) -> ParamValue;
    fn put(&mut self, spec: &ParamSpec, value: &ParamValue) -> Result<(), String>;
}

impl Choices for i64 {}

/// Numbers: ms are kept as integer µs, counts and flags as they are.
impl Field for i64 {
    fn get(&self, spec: &ParamSpec) -> ParamValue {
        ParamValue::Number(match spec.unit {
            Unit::Ms => *self as f64 / 1000.0,
            _ => *self as f64,
        })
    }
    fn put(&mut self, spec: &ParamSpec, value: &ParamValue) -> Result<(), String> {
        let name = spec.name;
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
        *self = match spec.unit {
            Unit::Ms => (v * 1000.0).round() as i64,
            _ => v as i64,
        };
        Ok(())
    }
}

/// An enum parameter whose variants users write by name.
macro_rules! choice_field {
    ($ty:ty { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl Choices for $ty {
            const CHOICES: &'static [&'static str] = &[$($text),+];
        }
        impl Field for $ty {
            fn get(&self, _: &ParamSpec) -> ParamValue {
                ParamValue::Choice(match self { $(<$ty>::$variant => $text),+ })
            }
            fn put(&mut self, spec: &ParamSpec, value: &ParamValue) -> Result<(), String> {
                let ParamValue::Choice(c) = value else {
                    return Err(format!("`{}` takes one of {}", spec.name, spec.choices.join(", ")));
                };
                *self = match *c {
                    $($text => <$ty>::$variant,)+
                    _ => return Err(format!(
                        "`{}` is `{c}`; allowed: {}",
                        spec.name,
                        spec.choices.join(", ")
                    )),
                };
                Ok(())
            }
        }
    };
}

choice_field!(Publication { PerPartition = "per_partition", PerBatch = "per_batch" });
choice_field!(ShutdownUnavailability { SwitchOver = "switch_over", OwnElection = "own_election" });

fn unit_word(u: Unit) -> &'static str {
    match u {
        Unit::Ms => "milliseconds",
        Unit::Count => "a whole number",
        Unit::Flag => "0 or 1",
        Unit::Choice => "a choice",
    }
}

macro_rules! parameters {
    ($(
        $field:ident: $ty:ty, $name:literal, $unit:ident, $min:expr, $max:expr, $cfg:literal,
        [$($mode:ident),+], $doc:literal;
    )+) => {
        /// Every tunable number of a profile, in integer microseconds or plain counts.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        pub struct Params {
            $(pub $field: $ty,)+
        }

        /// Every parameter, in the order the CLI and the page list them.
        pub const PARAMS: &[ParamSpec] = &[$(ParamSpec {
            name: $name,
            unit: Unit::$unit,
            min: $min,
            max: $max,
            choices: <$ty as Choices>::CHOICES,
            kafka_config: $cfg,
            doc: $doc,
            modes: &[$(Mode::$mode),+],
        },)+];

        impl Params {
            fn field(&self, name: &str) -> Option<&dyn Field> {
                match name {
                    $($name => Some(&self.$field),)+
                    _ => None,
                }
            }
            fn field_mut(&mut self, name: &str) -> Option<&mut dyn Field> {
                match name {
                    $($name => Some(&mut self.$field),)+
                    _ => None,
                }
            }
        }
    };
}

const HOUR_MS: f64 = 3_600_000.0;
const DAY_MS: f64 = 24.0 * HOUR_MS;

// field: type, name, unit, min, max, Kafka setting, modes that read it, meaning.
#[rustfmt::skip]
parameters! {
    zk_session_timeout_us: i64, "zk_session_timeout_ms", Ms, 0.0, HOUR_MS, "zookeeper.session.timeout.ms", [Zookeeper], "time from a broker's crash until ZooKeeper expires its session and deletes /brokers/ids/<id>";
    zk_round_trip_us: i64, "zk_round_trip_ms", Ms, 0.0, 60_000.0, "", [Zookeeper], "one synchronous ZooKeeper request, from send to reply";
    zk_pipelined_op_us: i64, "zk_pipelined_op_ms", Ms, 0.0, 60_000.0, "", [Zookeeper], "the time ZooKeeper needs per request when many are in flight (its throughput limit)";
    zk_max_in_flight: i64, "zk_max_in_flight", Count, 1.0, 100_000.0, "zookeeper.max.in.flight.requests", [Zookeeper], "ZooKeeper requests the controller keeps outstanding; 1 means one synchronous request at a time";
    controller_per_partition_us: i64, "controller_per_partition_ms", Ms, 0.0, 60_000.0, "", [Zookeeper], "the controller's own work per partition: choosing the leader, building requests, logging";
    propagation_us: i64, "propagation_ms", Ms, 0.0, 60_000.0, "", [Zookeeper, Kraft], "a request between the controller and a broker (LeaderAndIsr, UpdateMetadata, ControlledShutdown, heartbeat, metadata fetch)";
    broker_apply_per_partition_us: i64, "broker_apply_per_partition_ms", Ms, 0.0, 60_000.0, "", [Zookeeper], "a broker applying one partition of a LeaderAndIsr request or one metadata record";
    retry_backoff_us: i64, "retry_backoff_ms", Ms, 0.0, 600_000.0, "retry.backoff.ms", [Zookeeper, Kraft], "a producer's wait before retrying after NOT_LEADER_OR_FOLLOWER or a disconnect";
    metadata_refresh_us: i64, "metadata_refresh_ms", Ms, 0.0, 600_000.0, "", [Zookeeper, Kraft], "a client's metadata request that finds the new leader";
    delivery_timeout_us: i64, "delivery_timeout_ms", Ms, 1.0, DAY_MS, "delivery.timeout.ms", [Zookeeper, Kraft], "how long a producer keeps retrying a record before failing it";
    controller_failover_us: i64, "controller_failover_ms", Ms, 0.0, HOUR_MS, "controller.quorum.election.timeout.ms (KRaft)", [Zookeeper, Kraft], "electing a new controller once the old one is known to be gone";
    metadata_load_per_partition_us: i64, "metadata_load_per_partition_ms", Ms, 0.0, 60_000.0, "", [Zookeeper], "a new controller loading one partition's state before it can act";
    log_flush_us: i64, "log_flush_ms", Ms, 0.0, HOUR_MS, "", [Zookeeper, Kraft], "a broker flushing its logs and writing .kafka_cleanshutdown before a clean exit";
    controlled_shutdown_max_retries: i64, "controlled_shutdown_max_retries", Count, 0.0, 100.0, "controlled.shutdown.max.retries", [Zookeeper], "ControlledShutdown attempts before a broker shuts down anyway (Kafka counts attempts; 0 skips the controlled shutdown)";
    controlled_shutdown_retry_backoff_us: i64, "controlled_shutdown_retry_backoff_ms", Ms, 0.0, HOUR_MS, "controlled.shutdown.retry.backoff.ms", [Zookeeper], "wait between ControlledShutdown attempts";
    broker_heartbeat_interval_us: i64, "broker_heartbeat_interval_ms", Ms, 1.0, HOUR_MS, "broker.heartbeat.interval.ms", [Kraft], "KRaft: how often a broker heartbeats to the controller";
    broker_session_timeout_us: i64, "broker_session_timeout_ms", Ms, 1.0, HOUR_MS, "broker.session.timeout.ms", [Kraft], "KRaft: a broker is fenced after this long without a heartbeat";
    kraft_record_us: i64, "kraft_record_ms", Ms, 0.0, 60_000.0, "", [Kraft], "KRaft: the controller building one PartitionChangeRecord";
    kraft_max_records_per_batch: i64, "kraft_max_records_per_batch", Count, 1.0, 1_000_000.0, "", [Kraft], "KRaft: records in one metadata log batch";
    kraft_commit_us: i64, "kraft_commit_ms", Ms, 0.0, 600_000.0, "controller.quorum.append.linger.ms + quorum write", [Kraft], "KRaft: from appending a batch to the quorum committing it";
    kraft_replay_per_record_us: i64, "kraft_replay_per_record_ms", Ms, 0.0, 60_000.0, "", [Kraft], "KRaft: a broker replaying one metadata record";
    min_insync_replicas: i64, "min_insync_replicas", Count, 1.0, 127.0, "min.insync.replicas", [Kraft], "KRaft with ELR: below this ISR size, replicas leaving the ISR become eligible leader replicas";
    eligible_leader_replicas: i64, "eligible_leader_replicas", Flag, 0.0, 1.0, "eligible.leader.replicas.version", [Kraft], "KRaft: Eligible Leader Replicas (KIP-966) on (1) or off (0)";
    crash_publication: Publication, "crash_publication", Choice, 0.0, 0.0, "", [Zookeeper], "after a crash: publish each partition as soon as it is recorded (the book) or all at once (Kafka's code)";
    shutdown_publication: Publication, "shutdown_publication", Choice, 0.0, 0.0, "", [Zookeeper], "controlled shutdown: one partition per batch (book, Kafka 1.0) or one batch for all (1.1+)";
    shutdown_unavailability: ShutdownUnavailability, "shutdown_unavailability", Choice, 0.0, 0.0, "", [Zookeeper, Kraft], "controlled shutdown: a partition is down only during the switch-over (Kafka's code) or from its own election on (the book's wording)";
    partition_data_mib: i64, "partition_data_mib", Count, 0.0, 1_048_576.0, "", [Zookeeper, Kraft], "restart: the data in each partition's log on the victim (MiB)";
    write_kib_per_s: i64, "write_kib_per_s", Count, 0.0, 1_048_576.0, "", [Zookeeper, Kraft], "restart: producers' write rate into each partition (KiB/s): what a returning follower must fetch";
    segment_mib: i64, "segment_mib", Count, 1.0, 16_384.0, "log.segment.bytes", [Zookeeper, Kraft], "restart: the size at which a log rolls to a new segment (MiB)";
    recovery_point_checkpoint_us: i64, "recovery_point_checkpoint_ms", Ms, 1.0, DAY_MS, "log.flush.offset.checkpoint.interval.ms", [Zookeeper, Kraft], "restart: how often each log directory's recovery points are checkpointed";
    recovery_mib_per_s: i64, "recovery_mib_per_s", Count, 1.0, 100_000.0, "", [Zookeeper, Kraft], "restart after a crash: one recovery thread re-reading and re-indexing data past the recovery point (MiB/s)";
    segment_load_us: i64, "segment_load_ms", Ms, 0.0, 60_000.0, "", [Zookeeper, Kraft], "restart: loading one segment and its indexes (after a clean exit, all there is to do)";
    recovery_threads_per_data_dir: i64, "recovery_threads_per_data_dir", Count, 1.0, 256.0, "num.recovery.threads.per.data.dir", [Zookeeper, Kraft], "restart: threads loading or recovering logs, per log directory";
    log_dirs: i64, "log_dirs", Count, 1.0, 64.0, "log.dirs", [Zookeeper, Kraft], "restart: log directories on the victim (partitions spread evenly over them)";
    replication_mib_per_s: i64, "replication_mib_per_s", Count, 1.0, 100_000.0, "num.replica.fetchers", [Zookeeper, Kraft], "restart: what a follower fetches from one leader broker (one fetcher thread per source broker, MiB/s)";
    auto_leader_rebalance: i64, "auto_leader_rebalance", Flag, 0.0, 1.0, "auto.leader.rebalance.enable", [Zookeeper, Kraft], "restart: the controller moves leadership back to preferred replicas on its own (1) or not (0)";
    leader_imbalance_check_interval_us: i64, "leader_imbalance_check_interval_ms", Ms, 1.0, DAY_MS, "leader.imbalance.check.interval.seconds", [Zookeeper, Kraft], "restart: how often the controller checks leadership balance";
    leader_imbalance_per_broker_percentage: i64, "leader_imbalance_per_broker_percentage", Count, 0.0, 100.0, "leader.imbalance.per.broker.percentage", [Zookeeper, Kraft], "restart: a broker is rebalanced when more than this percentage of its preferred leaderships are held elsewhere";
}

impl Params {
    /// A parameter's value in user units (ms, count, 0/1), or its choice name.
    pub fn get(&self, name: &str) -> Option<ParamValue> {
        let spec = spec(name)?;
        self.field(name).map(|f| f.get(spec))
    }

    /// Sets one parameter from a user value, checking its name, kind and range.
    pub fn set(&mut self, name: &str, value: &ParamValue) -> Result<(), String> {
        let spec = spec(name).ok_or_else(|| {
            format!(
                "unknown parameter `{name}`; known parameters: {}",
                PARAMS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
            )
        })?;
        self.field_mut(name)
            .expect("every PARAMS entry has a field")
            .put(spec, value)
    }
}

/// A parameter's description by name.
pub fn spec(name: &str) -> Option<&'static ParamSpec> {
    PARAMS.iter().find(|p| p.name == name)
}
