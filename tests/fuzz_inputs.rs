//! Bounded fuzzing of every untrusted input, in the normal test suite: scenario JSON (the CLI's
//! `--scenario`, the page's URL state and files) and `elect` cases (stdin, the page's rule
//! explorer). Arbitrary text, arbitrary JSON and mutations of the valid inputs this repository
//! ships (`scenarios/*.json`, the transcribed Kafka cases) must never panic; every refusal names
//! a field. The longer, coverage-guided runs live in `fuzz/` (cargo-fuzz, README "Fuzzing").
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use kafka_election::election::case::elect;
use kafka_election::{Scenario, Simulation};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Map, Value};

/// Runs stay small: a mutated scenario may still ask for 100,000 partitions.
const RUN_LIMIT: usize = 2_000;

const SCENARIO_KEYS: &[&str] = &[
    "profile",
    "parameters",
    "event",
    "victim",
    "victim_is_controller",
    "unclean",
    "cluster",
    "brokers",
    "broker_ids",
    "controller",
    "topics",
    "name",
    "partitions",
    "replication_factor",
    "layout",
    "led_by",
    "start_index",
    "replica_shift",
    "assignment",
    "isr",
    "zk_session_timeout_ms",
    "crash_publication",
    "zk_max_in_flight",
];

const ELECT_KEYS: &[&str] = &[
    "mode",
    "strategy",
    "assignment",
    "isr",
    "live",
    "shutting_down",
    "unclean",
    "target_replicas",
    "current_leader",
    "previous_isr",
    "leader_recovery_state",
    "elr",
    "last_known_elr",
    "elr_enabled",
    "min_isr",
];

/// Leaves that hit the limits and the type confusions.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        prop_oneof![
            Just(-1i64),
            Just(0),
            Just(1),
            Just(2),
            Just(3),
            Just(127),
            Just(128),
            Just(249),
            Just(250),
            Just(2_000_000),
            Just(u32::MAX as i64 + 1),
            Just(i64::MIN)
        ]
        .prop_map(Value::from),
        (-5i64..200).prop_map(Value::from),
        prop_oneof![Just(0.5f64), Just(-0.0), Just(1e300), Just(-1e-300)].prop_map(Value::from),
        prop_oneof![
            Just("book"),
            Just("kraft"),
            Just("kafka-1.0"),
            Just("crash"),
            Just("controlled-shutdown"),
            Just("kafka"),
            Just("led-by"),
            Just("per_batch"),
            Just("zk"),
            Just("offline"),
            Just("online"),
            Just("unclean"),
            Just("RECOVERING"),
            Just(""),
            Just("."),
            Just("a,b\"=c"),
        ]
        .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ]
}

fn leaf_value() -> impl Strategy<Value = Value> {
    leaf()
}

/// Arbitrary JSON whose keys are mostly the schema's own, so that parsing gets past the first key.
fn value(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    leaf_value().prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        4 => prop::sample::select(keys).prop_map(str::to_string),
                        1 => "[a-z_]{1,8}",
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json_files(dir: &str) -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| read_json(p)).collect()
}

/// The shipped scenarios, scaled down so that most mutants can run.
fn valid_scenarios() -> Vec<Value> {
    fn shrink(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if let Some(p) = m.get_mut("partitions") {
                    if p.as_u64().is_some_and(|n| n > 50) {
                        *p = json!(50);
                    }
                }
                m.values_mut().for_each(shrink);
            }
            Value::Array(a) => a.iter_mut().for_each(shrink),
            _ => {}
        }
    }
    let mut all = json_files("scenarios");
    all.iter_mut().for_each(shrink);
    assert!(all.len() >= 20, "the golden scenarios are there");
    all
}

/// Every `case` of the transcribed Kafka tests.
fn valid_cases() -> Vec<Value> {
    let cases: Vec<Value> = json_files("tests/conformance")
        .into_iter()
        .flat_map(|f| f["cases"].as_array().cloned().unwrap_or_default())
        .map(|c| c["case"].clone())
        .collect();
    assert!(cases.len() >= 70, "the conformance cases are there");
    cases
}

