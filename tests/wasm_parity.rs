//! Native-vs-wasm parity (docs/model.md, "Design"; the fourth test layer): every golden scenario, run through the
//! page's own API (`kafka_election::wasm`), must give exactly the native golden output: the same
//! summary, the same per-row times (by digest), the same final partition states and steps.
//!
//! Run: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!       cargo test --locked --target wasm32-unknown-unknown --test wasm_parity` (in Node).
#![cfg(target_arch = "wasm32")]

mod common;

use kafka_election::results::ROW_COLUMNS;
use kafka_election::wasm::{self, Simulation};
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// (name, scenario JSON, golden JSON), compiled in. tests/golden.rs checks this list is complete.
macro_rules! scenarios {
    ($($name:literal),* $(,)?) => {
        &[$((
            $name,
            include_str!(concat!("../scenarios/", $name, ".json")),
            include_str!(concat!("golden/", $name, ".json")),
        )),*]
    };
}

const SCENARIOS: &[(&str, &str, &str)] = scenarios![
    "book-10000-controlled-shutdown",
    "book-10000-crash",
    "kafka-1.0-10000-controlled-shutdown",
    "kafka-1.0-10000-crash",
    "kafka-1.0-failover-100000-crash",
    "kafka-1.1-10000-controlled-shutdown",
    "kafka-1.1-10000-crash",
    "kafka-1.1-assignment-order-crash",
    "kafka-1.1-failover-100000-crash",
    "kafka-1.1-kafka-layout-6x3-controlled-shutdown",
    "kafka-1.1-kafka-layout-6x3-crash",
    "kafka-1.1-lagging-follower-crash",
    "kafka-1.1-lagging-follower-unclean-crash",
    "kafka-1.1-rf1-controlled-shutdown",
    "kafka-1.1-rf1-crash",
    "kafka-1.1-rf1-unclean-crash",
    "kafka-1.1-victim-is-controller-controlled-shutdown",
    "kafka-1.1-victim-is-controller-crash",
    "kafka-2.5-10000-controlled-shutdown",
    "kafka-2.5-10000-crash",
    "kraft-10000-controlled-shutdown",
    "kraft-10000-crash",
    "kraft-kafka-layout-6x3-controlled-shutdown",
    "kraft-kafka-layout-6x3-crash",
    "kraft-lagging-follower-unclean-crash",
    "kraft-rf1-crash",
    "kraft-victim-is-controller-crash",
    "peter-test02-controlled-shutdown",
    "peter-test02-crash",
    "peter-test02-restart-crash",
    "kafka-2.5-restart-1000-crash",
    "kafka-2.5-restart-1000-controlled-shutdown",
    "kraft-restart-kafka-layout-6x3-crash",
];

/// Rolling restarts: the page's `RollingRestart` must give the native golden summary and samples.
const ROLLING: &[(&str, &str, &str)] = scenarios![
    "kafka-2.5-rolling-restart-1000",
    "kraft-rolling-restart-crash-6x3",
];

#[wasm_bindgen_test]
fn rolling_restarts_match_the_native_golden_outputs() {
    for (name, scenario, golden) in ROLLING {
        let golden: Value = serde_json::from_str(golden).expect("golden JSON");
        let js = js_sys::JSON::parse(scenario).unwrap_or_else(|_| panic!("{name}: scenario JSON"));
        let mut roll =
            wasm::RollingRestart::new(js).unwrap_or_else(|e| panic!("{name}: {}", message(e)));
        let summary = to_json(&roll.run());
        assert!(roll.done(), "{name}");
        assert_same(name, "rolling", &golden["rolling"], &summary);
        let view = roll.samples();
        let mut flat = vec![0.0; view.length() as usize];
        view.copy_to(&mut flat);
        let values: Vec<i64> = flat
            .chunks(4)
            .flat_map(|s| {
                [
                    (s[0] * 1000.0).round() as i64,
                    s[1] as i64,
                    s[2] as i64,
                    s[3] as i64,
                ]
            })
            .collect();
        assert_eq!(
            (
                Value::from(values.len() / 4),
                Value::from(common::fnv1a64(values))
            ),
            (golden["samples"].clone(), golden["samples_digest"].clone()),
            "{name}: samples"
        );
    }
}

/// A JS value as serde_json, through JSON.stringify (what the page would see).
fn to_json(v: &JsValue) -> Value {
    let s: String = js_sys::JSON::stringify(v).expect("serialisable").into();
    serde_json::from_str(&s).expect("valid JSON")
}

