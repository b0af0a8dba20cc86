//! The real `kafka-election` binary: its JSON and table output, the chapter's figures as a user
//! would get them, scenario files, every parameter flag, and bad input (exit code 2 and a message
//! naming the field and what is allowed, never a panic).
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kafka-election"))
}

fn cli(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn cli_stdin(args: &[&str], input: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("UTF-8 output")
}

/// Runs and parses stdout as JSON, failing loudly with stderr on a non-zero exit.
fn json(args: &[&str]) -> Value {
    let out = cli(args);
    assert!(
        out.status.success(),
        "{args:?}: exit {:?}\n{}",
        out.status.code(),
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

fn f(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("`{key}` is not a number in {v}"))
}

fn scenario_file(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.json"))
        .to_string_lossy()
        .into_owned()
}

fn temp_file(name: &str, contents: &str) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

const PROFILES: [&str; 5] = ["book", "kafka-1.0", "kafka-1.1", "kafka-2.5", "kraft"];

#[test]
fn run_json_has_every_documented_figure_and_the_breakdown_adds_up() {
    for profile in PROFILES {
        for event in ["crash", "controlled-shutdown"] {
            let v = json(&["run", "--profile", profile, "--event", event, "--json"]);
            for key in [
                "controller_work_ms",
                "first_partition_downtime_ms",
                "median_downtime_ms",
                "p99_downtime_ms",
                "last_partition_downtime_ms",
                "max_downtime_ms",
                "unavailable_partition_seconds",
            ] {
                assert!(f(&v, key) >= 0.0, "{profile} {event}: {key}");
            }
            assert_eq!(v["profile"], profile);
            assert_eq!(v["event"], event);
            assert_eq!(v["partitions_affected"], 10_000);
            assert!(v["partitions_over_delivery_timeout"].is_u64());
            let b = v["last_partition_breakdown_ms"]
                .as_object()
                .expect("breakdown");
            assert_eq!(b.len(), 7, "{b:?}");
            let sum: f64 = b.values().map(|x| x.as_f64().unwrap()).sum();
            let last = f(&v, "last_partition_downtime_ms");
            assert!(
                (sum - last).abs() < 1e-6,
                "{profile} {event}: parts {sum} vs {last}"
            );
        }
    }
}

#[test]
fn table_output_is_readable() {
    let out = cli(&["run"]);
    assert!(out.status.success());
    let t = text(&out.stdout);
    for needle in [
        "The book's model (book) — crash of broker 1",
        "cluster: 3 brokers, controller 2, 10000 partition(s); broker 1 led 10000",
        "detection",
        "6.00 s",
        "controller work",
        "2000 s (33m 20s)",
        "last partition's downtime",
        "over delivery.timeout.ms",
        "the last partition's downtime = detection 6.00 s + waiting",
    ] {
        assert!(t.contains(needle), "missing `{needle}` in:\n{t}");
    }
    assert!(!t.contains('{'), "a table, not JSON:\n{t}");
    // With --events: one line per step, numbered by the chapter's steps.
    let t = text(&cli(&["run", "--partitions", "1", "--events"]).stdout);
    for needle in [
        "steps:",
        "[1] broker_crashed",
        "[2] session_expired",
        "[5] leaders_serving",
    ] {
        assert!(t.contains(needle), "missing `{needle}` in:\n{t}");
    }
    let t = text(&cli(&["compare", "--profile", "kafka-1.0"]).stdout);
    assert!(
        t.contains("controlled shutdown") && t.contains("longer after a crash"),
        "{t}"
    );
}

#[test]
fn compare_json_has_both_runs_and_the_ratio() {
    let v = json(&["compare", "--json"]);
    assert_eq!(v["crash"]["event"], "crash");
    assert_eq!(v["controlled_shutdown"]["event"], "controlled-shutdown");
    let ratio = f(&v, "last_partition_downtime_ratio");
    let expected = f(&v["crash"], "last_partition_downtime_ms")
        / f(&v["controlled_shutdown"], "last_partition_downtime_ms");
    assert!((ratio - expected).abs() < 1e-9, "{ratio} vs {expected}");
}

#[test]
fn the_chapters_figures_come_out_of_the_cli() {
    // peter-test02: broker 1 crashes, broker 3 leads, ISR [1,3] → [3].
    let v = json(&["run", "--partitions", "1", "--events", "--json"]);
    let events = v["events"].as_array().unwrap();
    let written = events
        .iter()
        .find(|e| e["kind"] == "state_written")
        .expect("the new leader is written");
    assert_eq!(written["leader"], 3);
    assert_eq!(written["isr"], serde_json::json!([3]));
    // The book: 0.2 s × 10,000 = 2,000 s of controller work; the last partition waits longer.
    let v = json(&["run", "--json"]);
    assert_eq!(f(&v, "controller_work_ms"), 2_000_000.0);
    assert!(f(&v, "last_partition_downtime_ms") >= 2_000_000.0);
    // Kafka 1.0 controlled shutdown: 6.5 min of controller work, no partition down for 1 s.
    let v = json(&[
        "run",
        "--profile",
        "kafka-1.0",
        "--event",
        "controlled-shutdown",
        "--json",
    ]);
    assert!((370_000.0..=410_000.0).contains(&f(&v, "controller_work_ms")));
    assert!(f(&v, "max_downtime_ms") < 1_000.0);
    // Kafka 1.1: about 3 s.
    let v = json(&[
        "run",
        "--profile",
        "kafka-1.1",
        "--event",
        "controlled-shutdown",
        "--json",
    ]);
    assert!((2_500.0..=3_500.0).contains(&f(&v, "controller_work_ms")));
}

#[test]
fn under_every_profile_a_crash_waits_over_10_times_longer_than_a_controlled_shutdown() {
    for profile in PROFILES {
        let v = json(&["compare", "--profile", profile, "--json"]);
        let crash_last = f(&v["crash"], "last_partition_downtime_ms");
        let shutdown_max = f(&v["controlled_shutdown"], "max_downtime_ms");
        assert!(
            crash_last > 10.0 * shutdown_max,
            "{profile}: {crash_last} vs {shutdown_max}"
        );
        assert!(
            f(&v, "crash_last_over_shutdown_max_ratio") > 10.0,
            "{profile}"
        );
    }
}

#[test]
fn scenario_files_run_and_later_flags_override_them() {
    let file = scenario_file("peter-test02-crash");
    let v = json(&["run", "--scenario", &file, "--json"]);
    assert_eq!(
        (v["profile"].as_str(), v["partitions"].as_u64()),
        (Some("book"), Some(1))
    );
    // The golden output of the same file: the CLI and the library agree.
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/peter-test02-crash.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(v, golden["summary"]);
    // Flags after the file override it; flags before it are replaced by the file.
    let v = json(&[
        "run",
        "--scenario",
        &file,
        "--profile",
        "kafka-1.1",
        "--json",
    ]);
    assert_eq!(
        (v["profile"].as_str(), v["partitions"].as_u64()),
        (Some("kafka-1.1"), Some(1))
    );
    let v = json(&[
        "run",
        "--scenario",
        &file,
        "--event",
        "controlled-shutdown",
        "--json",
    ]);
    assert_eq!(v["event"], "controlled-shutdown");
    let v = json(&["run", "--profile", "kraft", "--scenario", &file, "--json"]);
    assert_eq!(v["profile"], "book");
    let v = json(&["run", "--scenario", &file, "--partitions", "7", "--json"]);
    assert_eq!(v["partitions"], 7);
}

#[test]
fn every_parameter_flag_is_accepted() {
    let catalog = json(&["profiles", "--json"]);
    let params = catalog["parameters"].as_array().unwrap();
    assert!(params.len() >= 20);
    let book = &catalog["profiles"][0]["parameters"];
    let base = json(&["run", "--partitions", "10", "--json"]);
    for p in params {
        let name = p["name"].as_str().unwrap();
        let flag = format!("--{}", name.replace('_', "-"));
        // A legal value that differs from the book's where possible: a choice, or the maximum.
        let value = match p["choices"].as_array().filter(|c| !c.is_empty()) {
            Some(choices) => choices
                .iter()
                .find(|c| **c != book[name])
                .unwrap_or(&choices[0])
                .as_str()
                .unwrap()
                .to_string(),
            None => {
                let min = p["min"].as_f64().unwrap();
                let max = p["max"].as_f64().unwrap();
                let v = if book[name].as_f64() == Some(min) {
                    max.min(min + 5.0)
                } else {
                    min
                };
                format!("{v}")
            }
        };
        let out = cli(&["run", "--partitions", "10", "--json", &flag, &value]);
        assert!(
            out.status.success(),
            "{flag} {value}: {}",
            text(&out.stderr)
        );
    }
    // One flag's effect, end to end: the session timeout is the crash's detection time.
    let v = json(&[
        "run",
        "--partitions",
        "10",
        "--json",
        "--zk-session-timeout-ms",
        "18000",
    ]);
    assert_eq!(f(&base, "detection_ms"), 6_000.0);
    assert_eq!(f(&v, "detection_ms"), 18_000.0);
}

#[test]
fn json_output_is_byte_identical_across_invocations() {
    for args in [
        &[
            "run",
            "--profile",
            "kafka-1.1",
            "--partitions",
            "1000",
            "--layout",
            "kafka",
            "--brokers",
            "6",
            "--replication-factor",
            "3",
            "--events",
            "--json",
        ][..],
        &["compare", "--profile", "kraft", "--json"][..],
        &["profiles", "--json"][..],
    ] {
        let a = cli(args);
        let b = cli(args);
        assert!(a.status.success(), "{args:?}");
        assert!(!a.stdout.is_empty());
        assert_eq!(a.stdout, b.stdout, "{args:?}");
    }
}

#[test]
fn help_profiles_and_elect_work() {
    let out = cli(&["--help"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("USAGE"));
    let t = text(&cli(&["profiles"]).stdout);
    for p in PROFILES {
        assert!(t.contains(p), "{p} missing from:\n{t}");
    }
    let out = cli_stdin(
        &["elect"],
        r#"{"mode":"zk","strategy":"offline","assignment":[1,3],"isr":[1,3],"live":[2,3]}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"isr": [3], "leader": 3, "unclean": false})
    );
}

/// Bad input: exit code 2, a message on stderr naming the field and (where there is one) the
/// allowed range, nothing on stdout, no panic.
fn assert_refused(out: &Output, needles: &[&str], what: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert!(
        out.stdout.is_empty(),
        "{what}: stdout {:?}",
        text(&out.stdout)
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
    for n in needles {
        assert!(err.contains(n), "{what}: `{n}` missing from: {err}");
    }
}

#[test]
fn bad_input_exits_2_with_a_message_naming_the_field() {
    let bad_json = temp_file("bad.json", "{\"profile\": \"book\",");
    let unknown_field = temp_file("unknown-field.json", r#"{"profil": "book"}"#);
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("no-such-scenario.json")
        .to_string_lossy()
        .into_owned();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["run", "--profile", "kafka-9"],
            &[
                "--profile",
                "allowed: book, kafka-1.0, kafka-1.1, kafka-2.5, kraft",
            ],
        ),
        (&["run", "--brokers", "0"], &["brokers", "allowed: 1 to 64"]),
        (
            &["run", "--brokers", "65"],
            &["brokers", "allowed: 1 to 64"],
        ),
        (&["run", "--brokers", "three"], &["--brokers", "allowed"]),
        (
            &["run", "--replication-factor", "4"],
            &["replication_factor", "allowed: 1 to 3"],
        ),
        (
            &["run", "--brokers", "5", "--replication-factor", "6"],
            &["replication_factor", "allowed: 1 to 5"],
        ),
        (
            &["run", "--victim", "9"],
            &["victim", "not in the cluster", "[1, 2, 3]"],
        ),
        (
            &["run", "--controller", "7"],
            &["controller", "not in the cluster"],
        ),
        (
            &["run", "--zk-session-timeout-ms", "-5"],
            &["zk_session_timeout_ms", "allowed: 0 to 3600000"],
        ),
        (
            &["run", "--propagation-ms", "-0.5"],
            &["propagation_ms", "allowed: 0 to 60000"],
        ),
        (
            &["run", "--zk-session-timeout-ms", "1e12"],
            &["zk_session_timeout_ms", "allowed: 0 to 3600000"],
        ),
        (
            &["run", "--controller-per-partition-ms", "99999999"],
            &["controller_per_partition_ms", "allowed: 0 to 60000"],
        ),
        (
            &["run", "--zk-max-in-flight", "0"],
            &["zk_max_in_flight", "allowed: 1 to 100000"],
        ),
        (
            &["run", "--retry-backoff-ms", "NaN"],
            &["retry_backoff_ms", "allowed"],
        ),
        (
            &["run", "--crash-publication", "sometimes"],
            &["crash_publication", "per_partition, per_batch"],
        ),
        (
            &["run", "--partitions", "0"],
            &["--partitions", "allowed: a whole number from 1 to 2000000"],
        ),
        (
            &["run", "--partitions", "2000001"],
            &["--partitions", "allowed: a whole number from 1 to 2000000"],
        ),
        (&["run", "--partitions", "-1"], &["--partitions", "allowed"]),
        (
            &["run", "--event", "reboot"],
            &["--event", "allowed: crash, controlled-shutdown"],
        ),
        (
            &["run", "--layout", "random"],
            &["--layout", "allowed: led-by, kafka"],
        ),
        (
            &["run", "--scenario", &bad_json],
            &["scenario", "not a valid scenario"],
        ),
        (
            &["run", "--scenario", &unknown_field],
            &["unknown field `profil`", "expected one of"],
        ),
        (
            &["run", "--scenario", &missing],
            &["--scenario", "no-such-scenario.json"],
        ),
        (&["run", "--frobnicate"], &["unknown option `--frobnicate`"]),
        (&["run", "--profile"], &["--profile needs a value"]),
        (
            &["run", "--zk-session-timeout-ms"],
            &["--zk-session-timeout-ms needs a value"],
        ),
        (&["compare", "--scenario"], &["--scenario needs a value"]),
        (&["run", "stray"], &["stray"]),
        (&["frob"], &["unknown command `frob`"]),
    ];
    for (args, needles) in cases {
        assert_refused(&cli(args), needles, &format!("{args:?}"));
    }
    // No arguments at all: the usage, on stderr, exit 2.
    assert_refused(&cli(&[]), &["USAGE"], "no arguments");
    // Malformed elect input on stdin.
    assert_refused(
        &cli_stdin(&["elect"], "{"),
        &["not a valid case"],
        "elect {",
    );
    assert_refused(
        &cli_stdin(
            &["elect"],
            r#"{"mode":"zk","strategy":"offline","assignment":[1,3],"isr":[2]}"#,
        ),
        &["isr"],
        "elect isr",
    );
    assert_refused(
        &cli_stdin(
            &["elect"],
            r#"{"mode":"raft","strategy":"offline","assignment":[1]}"#,
        ),
        &["mode", "allowed: zk, kraft"],
        "elect mode",
    );
}

/// A scenario over the partition limit is refused before anything is allocated.
#[test]
fn scenario_over_the_partition_limit_is_refused() {
    let big = temp_file(
        "too-big.json",
        r#"{"cluster": {"topics": [{"partitions": 1500000}, {"name": "b", "partitions": 600000}]}}"#,
    );
    assert_refused(
        &cli(&["run", "--scenario", &big]),
        &[
            "cluster.topics",
            "2100000 partitions",
            "allowed: 1 to 2000000",
        ],
        "2.1 million partitions",
    );
}

/// A one-broker cluster's only broker is also its controller: the CLI says so, in the table
/// itself, and on stderr where the output is JSON, CSV or the comparison.
#[test]
fn the_only_broker_is_said_to_be_the_controller() {
    let args = [
        "run",
        "--brokers",
        "1",
        "--replication-factor",
        "1",
        "--partitions",
        "5",
    ];
    let out = cli(&args);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("broker 1 is the only broker, so it is also the controller"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(text(&out.stderr), "", "the table says it once");
    for extra in [&["--json"][..], &["--csv"]] {
        let out = cli(&[&args[..], extra].concat());
        assert!(out.status.success());
        assert!(
            text(&out.stderr).contains("note: broker 1 is the only broker"),
            "{extra:?}: {}",
            text(&out.stderr)
        );
    }
    let mut compare = args;
    compare[0] = "compare";
    assert!(text(&cli(&compare).stderr).contains("also the controller"));
    // Two brokers: nothing to say.
    let out = cli(&["run", "--brokers", "2", "--partitions", "5", "--json"]);
    assert_eq!(text(&out.stderr), "");
}

/// `run --json --events` streams: the summary it prints is `run --json`'s, field for field, with
/// `events` holding exactly `steps` steps in order; `--events` lists as many lines.
#[test]
fn streamed_events_agree_with_the_summary() {
    let base = ["run", "--profile", "kafka-1.0", "--partitions", "300"];
    let summary = json(&[&base[..], &["--json"]].concat());
    let mut with = json(&[&base[..], &["--json", "--events"]].concat());
    let events = with.as_object_mut().unwrap().remove("events").unwrap();
    assert_eq!(with, summary);
    let events = events.as_array().unwrap();
    assert_eq!(events.len() as f64, f(&summary, "steps"));
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["seq"], i, "steps in order");
    }
    let out = cli(&[&base[..], &["--events"]].concat());
    let t = text(&out.stdout);
    let listed = t.split("\nsteps:\n").nth(1).unwrap().lines().count();
    assert_eq!(listed, events.len());
}

/// A reader that stops early (`| head`) ends the output without an error or a panic.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let mut child = bin()
        .args(["run", "--partitions", "200000", "--json", "--events"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    assert!(first.starts_with(b"{\n  \"controller\""));
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
}

/// Topic names, duplicate keys and impossible election states are refused naming the field.
#[test]
fn names_keys_and_impossible_states_are_refused() {
    for (contents, needles) in [
        (
            r#"{"cluster": {"topics": [{"name": "a,b", "partitions": 3}]}}"#,
            &[
                "cluster.topics[0].name",
                "',' is not allowed",
                "allowed: 1 to 249 ASCII letters",
            ][..],
        ),
        (
            r#"{"cluster": {"topics": [{"name": "..", "partitions": 3}]}}"#,
            &["cluster.topics[0].name", "`..` is not a topic name"][..],
        ),
        (
            r#"{"parameters": {"zk_session_timeout_ms": 6000, "zk_session_timeout_ms": 18000}}"#,
            &["parameters.zk_session_timeout_ms", "duplicate field"][..],
        ),
        (
            r#"{"cluster": {"topics": [{"assignment": [[1, 3]], "isr": [[1, 1]]}]}}"#,
            &["cluster.topics[0].isr[0]", "broker 1 appears twice"][..],
        ),
        (
            r#"{"cluster": {"topics": [{"partitions": 3,}]}}"#,
            &["cluster.topics[0]: not a valid scenario", "trailing comma"][..],
        ),
    ] {
        let file = temp_file("refused.json", contents);
        let out = cli(&["run", "--scenario", &file]);
        assert_refused(&out, needles, contents);
        assert!(!text(&out.stderr).contains(".?"), "{}", text(&out.stderr));
    }
    for (case, needles) in [
        (
            r#"{"mode":"zk","strategy":"offline","assignment":[1,3],"isr":[1,3],"current_leader":2}"#,
            &["current_leader: broker 2 is not a replica"][..],
        ),
        (
            r#"{"mode":"kraft","strategy":"online","assignment":[1,2,3],"isr":[1,2],"elr":[2]}"#,
            &["elr: broker 2 is also in isr"][..],
        ),
        (
            r#"{"mode":"kraft","strategy":"online","assignment":[1,2],"isr":[1],"last_known_elr":[3]}"#,
            &["last_known_elr"][..],
        ),
        (
            r#"{"mode":"zk","mode":"kraft","strategy":"offline","assignment":[1]}"#,
            &["mode: duplicate field `mode`"][..],
        ),
    ] {
        assert_refused(&cli_stdin(&["elect"], case), needles, case);
    }
}

/// The CSV defuses a topic name a spreadsheet would run as a formula, and only that cell.
#[test]
fn csv_defuses_formula_topic_names() {
    let file = temp_file(
        "dash.json",
        r#"{"cluster": {"topics": [{"name": "-orders", "partitions": 2}]}}"#,
    );
    let out = cli(&["run", "--scenario", &file, "--csv"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].starts_with("0,'-orders,0,3,false,0,"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("1,'-orders,1,"), "{}", lines[2]);
}
