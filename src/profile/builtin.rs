//! The built-in profiles: each parameter's value and where it comes from (`docs/model.md`,
//! "Timing profiles", gives the published figures each one is calibrated to).

use super::{Mode, Params, Profile, Publication, ShutdownUnavailability, Source};

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
        partition_data_mib: 10,
        write_kib_per_s: 10,
        segment_mib: 1024,
        recovery_point_checkpoint_us: 60_000 * MS,
        recovery_mib_per_s: 42,
        segment_load_us: 450,
        recovery_threads_per_data_dir: 1,
        log_dirs: 1,
        replication_mib_per_s: 100,
        auto_leader_rebalance: 1,
        leader_imbalance_check_interval_us: 300_000 * MS,
        leader_imbalance_per_broker_percentage: 10,
    }
}

/// Where the restart's parameters come from (the same in every profile but the thread count).
fn restart_sources(threads: Source) -> Vec<Source> {
    vec![
        est("partition_data_mib", "a classroom size (10 MiB per partition, about 100 GiB for 10,000 partitions); set your own"),
        est("write_kib_per_s", "a classroom rate (10 KiB/s per partition, about 100 MiB/s for 10,000 partitions); set your own"),
        src("segment_mib", "log.segment.bytes = 1 GiB"),
        src("recovery_point_checkpoint_ms", "log.flush.offset.checkpoint.interval.ms = 60,000"),
        src("recovery_mib_per_s", "AutoMQ PR 596: 19 s to recover one 800 MiB partition on one thread (about 42 MiB/s)"),
        src("segment_load_ms", "apache/kafka PR 1215: about 14 to 17 s to load about 40,000 segments on one thread (about 0.45 ms each)"),
        threads,
        src("log_dirs", "one log directory (log.dirs); set your own"),
        est("replication_mib_per_s", "about a 1 Gbit/s link per source broker (num.replica.fetchers = 1); estimate"),
        src("auto_leader_rebalance", "auto.leader.rebalance.enable = true"),
        src("leader_imbalance_check_interval_ms", "leader.imbalance.check.interval.seconds = 300"),
        src("leader_imbalance_per_broker_percentage", "leader.imbalance.per.broker.percentage = 10"),
    ]
}

fn threads_source(p: &Params) -> Source {
    if p.recovery_threads_per_data_dir == 2 {
        src(
            "recovery_threads_per_data_dir",
            "num.recovery.threads.per.data.dir = 2 from Kafka 4.0 (KIP-1030); 1 before",
        )
    } else {
        src(
            "recovery_threads_per_data_dir",
            "num.recovery.threads.per.data.dir = 1 (up to 3.9; 2 from 4.0, KIP-1030)",
        )
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
            sources.extend(restart_sources(threads_source(&params)));
            // The shared source describes a LAN round trip; the book's profile sets 0.
            sources.retain(|s| s.param != "metadata_refresh_ms");
            sources.push(src(
                "metadata_refresh_ms",
                "the chapter does not count the clients' metadata refresh, so 0 here",
            ));
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
            sources.extend(restart_sources(threads_source(&params)));
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
            sources.extend(restart_sources(threads_source(&params)));
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
            params.recovery_threads_per_data_dir = 2;
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
            sources.extend(restart_sources(threads_source(&params)));
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