fn new_sim(name: &str, scenario: &str) -> Simulation {
    let js = js_sys::JSON::parse(scenario).unwrap_or_else(|_| panic!("{name}: scenario JSON"));
    Simulation::new(js).unwrap_or_else(|e| panic!("{name}: {}", message(e)))
}

fn message(e: wasm_bindgen::JsError) -> String {
    js_sys::Error::from(JsValue::from(e)).message().into()
}

fn assert_same(name: &str, what: &str, expected: &Value, actual: &Value) {
    if let Some(d) = common::first_difference(expected, actual, what) {
        panic!("{name}: wasm differs from the native golden output: {d}");
    }
}

#[wasm_bindgen_test]
fn row_columns_are_the_digest_columns() {
    assert_eq!(ROW_COLUMNS, common::DIGEST_COLUMNS);
    assert_eq!(
        to_json(&wasm::row_columns()),
        serde_json::json!(common::DIGEST_COLUMNS)
    );
}

#[wasm_bindgen_test]
fn summaries_and_row_digests_match_the_native_golden_outputs() {
    for (name, scenario, golden) in SCENARIOS {
        let golden: Value = serde_json::from_str(golden).expect("golden JSON");
        let mut sim = new_sim(name, scenario);
        let summary = to_json(&sim.run());
        assert!(sim.done(), "{name}");
        assert_same(name, "summary", &golden["summary"], &summary);
        let rows = golden["rows"].as_u64().unwrap() as usize;
        assert_eq!(sim.row_count() as usize, rows, "{name}");
        // Allocate the copy before taking the view: growing wasm memory detaches it.
        let mut times = vec![0.0; rows * ROW_COLUMNS.len()];
        let view = sim.row_times();
        assert_eq!(view.length() as usize, times.len(), "{name}");
        view.copy_to(&mut times);
        let digest = common::fnv1a64(common::row_values_from_ms(&times));
        assert_eq!(
            Value::from(digest),
            golden["row_digest"],
            "{name}: row digest"
        );
    }
}

#[wasm_bindgen_test]
fn final_partition_states_and_steps_match_for_small_scenarios() {
    let mut checked = 0;
    for (name, scenario, golden) in SCENARIOS {
        let golden: Value = serde_json::from_str(golden).expect("golden JSON");
        if let Some(expected) = golden.get("steps") {
            let mut sim = new_sim(name, scenario);
            let mut steps = Vec::new();
            loop {
                let s = sim.step();
                if s.is_null() {
                    break;
                }
                steps.push(to_json(&s));
            }
            assert_same(name, "steps", expected, &Value::Array(steps));
            checked += 1;
        }
        if let Some(expected) = golden.get("partitions").and_then(Value::as_array) {
            let mut sim = new_sim(name, scenario);
            sim.run();
            for (i, want) in expected.iter().enumerate() {
                let got = to_json(&sim.partition(i as u32).expect("in range"));
                for key in ["replicas", "leader", "isr", "epoch"] {
                    assert_same(
                        name,
                        &format!("partitions[{i}].{key}"),
                        &want[key],
                        &got[key],
                    );
                }
            }
        }
    }
    assert!(
        checked >= 5,
        "only {checked} scenarios had steps to compare"
    );
}

