//! The broker's return and rolling restarts (docs/model.md, "After the fault"): the lifecycle's
//! rules and invariants over many clusters — a replica is in the ISR only once caught up, a
//! partition's downtime parts still add up, nothing is under-replicated at the end of a completed
//! run, a clean restart never recovers more than a crash — and the CLI's contract.
#![cfg(not(target_arch = "wasm32"))]

use kafka_election::results::{DowntimePart, NEVER};
use kafka_election::scenario::{LeaderRebalance, RestartSpec};
use kafka_election::{Fault, Lifecycle, RollingRestart, Scenario, Simulation};
use proptest::prelude::*;
use serde_json::Value;

fn scenario(
    profile: &str,
    event: Fault,
    partitions: u32,
    brokers: u32,
    rf: u32,
    sole: f64,
) -> Scenario {
    let mut s = Scenario::with_partitions(partitions);
    s.profile = profile.into();
    s.event = event;
    s.cluster.brokers = brokers;
    let t = &mut s.cluster.topics[0];
    t.replication_factor = rf;
    t.layout = kafka_election::scenario::Layout::Kafka;
    t.sole_isr_fraction = Some(sole);
    s.restart = Some(RestartSpec {
        after_ms: 30_000.0,
        leader_rebalance: LeaderRebalance::Auto,
        rolling_stop: Fault::ControlledShutdown,
    });
    s
}

/// Steps a run to the end, checking at every step that the victim is in a partition's ISR only
/// outside its under-replicated interval, i.e. only once it has caught up.
fn run_checked(s: &Scenario) -> Simulation {
    let mut sim = Simulation::new(s).unwrap();
    let victim = sim.plan().victim;
    while let Some(step) = sim.step() {
        let now = step.time_us;
        let (left, back) = sim.under_replicated();
        for p in 0..left.len() {
            let out = left[p] != NEVER && left[p] <= now && (back[p] == NEVER || back[p] > now);
            if out {
                assert!(
                    !sim.partition_state(p).isr.contains(victim),
                    "partition {p} at {now} µs: back in the ISR before catching up"
                );
            }
        }
    }
    sim
}

fn check_invariants(s: &Scenario) {
    let sim = run_checked(s);
    let t = sim.restart_times().expect("a return");
    let victim = sim.plan().victim;
    let summary = sim.summary();
    // Completed: serving, in sync, every partition led, nothing under-replicated.
    assert_ne!(t.serving_us, NEVER);
    assert_ne!(t.in_sync_us, NEVER, "in sync at the end");
    assert_eq!(t.still_under_replicated, 0);
    assert_eq!(sim.cluster().lifecycle(victim), Lifecycle::Running);
    assert_eq!(
        summary.partitions_without_leader, 0,
        "every partition that waited is back"
    );
    for p in 0..sim.plan().partitions() {
        let reg = sim.partition_state(p);
        assert!(reg.leader.is_some(), "partition {p} has a leader");
        if sim.plan().replicas(p).contains(&victim) && reg.leader != Some(victim) {
            assert!(
                reg.isr.contains(victim),
                "partition {p}: the victim is back in the ISR"
            );
        }
    }
    // Downtime parts add up, the restart part included.
    let rows = sim.rows();
    for r in 0..rows.len() {
        let b = rows.breakdown(r, sim.run_times()).expect("recovered");
        assert_eq!(b.total(), rows.downtime(r).unwrap(), "row {r}");
        if rows.returned[r] == NEVER {
            assert_eq!(b.get(DowntimePart::Restart), 0);
        } else {
            assert!(
                b.get(DowntimePart::Restart) > 0,
                "row {r} waited for the return"
            );
        }
    }
    let r = summary.restart.as_ref().expect("restart figures");
    assert!(r.under_replicated_until_ms.unwrap() >= r.broker_serving_ms.unwrap());
    assert!(r.broker_serving_ms.unwrap() >= r.restart_after_ms + r.log_recovery_ms);
}

