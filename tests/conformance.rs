//! Kafka's own tests of leader election and ISR change, transcribed into `tests/conformance/*.json`
//! (format: `tests/conformance/README.md`), run through the rule functions (via
//! `election::case::elect`) and through the real binary's `elect` command. Every asserted field
//! must agree, except in cases marked `expected_difference`, where it must still differ as
//! documented (so a fixed engine or a changed case is noticed).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kafka_election::election::case::elect;
use serde_json::{json, Value};

fn data_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn cli_elect(input: &str) -> Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kafka-election"))
        .arg("elect")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kafka-election");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "elect {input}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("elect prints JSON")
}

/// Kafka's -1 is the contract's null.
fn leader_of(v: &Value) -> Value {
    if v == &json!(-1) {
        Value::Null
    } else {
        v.clone()
    }
}

/// "No change" (`build()` returns `Optional.empty()`): the registration the case starts from.
fn unchanged(case: &Value) -> Value {
    let or = |k: &str, d: Value| case.get(k).cloned().unwrap_or(d);
    json!({
        "leader": leader_of(&or("current_leader", Value::Null)),
        "isr": or("previous_isr", or("isr", json!([]))),
        "elr": or("elr", json!([])),
        "last_known_elr": or("last_known_elr", json!([])),
        "leader_recovery_state": or("leader_recovery_state", json!("RECOVERED")),
    })
}

fn ids(v: &Value) -> BTreeSet<u64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|b| b.as_u64().unwrap())
        .collect()
}

/// The asserted fields on which `out` disagrees with `expected`.
fn disagreements(case: &Value, expected: &Value, out: &Value) -> Vec<String> {
    let expected = if expected.get("no_change") == Some(&json!(true)) {
        unchanged(case)
    } else {
        expected.clone()
    };
    let zk = case["mode"] == "zk";
    let mut bad = Vec::new();
    for (field, want) in expected.as_object().unwrap() {
        let agree = match field.as_str() {
            "leader" => leader_of(want) == out["leader"],
            // Kafka's ISR is a list in the order the target ISR gives it.
            "isr" => want == &out["isr"],
            // Kafka builds these from a HashSet: only membership is meaningful.
            "elr" | "last_known_elr" => ids(want) == ids(&out[field.as_str()]),
            "unclean" => want == &out["unclean"],
            // ZooKeeper mode has no recovery state in the contract: from IBP 3.2 an unclean
            // leader starts RECOVERING, which the contract reports as `unclean`.
            "leader_recovery_state" if zk => (want == "RECOVERING") == (out["unclean"] == true),
            "leader_recovery_state" => want == &out["leader_recovery_state"],
            other => panic!("unknown asserted field `{other}`"),
        };
        if !agree {
            bad.push(format!(
                "{field}: Kafka {want}, engine {}",
                out[field.as_str()]
            ));
        }
    }
    bad
}

#[test]
fn kafkas_own_election_tests_agree_with_the_engine() {
    let files = data_files();
    assert!(!files.is_empty(), "no tests/conformance/*.json");
    let (mut in_files, mut ran, mut agreed, mut differ) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let source = &doc["source"];
        for key in ["repository", "path", "ref", "commit"] {
            assert!(source[key].is_string(), "{name}: source.{key} missing");
        }
        for l in doc["left_out"].as_array().expect("left_out list") {
            assert!(
                l["test"].is_string() && l["reason"].is_string(),
                "{name}: {l}"
            );
        }
        let cases = doc["cases"].as_array().expect("cases list");
        in_files += cases.len();
        for c in cases {
            let id = format!("{name}: {}", c["id"].as_str().expect("id"));
            assert!(c["test"].is_string(), "{id}: test method missing");
            let input = c["case"].to_string();
            let lib = elect(&input).unwrap_or_else(|e| panic!("{id}: {e}\ninput: {input}"));
            let cli = cli_elect(&input);
            assert_eq!(lib, cli, "{id}: the CLI and the library disagree");
            let bad = disagreements(&c["case"], &c["expected"], &lib);
            match (c.get("expected_difference"), bad.is_empty()) {
                (None, true) => agreed += 1,
                (Some(_), false) => differ += 1,
                (None, false) => failures.push(format!("{id}: {}\ninput: {input}", bad.join("; "))),
                (Some(why), true) => failures.push(format!(
                    "{id}: marked expected_difference ({why}) but the engine now agrees"
                )),
            }
            ran += 1;
        }
    }
    println!(
        "conformance: {ran} of Kafka's test cases ran: {agreed} agree, {differ} documented differences"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(ran, in_files);
    assert!(ran > 0);
    // The README states the count; keep it true.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let claim = format!("{ran} of Kafka's own test cases");
    assert!(readme.contains(&claim), "README.md should say `{claim}`");
}