#[wasm_bindgen_test]
fn a_bad_scenario_is_an_error_naming_the_field() {
    for (scenario, field) in [
        (r#"{"cluster": {"brokers": 0}}"#, "cluster.brokers"),
        (r#"{"profile": "kafka-9"}"#, "profile"),
        (r#"{"victim": 9}"#, "victim"),
        (
            r#"{"parameters": {"zk_session_timeout_ms": -1}}"#,
            "parameters.zk_session_timeout_ms",
        ),
        (
            r#"{"cluster": {"topics": [{"partitions": 10, "replication_factor": 4}]}}"#,
            "cluster.topics[0].replication_factor",
        ),
    ] {
        let js = js_sys::JSON::parse(scenario).unwrap();
        let err = match Simulation::new(js.clone()) {
            Ok(_) => panic!("{scenario} was accepted"),
            Err(e) => message(e),
        };
        assert!(
            err.contains(field),
            "{scenario}: `{err}` should name `{field}`"
        );
        let v = to_json(&wasm::validate_scenario(js));
        assert_eq!(v["field"], *field, "{scenario}: validateScenario said {v}");
        assert!(
            err.ends_with(v["message"].as_str().expect("a message")),
            "{scenario}: the thrown error and validateScenario agree: `{err}` vs {v}"
        );
    }
    let ok = js_sys::JSON::parse(SCENARIOS[0].1).unwrap();
    assert!(
        wasm::validate_scenario(ok).is_null(),
        "a valid scenario gives null"
    );
}

/// The CLI refuses `{"profil": "book"}` (serde's deny_unknown_fields); the wasm constructor must
/// too, or a typo in a shared link's scenario would be silently ignored.
#[wasm_bindgen_test]
fn an_unknown_scenario_field_is_refused_as_by_the_cli() {
    for scenario in [r#"{"profil": "book"}"#, r#"{"cluster": {"broker": 5}}"#] {
        let js = js_sys::JSON::parse(scenario).unwrap();
        match Simulation::new(js.clone()) {
            Ok(_) => panic!("{scenario} was accepted"),
            Err(e) => assert!(message(e).contains("unknown field"), "{scenario}"),
        }
        let v = to_json(&wasm::validate_scenario(js));
        let m = v["message"].as_str().expect("a message");
        assert!(m.contains("unknown field"), "{scenario}: {v}");
    }
}

#[wasm_bindgen_test]
fn elect_works_through_wasm() {
    let case = js_sys::JSON::parse(
        r#"{"mode":"zk","strategy":"offline","assignment":[1,3],"isr":[1,3],"live":[2,3]}"#,
    )
    .unwrap();
    let out = to_json(&wasm::elect(case).unwrap_or_else(|e| panic!("{}", message(e))));
    assert_eq!(
        out,
        serde_json::json!({"isr": [3], "leader": 3, "unclean": false})
    );
    let case = js_sys::JSON::parse(
        r#"{"mode":"kraft","strategy":"unclean","assignment":[1,3],"isr":[1],"live":[3],"current_leader":1}"#,
    )
    .unwrap();
    let out = to_json(&wasm::elect(case).unwrap_or_else(|e| panic!("{}", message(e))));
    assert_eq!(out["leader"], 3);
    assert_eq!(out["leader_recovery_state"], "RECOVERING");
    let bad =
        js_sys::JSON::parse(r#"{"mode":"zk","strategy":"offline","assignment":[1,3],"isr":[2]}"#)
            .unwrap();
    match wasm::elect(bad) {
        Ok(v) => panic!("accepted: {:?}", to_json(&v)),
        Err(e) => assert!(message(e).contains("isr")),
    }
}

/// The page reads the engine's catalog and comparison instead of keeping copies: through wasm
/// they are exactly what the native engine (and the CLI) gives.
#[wasm_bindgen_test]
fn catalog_and_comparison_match_the_native_engine() {
    // JavaScript has one number type: compare numbers as f64 on both sides.
    fn as_f64(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value::*;
        match v {
            Number(n) => serde_json::json!(n.as_f64()),
            Array(a) => Array(a.into_iter().map(as_f64).collect()),
            Object(o) => Object(o.into_iter().map(|(k, v)| (k, as_f64(v))).collect()),
            other => other,
        }
    }
    assert_eq!(
        as_f64(to_json(&wasm::catalog())),
        as_f64(kafka_election::catalog::catalog())
    );
    let text = SCENARIOS[0].1;
    let scenario = kafka_election::Scenario::from_json(text).unwrap();
    let native =
        as_f64(serde_json::to_value(kafka_election::results::compare(&scenario).unwrap()).unwrap());
    let js = js_sys::JSON::parse(text).unwrap();
    let whole = as_f64(to_json(
        &wasm::compare(js).unwrap_or_else(|e| panic!("{}", message(e))),
    ));
    assert_eq!(whole, native);
    let run = |event: &str| {
        let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
        v["event"] = event.into();
        let mut sim = Simulation::new(js_sys::JSON::parse(&v.to_string()).unwrap())
            .unwrap_or_else(|e| panic!("{}", message(e)));
        sim.run();
        sim
    };
    let (crash, shutdown) = (run("crash"), run("controlled-shutdown"));
    assert_eq!(
        as_f64(to_json(&wasm::compare_runs(&crash, &shutdown))),
        native
    );
    assert!(native["last_partition_downtime_ratio"].as_f64().is_some());
}