#[test]
fn restarts_keep_the_lifecycle_s_invariants() {
    for profile in ["book", "kafka-1.0", "kafka-2.5", "kraft"] {
        for event in Fault::ALL {
            for (brokers, rf) in [(3, 2), (5, 3)] {
                check_invariants(&scenario(profile, event, 60, brokers, rf, 0.2));
            }
        }
    }
}

#[test]
fn a_clean_restart_never_recovers_more_than_a_crash() {
    for profile in ["kafka-2.5", "kraft"] {
        let crash = Simulation::new(&scenario(profile, Fault::Crash, 500, 3, 2, 0.1))
            .unwrap()
            .run();
        let clean = Simulation::new(&scenario(
            profile,
            Fault::ControlledShutdown,
            500,
            3,
            2,
            0.1,
        ))
        .unwrap()
        .run();
        let (c, k) = (crash.restart.unwrap(), clean.restart.unwrap());
        assert!(!c.clean_shutdown && k.clean_shutdown);
        assert!(k.log_recovery_ms <= c.log_recovery_ms, "{profile}");
        assert_eq!(k.log_recovered_mib, 0.0);
        assert!(c.log_recovered_mib > 0.0);
        // The partitions that waited for the broker wait far longer after a crash.
        assert!(
            crash.max_downtime_ms.unwrap() > clean.max_downtime_ms.unwrap(),
            "{profile}"
        );
    }
}

#[test]
fn leadership_comes_back_as_asked() {
    let mut s = scenario("kafka-2.5", Fault::Crash, 300, 3, 2, 0.0);
    let run = |s: &Scenario| Simulation::new(s).unwrap().run().restart.unwrap();
    let auto = run(&s);
    let interval = 300_000.0;
    let b = auto.leadership_balanced_ms.unwrap();
    assert!(b >= auto.under_replicated_until_ms.unwrap());
    assert!(b % interval < 1_000.0, "auto: at a periodic check ({b} ms)");
    s.restart.as_mut().unwrap().leader_rebalance = LeaderRebalance::Immediate;
    let now = run(&s);
    assert!(now.leadership_balanced_ms.unwrap() < b);
    assert_eq!(now.preferred_leaders_moved, auto.preferred_leaders_moved);
    s.restart.as_mut().unwrap().leader_rebalance = LeaderRebalance::Off;
    let off = run(&s);
    assert_eq!(
        (off.leadership_balanced_ms, off.preferred_leaders_moved),
        (None, 0)
    );
    // Auto with the controller's check turned off moves nothing either.
    s.restart.as_mut().unwrap().leader_rebalance = LeaderRebalance::Auto;
    s.parameters.insert(
        "auto_leader_rebalance".into(),
        kafka_election::scenario::Override::Number(0.0),
    );
    let disabled = run(&s);
    assert_eq!(
        (
            disabled.leadership_balanced_ms,
            disabled.preferred_leaders_moved
        ),
        (None, 0)
    );
}

#[test]
fn a_follower_that_cannot_keep_up_never_rejoins() {
    let mut s = scenario("kafka-2.5", Fault::Crash, 100, 3, 2, 0.0);
    // 100 partitions × 2 MiB/s of writes against a 1 MiB/s fetcher.
    for (k, v) in [("write_kib_per_s", 2048.0), ("replication_mib_per_s", 1.0)] {
        s.parameters
            .insert(k.into(), kafka_election::scenario::Override::Number(v));
    }
    let summary = Simulation::new(&s).unwrap().run();
    let r = summary.restart.unwrap();
    assert_eq!(r.under_replicated_until_ms, None);
    assert!(r.under_replicated_partition_seconds > 0.0);
}

