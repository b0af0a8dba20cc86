//! Golden scenarios: every readable scenario in `scenarios/` is run and its result compared with
//! `tests/golden/<name>.json`. Regenerate with `UPDATE_GOLDEN=1 cargo test --test golden`, then
//! read the diff against docs/model.md and the chapter before committing it: the chapter's own figures
//! are also asserted below, straight from fresh runs, so a regenerated golden cannot quietly
//! accept a wrong number for them.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::fs;
use std::path::PathBuf;

use kafka_election::{BrokerSet, Fault, RollingRestart, Scenario, Simulation, StepKind, Summary};
use serde_json::{json, Value};

/// Scenarios up to this many partitions keep their full step list in the golden file.
const STEPS_UP_TO: usize = 5;
/// Scenarios up to this many partitions keep every partition's final leader, ISR and epoch.
const PARTITIONS_UP_TO: usize = 100;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scenario_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root().join("scenarios"))
        .expect("scenarios/ exists")
        .filter_map(|e| {
            let p = e.expect("readable dir entry").path();
            (p.extension()? == "json").then(|| p.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    names.sort();
    names
}

fn load(name: &str) -> Scenario {
    let path = root().join("scenarios").join(format!("{name}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(name: &str) -> (Simulation, Summary) {
    let mut sim = Simulation::new(&load(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let summary = sim.run();
    (sim, summary)
}

/// What a golden file holds for one scenario.
fn expected_output(name: &str) -> Value {
    let scenario = load(name);
    if scenario.event == Fault::RollingRestart {
        return rolling_output(name, &scenario);
    }
    let mut sim = Simulation::new(&scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
    let partitions = sim.plan().partitions();
    let mut steps = Vec::new();
    while let Some(s) = sim.step() {
        if partitions <= STEPS_UP_TO {
            steps.push(s);
        }
    }
    let summary = sim.summary();
    let mut out = json!({
        "scenario": name,
        "summary": summary,
        "rows": sim.rows().len(),
        "row_digest": common::fnv1a64(common::row_values(sim.rows())),
    });
    if partitions <= PARTITIONS_UP_TO {
        let finals: Vec<Value> = (0..partitions)
            .map(|p| {
                let st = sim.partition_state(p);
                json!({
                    "partition": p,
                    "replicas": sim.plan().replicas(p),
                    "leader": st.leader,
                    "isr": st.isr.ordered_by(sim.plan().replicas(p)),
                    "epoch": st.epoch,
                })
            })
            .collect();
        out["partitions"] = Value::Array(finals);
    }
    if partitions <= STEPS_UP_TO {
        out["steps"] = serde_json::to_value(&steps).expect("steps serialize");
    }
    out
}

/// A rolling restart's golden output: its summary (with every broker's turn) and a digest of
/// the samples the page charts.
fn rolling_output(name: &str, scenario: &Scenario) -> Value {
    let mut roll = RollingRestart::new(scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
    let summary = roll.run();
    let samples: Vec<i64> = roll
        .samples()
        .iter()
        .flat_map(|s| {
            [
                s.time_us,
                i64::from(s.broker),
                i64::from(s.under_replicated),
                i64::from(s.unavailable),
            ]
        })
        .collect();
    json!({
        "scenario": name,
        "rolling": summary,
        "samples": roll.samples().len(),
        "samples_digest": common::fnv1a64(samples),
    })
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

fn golden_path(name: &str) -> PathBuf {
    root().join("tests/golden").join(format!("{name}.json"))
}

#[test]
fn every_scenario_matches_its_golden_output() {
    let update = updating();
    let names = scenario_names();
    assert!(
        names.len() >= 20,
        "scenarios/ should hold the chapter's cases"
    );
    let mut failures = Vec::new();
    for name in &names {
        let actual = expected_output(name);
        let path = golden_path(name);
        if update {
            let text = serde_json::to_string_pretty(&actual).expect("serializes") + "\n";
            fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else {
            failures.push(format!(
                "{name}: no {} (run with UPDATE_GOLDEN=1)",
                path.display()
            ));
            continue;
        };
        let expected: Value = serde_json::from_str(&text).expect("golden file is JSON");
        if let Some(d) = common::first_difference(&expected, &actual, name) {
            failures.push(d);
        }
    }
    assert!(
        failures.is_empty(),
        "golden mismatches (UPDATE_GOLDEN=1 cargo test --test golden regenerates; review the diff first):\n{}",
        failures.join("\n")
    );
}

#[test]
fn no_stale_golden_files_and_every_scenario_has_a_wasm_parity_check() {
    if updating() {
        return; // the files are being rewritten by the test above; check them on the next run
    }
    let names = scenario_names();
    for entry in fs::read_dir(root().join("tests/golden")).expect("tests/golden exists") {
        let p = entry.expect("dir entry").path();
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        assert!(
            names.iter().any(|n| n == stem),
            "{} has no scenario in scenarios/",
            p.display()
        );
    }
    // The parity test lists its scenarios at compile time (include_str!): keep it complete.
    let parity = fs::read_to_string(root().join("tests/wasm_parity.rs")).expect("parity test");
    for n in &names {
        assert!(
            parity.contains(&format!("\"{n}\"")),
            "tests/wasm_parity.rs does not check scenario {n}"
        );
    }
}

#[test]
fn the_digest_survives_the_trip_through_milliseconds() {
    // wasm's rowTimes() hands out f64 milliseconds; rounding back to µs must be lossless, or the
    // parity digest would compare different numbers.
    for name in [
        "book-10000-crash",
        "kraft-10000-crash",
        "kafka-1.0-failover-100000-crash",
    ] {
        let (sim, _) = run(name);
        let exact = common::row_values(sim.rows());
        let ms: Vec<f64> = exact
            .chunks(common::DIGEST_COLUMNS.len())
            .flat_map(|row| {
                row.iter().enumerate().map(|(c, &v)| {
                    if c == 0 || v == -1 {
                        v as f64
                    } else {
                        v as f64 / 1000.0
                    }
                })
            })
            .collect();
        assert_eq!(common::row_values_from_ms(&ms), exact, "{name}");
    }
}

#[test]
fn scenario_files_are_canonical_and_round_trip() {
    // A scenario file must mean what it says: parsing and re-serializing keeps every field.
    for name in scenario_names() {
        let s = load(&name);
        let again = Scenario::from_json(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(s, again, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// The chapter's and Kafka's published figures (docs/model.md, "Timing profiles"), from fresh runs of the golden scenarios.
// ---------------------------------------------------------------------------------------------

fn s(ids: &[u8]) -> BrokerSet {
    BrokerSet::of(ids)
}

#[test]
fn peter_test02_crash_moves_the_leader_from_1_to_3() {
    let mut sim = Simulation::new(&load("peter-test02-crash")).unwrap();
    let before = sim.partition_state(0);
    assert_eq!((before.leader, before.isr), (Some(1), s(&[1, 3])));
    let mut steps = Vec::new();
    while let Some(st) = sim.step() {
        steps.push(st);
    }
    let after = sim.partition_state(0);
    assert_eq!((after.leader, after.isr), (Some(3), s(&[3])));
    assert!(after.epoch > before.epoch);
    // The chapter's five steps, in order, each at least once.
    let numbered: Vec<u8> = steps.iter().filter_map(|s| s.chapter_step).collect();
    let mut dedup = numbered.clone();
    dedup.dedup();
    assert_eq!(dedup, vec![1, 2, 3, 4, 5], "{numbered:?}");
    // 0.2 s for the one election, after the 6 s session timeout, then one client backoff.
    let sum = sim.summary();
    assert_eq!(sum.detection_ms, 6_000.0);
    assert_eq!(sum.controller_work_ms, 200.0);
    assert_eq!(sum.last_partition_downtime_ms, Some(6_300.0));
}

#[test]
fn peter_test02_controlled_shutdown_follows_the_six_steps() {
    let mut sim = Simulation::new(&load("peter-test02-controlled-shutdown")).unwrap();
    let mut steps = Vec::new();
    while let Some(st) = sim.step() {
        steps.push(st);
    }
    let after = sim.partition_state(0);
    assert_eq!((after.leader, after.isr), (Some(3), s(&[3])));
    let numbered: Vec<u8> = steps.iter().filter_map(|s| s.chapter_step).collect();
    let mut dedup = numbered.clone();
    dedup.dedup();
    assert_eq!(dedup, vec![1, 2, 3, 4, 5, 6], "{numbered:?}");
    assert_eq!(steps.last().unwrap().kind, StepKind::BrokerExited);
    // "A brief downtime while an election runs": the 0.2 s election and one client backoff.
    assert_eq!(sim.summary().max_downtime_ms, Some(300.0));
}

#[test]
fn book_crash_of_10000_takes_2000_seconds_and_the_last_partition_waits_longest() {
    let (sim, sum) = run("book-10000-crash");
    assert_eq!(sum.partitions_affected, 10_000);
    assert_eq!(sum.controller_work_ms, 2_000_000.0);
    let last = sum.last_partition_downtime_ms.unwrap();
    let first = sum.first_partition_downtime_ms.unwrap();
    assert!(last >= 2_000_000.0, "{last}");
    assert!(first < 10_000.0, "{first}");
    assert_eq!(sum.max_downtime_ms, Some(last));
    // One by one: each partition is back 0.2 s after the one before it.
    let rows = sim.rows();
    assert!((1..rows.len()).all(|r| rows.client[r] - rows.client[r - 1] == 200_000));
}

#[test]
fn book_controlled_shutdown_keeps_every_partition_brief() {
    let (_, sum) = run("book-10000-controlled-shutdown");
    assert_eq!(sum.controller_work_ms, 2_000_000.0);
    assert!(sum.max_downtime_ms.unwrap() < 1_000.0, "{sum:?}");
}

#[test]
fn kafka_1_0_controlled_shutdown_of_10000_is_6_5_minutes_of_work_but_no_partition_waits() {
    let (_, sum) = run("kafka-1.0-10000-controlled-shutdown");
    // Jun Rao 2018: 6.5 min = 390 s.
    let work = sum.controller_work_ms;
    assert!((370_000.0..=410_000.0).contains(&work), "{work}");
    assert!(sum.max_downtime_ms.unwrap() < 1_000.0, "{sum:?}");
    assert_eq!(sum.partitions_over_delivery_timeout, 0);
}

#[test]
fn kafka_1_0_crash_publishes_once_so_all_partitions_come_back_together() {
    let (_, sum) = run("kafka-1.0-10000-crash");
    let work = sum.controller_work_ms;
    assert!((370_000.0..=410_000.0).contains(&work), "{work}");
    let (first, last) = (
        sum.first_partition_downtime_ms.unwrap(),
        sum.last_partition_downtime_ms.unwrap(),
    );
    // docs/model.md, "ZooKeeper mode: a crash", step 4: one LeaderAndIsr after the whole batch.
    assert!(last - first < 1_000.0, "{first} vs {last}");
    assert!(first > work, "nobody is back before the batch is written");
}

#[test]
fn kafka_1_1_moves_10000_partitions_in_about_3_seconds() {
    for name in [
        "kafka-1.1-10000-crash",
        "kafka-1.1-10000-controlled-shutdown",
        "kafka-2.5-10000-crash",
        "kafka-2.5-10000-controlled-shutdown",
    ] {
        let (_, sum) = run(name);
        let work = sum.controller_work_ms;
        // Jun Rao 2018: 3 s; KAFKA-5642 measured 3.3 s.
        assert!((2_500.0..=3_500.0).contains(&work), "{name}: {work}");
    }
}

#[test]
fn detection_follows_each_profiles_timeout() {
    for (name, lo, hi) in [
        ("kafka-1.1-10000-crash", 6_000.0, 6_100.0),
        ("kafka-2.5-10000-crash", 18_000.0, 18_100.0),
        // KRaft: fenced 7 to 9 s after the crash, depending on the last heartbeat.
        ("kraft-10000-crash", 7_000.0, 9_000.0),
    ] {
        let (_, sum) = run(name);
        assert!(
            (lo..=hi).contains(&sum.detection_ms),
            "{name}: {}",
            sum.detection_ms
        );
    }
}

#[test]
fn controller_failover_of_100000_partitions_is_28_s_in_1_0_and_14_s_in_1_1() {
    for (name, target) in [
        ("kafka-1.0-failover-100000-crash", 28_000.0),
        ("kafka-1.1-failover-100000-crash", 14_000.0),
    ] {
        let (_, sum) = run(name);
        let failover = sum
            .last_partition_breakdown_ms
            .as_ref()
            .expect("recovered")
            .controller_failover;
        assert!(
            (failover - target).abs() <= target * 0.1,
            "{name}: failover {failover} ms, Jun Rao 2018: {target} ms"
        );
        assert_eq!(sum.partitions_affected, 1_000);
    }
}

#[test]
fn victim_is_controller_delays_the_elections_by_a_failover() {
    for (plain, both) in [
        (
            "kafka-1.1-10000-crash",
            "kafka-1.1-victim-is-controller-crash",
        ),
        ("kraft-10000-crash", "kraft-victim-is-controller-crash"),
    ] {
        let (_, a) = run(plain);
        let (sim, b) = run(both);
        assert_eq!(b.controller, b.victim);
        assert_ne!(sim.controller(), Some(b.victim), "{both}: a new controller");
        assert!(sim.controller().is_some(), "{both}: a new controller");
        let fo = b.last_partition_breakdown_ms.as_ref().unwrap();
        assert!(fo.controller_failover > 0.0, "{both}: {fo:?}");
        assert!(b.detection_ms >= a.detection_ms - 1_000.0, "{both}");
        assert_eq!(b.partitions_recovered, b.partitions_affected);
    }
}

#[test]
fn rf1_partitions_stay_offline_with_or_without_unclean() {
    for name in [
        "kafka-1.1-rf1-crash",
        "kafka-1.1-rf1-unclean-crash",
        "kraft-rf1-crash",
    ] {
        let (sim, sum) = run(name);
        assert_eq!(sum.partitions_recovered, 0, "{name}");
        assert_eq!(sum.partitions_without_leader, 3, "{name}");
        assert_eq!(sum.unclean_elections, 0, "{name}: no live replica at all");
        assert_eq!(sum.partitions_over_delivery_timeout, 3, "{name}");
        for p in 0..3 {
            let st = sim.partition_state(p);
            assert_eq!(st.leader, None, "{name} p{p}");
            // KAFKA-5083 (ZooKeeper) / no empty ISR without ELR (KRaft): the last member stays.
            assert_eq!(st.isr, s(&[1]), "{name} p{p}");
        }
    }
}

#[test]
fn a_lagging_follower_comes_back_only_through_an_unclean_election() {
    let (sim, sum) = run("kafka-1.1-lagging-follower-crash");
    assert_eq!(sim.partition_state(0).leader, None);
    assert_eq!(sim.partition_state(1).leader, Some(2));
    assert_eq!((sum.partitions_recovered, sum.unclean_elections), (1, 0));
    for name in [
        "kafka-1.1-lagging-follower-unclean-crash",
        "kraft-lagging-follower-unclean-crash",
    ] {
        let (sim, sum) = run(name);
        let st = sim.partition_state(0);
        assert_eq!((st.leader, st.isr), (Some(3), s(&[3])), "{name}");
        assert_eq!(sim.partition_state(1).leader, Some(2), "{name}");
        assert_eq!((sum.partitions_recovered, sum.unclean_elections), (2, 1));
    }
}

#[test]
fn the_victim_leaves_the_isrs_of_partitions_it_follows() {
    for name in [
        "kafka-1.1-kafka-layout-6x3-crash",
        "kafka-1.1-kafka-layout-6x3-controlled-shutdown",
        "kraft-kafka-layout-6x3-crash",
        "kraft-kafka-layout-6x3-controlled-shutdown",
    ] {
        let (sim, sum) = run(name);
        let plan = sim.plan();
        let followed = (0..plan.partitions())
            .filter(|&p| plan.replicas(p)[1..].contains(&1))
            .count();
        assert!(followed > 0, "{name}: the layout makes broker 1 a follower");
        assert_eq!(sum.isr_shrinks, followed, "{name}");
        for p in 0..plan.partitions() {
            let st = sim.partition_state(p);
            assert!(!st.isr.contains(1), "{name} p{p}: {st:?}");
            assert_ne!(st.leader, Some(1), "{name} p{p}");
            let expected = if plan.replicas(p).contains(&1) { 2 } else { 3 };
            assert_eq!(st.isr.len(), expected, "{name} p{p}: RF 3 minus the victim");
        }
    }
}

#[test]
fn assignment_order_not_id_order_picks_the_leader() {
    let (sim, _) = run("kafka-1.1-assignment-order-crash");
    assert_eq!(sim.partition_state(0).leader, Some(4));
    assert_eq!(sim.partition_state(1).leader, Some(2));
}

#[test]
fn every_profile_crash_waits_far_longer_than_a_controlled_shutdown() {
    for profile in ["book", "kafka-1.0", "kafka-1.1", "kafka-2.5", "kraft"] {
        let (_, crash) = run(&format!("{profile}-10000-crash"));
        let (_, cs) = run(&format!("{profile}-10000-controlled-shutdown"));
        let (a, b) = (
            crash.last_partition_downtime_ms.unwrap(),
            cs.max_downtime_ms.unwrap(),
        );
        assert!(a > 10.0 * b, "{profile}: crash {a} vs shutdown {b}");
    }
}

#[test]
fn golden_files_are_readable_json_with_the_digest() {
    // Guards the golden format itself: a regenerated file with a missing field fails here.
    if updating() {
        return;
    }
    for name in scenario_names() {
        let text = fs::read_to_string(golden_path(&name)).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["scenario"], Value::from(name.as_str()));
        if v.get("rolling").is_some() {
            assert!(v["samples_digest"]
                .as_str()
                .unwrap()
                .starts_with("fnv1a64:"));
            assert!(v["rolling"]["per_broker"]
                .as_array()
                .is_some_and(|b| !b.is_empty()));
            continue;
        }
        assert!(v["row_digest"].as_str().unwrap().starts_with("fnv1a64:"));
        let partitions = v["summary"]["partitions"].as_u64().unwrap() as usize;
        assert_eq!(
            v.get("steps").is_some(),
            partitions <= STEPS_UP_TO,
            "{name}"
        );
    }
}