/// Every node of a value, as a JSON pointer.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| pointers(x, format!("{at}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

/// One structural mutation: replace a node, delete it, or add a key to an object.
#[derive(Clone, Debug)]
enum Mutation {
    Replace(Index, Value),
    Delete(Index),
    AddKey(Index, String, Value),
}

fn mutation(keys: &'static [&'static str]) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), value(keys)).prop_map(|(i, v)| Mutation::Replace(i, v)),
        1 => any::<Index>().prop_map(Mutation::Delete),
        1 => (any::<Index>(), prop::sample::select(keys), leaf_value())
            .prop_map(|(i, k, v)| Mutation::AddKey(i, k.to_string(), v)),
    ]
}

fn mutate(mut v: Value, m: &Mutation) -> Value {
    let mut nodes = Vec::new();
    pointers(&v, String::new(), &mut nodes);
    match m {
        Mutation::Replace(i, x) => {
            if let Some(n) = v.pointer_mut(i.get::<String>(&nodes)) {
                *n = x.clone();
            }
        }
        Mutation::Delete(i) => {
            let p: &String = i.get(&nodes);
            if let Some((parent, last)) = p.rsplit_once('/') {
                match v.pointer_mut(parent) {
                    Some(Value::Object(o)) => {
                        o.remove(last);
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(k) = last.parse::<usize>() {
                            a.remove(k);
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::AddKey(i, k, x) => {
            if let Some(Value::Object(o)) = v.pointer_mut(i.get::<String>(&nodes)) {
                o.insert(k.clone(), x.clone());
            }
        }
    }
    v
}

/// Text-level damage: a byte removed, one inserted, or a key written twice (serde_json's `Value`
/// cannot hold a duplicate key, so it is spliced into the text).
#[derive(Clone, Debug)]
enum Damage {
    None,
    Remove(Index),
    Insert(Index, u8),
    DuplicateFirstKey,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        6 => Just(Damage::None),
        1 => any::<Index>().prop_map(Damage::Remove),
        1 => (any::<Index>(), prop::sample::select(b"{}[],:\"0-.e \\".to_vec()))
            .prop_map(|(i, b)| Damage::Insert(i, b)),
        1 => Just(Damage::DuplicateFirstKey),
    ]
}

fn damaged(v: &Value, d: &Damage) -> String {
    let mut text = v.to_string();
    match d {
        Damage::None => {}
        Damage::Remove(i) if !text.is_empty() => {
            let at = i.index(text.len());
            if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
                text.remove(at);
            }
        }
        Damage::Insert(i, b) => {
            let at = i.index(text.len() + 1);
            if text.is_char_boundary(at) {
                text.insert(at, *b as char);
            }
        }
        Damage::DuplicateFirstKey => {
            if let Some((k, x)) = v.as_object().and_then(|o| o.iter().next()) {
                text = format!("{{{}:{x},{}", Value::from(k.as_str()), &text[1..]);
            }
        }
        Damage::Remove(_) => {}
    }
    text
}

/// Parses, validates and (if small) runs a scenario; panics only on a bug.
fn check_scenario(text: &str) {
    let s = match Scenario::from_json(text) {
        Ok(s) => s,
        Err(e) => {
            assert_names_a_field(&e.field, &e.message, text);
            return;
        }
    };
    let plan = match s.plan() {
        Ok(p) => p,
        Err(e) => {
            assert_names_a_field(&e.field, &e.message, text);
            return;
        }
    };
    if plan.partitions() <= RUN_LIMIT {
        let mut sim = Simulation::from_plan(plan);
        let mut steps = 0u64;
        while sim.step().is_some() {
            steps += 1;
            assert!(steps < 1_000_000, "the run ends: {text}");
        }
        let summary = sim.summary();
        assert_eq!(summary.steps, steps);
        assert_eq!(sim.csv().lines().count(), sim.rows().len() + 1);
    }
}

fn assert_names_a_field(field: &str, message: &str, input: &str) {
    assert!(!field.is_empty(), "no field for `{message}` from {input}");
    // serde_path_to_error's "?" is a position it could not name: never shown as a field.
    assert!(field.split('.').all(|s| s != "?"), "`{field}` from {input}");
    assert!(!message.is_empty(), "no message for `{field}` from {input}");
}

/// `elect` through the library and through the CLI's function: exit 0 with JSON, or exit 2 with
/// a message that starts with the field at fault.
fn check_elect(text: &str) {
    let r = elect(text);
    let args = vec!["elect".to_string()];
    let input = text.to_string();
    let out = kafka_election::cli::main(&args, &|_| Err("no files".into()), &|| Ok(input.clone()));
    match r {
        Ok(v) => {
            assert_eq!(out.code, 0, "{text}: {}", out.stderr);
            assert_eq!(out.stdout, format!("{v}\n"));
            assert!(v.get("leader").is_some() && v["isr"].is_array(), "{v}");
        }
        Err(e) => {
            assert_eq!(out.code, 2, "{text}");
            assert!(out.stdout.is_empty());
            assert!(out.stderr.contains(&e), "{text}: {}", out.stderr);
            let named = e.starts_with("elect:")
                || ELECT_KEYS
                    .iter()
                    .any(|k| e.starts_with(&format!("{k}:")) || e.starts_with(&format!("{k} is")));
            assert!(named, "the error names no field: {e} (from {text})");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_as_a_scenario_is_refused_or_runs(text in "\\PC{0,64}") {
        check_scenario(&text);
    }

    #[test]
    fn any_json_as_a_scenario_is_refused_or_runs(v in value(SCENARIO_KEYS)) {
        check_scenario(&v.to_string());
    }

    #[test]
    fn mutated_scenarios_are_refused_or_run(
        pick in any::<Index>(),
        mutations in prop::collection::vec(mutation(SCENARIO_KEYS), 1..4),
        d in damage(),
    ) {
        let scenarios = valid_scenarios();
        let mut v = pick.get(&scenarios).clone();
        for m in &mutations {
            v = mutate(v, m);
        }
        check_scenario(&damaged(&v, &d));
    }

    #[test]
    fn any_text_as_an_elect_case_is_refused_or_answered(text in "\\PC{0,64}") {
        check_elect(&text);
    }

    #[test]
    fn any_json_as_an_elect_case_is_refused_or_answered(v in value(ELECT_KEYS)) {
        check_elect(&v.to_string());
    }

    #[test]
    fn mutated_elect_cases_are_refused_or_answered(
        pick in any::<Index>(),
        mutations in prop::collection::vec(mutation(ELECT_KEYS), 1..4),
        d in damage(),
    ) {
        let cases = valid_cases();
        let mut v = pick.get(&cases).clone();
        for m in &mutations {
            v = mutate(v, m);
        }
        check_elect(&damaged(&v, &d));
    }
}

/// The mutators are not vacuous: the shipped inputs pass unmutated, and a duplicated key is
/// refused naming it.
#[test]
fn the_fuzzers_start_from_valid_inputs() {
    for s in valid_scenarios() {
        let text = s.to_string();
        Scenario::from_json(&text)
            .and_then(|s| s.plan())
            .unwrap_or_else(|e| panic!("{e}: {text}"));
        check_scenario(&text);
        let dup = damaged(&s, &Damage::DuplicateFirstKey);
        let e = Scenario::from_json(&dup).unwrap_err();
        assert!(e.message.contains("duplicate field"), "{e}");
    }
    for c in valid_cases() {
        elect(&c.to_string()).unwrap_or_else(|e| panic!("{e}: {c}"));
        let e = elect(&damaged(&c, &Damage::DuplicateFirstKey)).unwrap_err();
        assert!(e.contains("duplicate field"), "{e}");
    }
}