#[test]
fn a_rolling_restart_goes_broker_by_broker_the_controller_last() {
    for stop in [Fault::ControlledShutdown, Fault::Crash] {
        let mut s = scenario("kafka-2.5", Fault::RollingRestart, 120, 4, 3, 0.0);
        s.restart.as_mut().unwrap().rolling_stop = stop;
        s.cluster.controller = Some(2);
        let summary = RollingRestart::new(&s).unwrap().run();
        let order: Vec<u8> = summary.per_broker.iter().map(|t| t.broker).collect();
        assert_eq!(order, vec![1, 3, 4, 2]);
        for w in summary.per_broker.windows(2) {
            assert_eq!(
                Some(w[1].stopped_ms),
                w[0].in_sync_ms,
                "the next stops when the last is in sync"
            );
        }
        let total = summary.rolling_restart_ms.unwrap();
        assert_eq!(Some(total), summary.per_broker.last().unwrap().in_sync_ms);
        let turns: f64 = summary
            .per_broker
            .iter()
            .map(|t| t.unavailable_partition_seconds)
            .sum();
        assert!((turns - summary.unavailable_partition_seconds).abs() < 1e-6);
    }
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let o = kafka_election::cli::main(&args, &|_| Err("no files".into()), &|| Ok(String::new()));
    (o.code, o.stdout, o.stderr)
}

#[test]
fn the_cli_contract() {
    let (code, out, _) = cli(&[
        "run",
        "--profile",
        "kafka-2.5",
        "--partitions",
        "200",
        "--restart-after-ms",
        "60000",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    for key in [
        "restart_after_ms",
        "log_recovery_ms",
        "broker_serving_ms",
        "under_replicated_until_ms",
        "under_replicated_partition_seconds",
        "leadership_balanced_ms",
    ] {
        assert!(v["restart"].get(key).is_some(), "restart.{key}");
    }
    assert_eq!(v["restart"]["restart_after_ms"], 60000.0);
    let (code, out, _) = cli(&[
        "run",
        "--event",
        "rolling-restart",
        "--partitions",
        "200",
        "--rolling-stop",
        "crash",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    for key in [
        "rolling_restart_ms",
        "unavailable_partition_seconds",
        "under_replicated_partition_seconds",
        "partitions_over_delivery_timeout",
        "per_broker",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["rolling_stop"], "crash");
    // Bad values exit 2 naming the field.
    for (args, names) in [
        (vec!["run", "--restart-after-ms", "-5"], "restart.after_ms"),
        (
            vec!["run", "--restart-after-ms", "soon"],
            "--restart-after-ms",
        ),
        (
            vec![
                "run",
                "--leader-rebalance",
                "sometimes",
                "--restart-after-ms",
                "1",
            ],
            "--leader-rebalance",
        ),
        (
            vec!["run", "--leader-rebalance", "off"],
            "--restart-after-ms",
        ),
        (
            vec!["run", "--rolling-stop", "crash", "--restart-after-ms", "1"],
            "--rolling-stop",
        ),
        (vec!["run", "--sole-isr-fraction", "2"], "sole_isr_fraction"),
        (
            vec!["run", "--event", "rolling-restart", "--brokers", "1"],
            "event",
        ),
        (vec!["run", "--event", "rolling-restart", "--csv"], "--csv"),
        (
            vec![
                "run",
                "--profile",
                "kraft",
                "--eligible-leader-replicas",
                "1",
                "--restart-after-ms",
                "1",
            ],
            "parameters.eligible_leader_replicas",
        ),
    ] {
        let (code, out, err) = cli(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert!(err.contains(names), "{args:?}: {err}");
    }
    // Without a restart nothing changes: no `restart` key.
    let (_, out, _) = cli(&["run", "--partitions", "50", "--json"]);
    assert!(!out.contains("\"restart\""));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_restart_keeps_the_invariants(
        profile in prop::sample::select(vec!["book", "kafka-1.0", "kafka-1.1", "kafka-2.5", "kraft"]),
        crash in any::<bool>(),
        partitions in 1u32..80,
        brokers in 2u32..6,
        rf in 1u32..4,
        sole in 0.0f64..1.0,
        after_s in 0u32..4_000,
        immediate in any::<bool>(),
    ) {
        let rf = rf.min(brokers);
        let event = if crash { Fault::Crash } else { Fault::ControlledShutdown };
        let mut s = scenario(profile, event, partitions, brokers, rf, sole);
        let r = s.restart.as_mut().unwrap();
        r.after_ms = f64::from(after_s) * 1000.0;
        if immediate {
            r.leader_rebalance = LeaderRebalance::Immediate;
        }
        check_invariants(&s);
    }
}

#[test]
fn compare_sets_a_clean_roll_beside_a_kill_9_roll() {
    let (code, out, _) = cli(&[
        "compare",
        "--event",
        "rolling-restart",
        "--partitions",
        "300",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["controlled_shutdown"]["rolling_stop"],
        "controlled-shutdown"
    );
    assert_eq!(v["crash"]["rolling_stop"], "crash");
    let t = |k: &str| v[k]["rolling_restart_ms"].as_f64().unwrap();
    assert!(
        t("crash") > t("controlled_shutdown"),
        "log recovery makes the kill -9 roll longer"
    );
}

#[test]
fn compare_shows_the_crash_s_recovery_beside_the_clean_load() {
    let (code, out, _) = cli(&[
        "compare",
        "--profile",
        "kafka-2.5",
        "--partitions",
        "500",
        "--restart-after-ms",
        "1000",
    ]);
    assert_eq!(code, 0);
    let line = out
        .lines()
        .find(|l| l.starts_with("log recovery / loading"))
        .expect("a restart row");
    let v: Value = serde_json::from_str(
        &cli(&[
            "compare",
            "--profile",
            "kafka-2.5",
            "--partitions",
            "500",
            "--restart-after-ms",
            "1000",
            "--json",
        ])
        .1,
    )
    .unwrap();
    let (crash, clean) = (
        v["crash"]["restart"]["log_recovery_ms"].as_f64().unwrap(),
        v["controlled_shutdown"]["restart"]["log_recovery_ms"]
            .as_f64()
            .unwrap(),
    );
    assert!(crash > clean);
    assert!(
        line.contains(&kafka_election::cli::duration(crash))
            && line.contains(&kafka_election::cli::duration(clean)),
        "{line}"
    );
}

#[test]
fn csv_and_events_carry_the_return() {
    let args = [
        "run",
        "--profile",
        "kafka-2.5",
        "--partitions",
        "50",
        "--sole-isr-fraction",
        "0.2",
    ];
    let (_, plain, _) = cli(&[&args[..], &["--csv"]].concat());
    let (code, csv, _) = cli(&[&args[..], &["--csv", "--restart-after-ms", "5000"]].concat());
    assert_eq!(code, 0);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert!(
        !plain.lines().next().unwrap().contains("restart"),
        "no restart columns without a restart"
    );
    assert_eq!(header[header.len() - 2..], ["restart_ms", "returned_ms"]);
    // The partitions that waited for the broker have a return time and a restart part; the
    // parts still add up to the downtime.
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let waited: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| !c[col("returned_ms")].is_empty())
        .collect();
    assert_eq!(waited.len(), 10, "a fifth of 50 partitions waited");
    for c in &waited {
        let parts: f64 = header
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                h.ends_with("_ms")
                    && kafka_election::results::PARTS
                        .iter()
                        .any(|p| format!("{p}_ms") == **h)
            })
            .map(|(i, _)| c[i].parse::<f64>().unwrap())
            .sum();
        let downtime: f64 = c[col("downtime_ms")].parse().unwrap();
        assert!((parts - downtime).abs() < 1e-6, "{parts} vs {downtime}");
        assert!(c[col("restart_ms")].parse::<f64>().unwrap() > 0.0);
    }
    let (_, events, _) = cli(&[&args[..], &["--events", "--restart-after-ms", "5000"]].concat());
    for kind in [
        "broker_restarted",
        "logs_recovered",
        "broker_registered",
        "broker_startup",
        "broker_serving",
        "replicas_caught_up",
        "isr_expanded",
        "return_leaders_serving",
    ] {
        assert!(events.contains(kind), "--events lacks {kind}");
    }
}
