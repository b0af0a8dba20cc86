//! What `run`, `compare` and `profiles` print: JSON, CSV, steps or a readable table.

use std::io::{self, Write};

use serde_json::Value;

use crate::profile::{self, Unit, PARAMS, PROFILE_NAMES};
use crate::results::{self, Summary, PARTS};
use crate::rolling::{RollingRestart, RollingSummary};
use crate::scenario::{Fault, Scenario};
use crate::simulation::Simulation;
use crate::step::Step;

use super::RunOptions;

/// Runs the scenario to the end, keeping no steps.
fn simulate(s: &Scenario) -> Simulation {
    let mut sim = Simulation::new(s).expect("validated");
    sim.run();
    sim
}

/// `run`, written to `out` as it goes. The summary comes before the steps in every format but
/// depends on the whole run, and a million-partition run has millions of steps: so with
/// `--events` a first run computes the summary, and a second, identical run (the engine is
/// deterministic) streams its steps. Memory stays at one simulation, whatever the step count.
/// A fresh run's steps, one at a time: a single fault's, or a rolling restart's.
fn steps_of(s: &Scenario) -> Box<dyn FnMut() -> Option<Step>> {
    if s.event == Fault::RollingRestart {
        let mut r = RollingRestart::new(s).expect("validated");
        Box::new(move || r.step())
    } else {
        let mut sim = Simulation::new(s).expect("validated");
        Box::new(move || sim.step())
    }
}

pub(super) fn run(o: &RunOptions, out: &mut dyn Write) -> io::Result<()> {
    if o.scenario.event == Fault::RollingRestart {
        let summary = RollingRestart::new(&o.scenario).expect("validated").run();
        if o.json {
            if !o.events {
                return writeln!(out, "{}", pretty(&summary));
            }
            return write_json_with_events(&summary, &o.scenario, out);
        }
        out.write_all(rolling_table(&summary).as_bytes())?;
        if o.events {
            write_step_lines(&o.scenario, out)?;
        }
        return Ok(());
    }
    let sim = simulate(&o.scenario);
    if o.csv {
        return results::write_csv(sim.plan(), sim.rows(), sim.run_times(), out);
    }
    let summary = sim.summary();
    if o.json {
        if !o.events {
            return writeln!(out, "{}", pretty(&summary));
        }
        drop(sim);
        return write_json_with_events(&summary, &o.scenario, out);
    }
    out.write_all(table(&summary, &sim).as_bytes())?;
    if o.events {
        drop(sim);
        write_step_lines(&o.scenario, out)?;
    }
    Ok(())
}

/// The text `--events` list of a fresh run.
fn write_step_lines(s: &Scenario, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"\nsteps:\n")?;
    let mut next = steps_of(s);
    let mut line = String::new();
    while let Some(s) = next() {
        line.clear();
        step_line(&mut line, &s);
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// A value as serde_json's pretty printer writes it, keys sorted (through `Value`).
fn pretty<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(&serde_json::to_value(v).expect("serializable"))
        .expect("serializable")
}

/// `run --json --events`: exactly what pretty-printing the summary's object with an `events`
/// array of every step gives (its keys in sorted order, `events` among them), written key by
/// key and step by step.
fn write_json_with_events(
    summary: &impl serde::Serialize,
    s: &Scenario,
    out: &mut dyn Write,
) -> io::Result<()> {
    const EVENTS: &str = "events";
    let Value::Object(fields) = serde_json::to_value(summary).expect("serializable") else {
        unreachable!("a summary is an object");
    };
    debug_assert!(!fields.contains_key(EVENTS));
    let mut events_written = false;
    let mut first = true;
    out.write_all(b"{")?;
    for (key, value) in &fields {
        if !events_written && key.as_str() > EVENTS {
            write_key(out, &mut first, EVENTS)?;
            write_events(s, out)?;
            events_written = true;
        }
        write_key(out, &mut first, key)?;
        write_indented(out, &pretty(value), b"\n  ")?;
    }
    if !events_written {
        write_key(out, &mut first, EVENTS)?;
        write_events(s, out)?;
    }
    out.write_all(if first { b"}\n" } else { b"\n}\n" })
}

/// `"key": ` one level into the outer object, after a comma unless it is the first.
fn write_key(out: &mut dyn Write, first: &mut bool, key: &str) -> io::Result<()> {
    out.write_all(if *first { b"\n  " } else { b",\n  " })?;
    *first = false;
    write!(out, "{}: ", Value::from(key))
}

/// Writes a pretty-printed value, each of its line breaks followed by `indent`.
fn write_indented(out: &mut dyn Write, text: &str, indent: &[u8]) -> io::Result<()> {
    let mut lines = text.split('\n');
    if let Some(l) = lines.next() {
        out.write_all(l.as_bytes())?;
    }
    for l in lines {
        out.write_all(indent)?;
        out.write_all(l.as_bytes())?;
    }
    Ok(())
}

/// The `events` array, two levels deep: every step of a fresh run, each through `Value` so its
/// keys are sorted as before.
fn write_events(s: &Scenario, out: &mut dyn Write) -> io::Result<()> {
    let mut next = steps_of(s);
    let mut first = true;
    while let Some(step) = next() {
        out.write_all(if first { b"[\n    " } else { b",\n    " })?;
        first = false;
        write_indented(out, &pretty(&step), b"\n    ")?;
    }
    out.write_all(if first { b"[]" } else { b"\n  ]" })
}

/// One step of the text `--events` list.
fn step_line(out: &mut String, s: &Step) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "  {:>12}  {}{:<22} broker {:>3}  partitions {}",
        duration(s.time_us as f64 / 1000.0),
        s.chapter_step
            .map(|n| format!("[{n}] "))
            .unwrap_or_else(|| "    ".into()),
        s.kind.name(),
        s.broker
            .map(|b| b.to_string())
            .unwrap_or_else(|| "-".into()),
        s.count
    );
}

pub(super) fn compare(o: &RunOptions) -> String {
    if o.scenario.event == Fault::RollingRestart {
        return compare_rolling(o);
    }
    let c = results::compare(&o.scenario).expect("validated");
    if o.json {
        return format!("{}\n", pretty(&c));
    }
    let (a, b, last_ratio) = (
        &c.crash,
        &c.controlled_shutdown,
        c.last_partition_downtime_ratio,
    );
    type Figure = Box<dyn Fn(&Summary) -> String>;
    let rows: [(&str, Figure); 10] = [
        (
            "partitions affected",
            Box::new(|s: &Summary| s.partitions_affected.to_string()),
        ),
        (
            "detection",
            Box::new(|s: &Summary| duration(s.detection_ms)),
        ),
        (
            "controller work",
            Box::new(|s: &Summary| duration(s.controller_work_ms)),
        ),
        (
            "first partition's downtime",
            Box::new(|s: &Summary| opt(s.first_partition_downtime_ms)),
        ),
        (
            "median downtime",
            Box::new(|s: &Summary| opt(s.median_downtime_ms)),
        ),
        (
            "p99 downtime",
            Box::new(|s: &Summary| opt(s.p99_downtime_ms)),
        ),
        (
            "last partition's downtime",
            Box::new(|s: &Summary| opt(s.last_partition_downtime_ms)),
        ),
        (
            "max downtime",
            Box::new(|s: &Summary| opt(s.max_downtime_ms)),
        ),
        (
            "unavailable partition-seconds",
            Box::new(|s: &Summary| format!("{:.1}", s.unavailable_partition_seconds)),
        ),
        (
            "over delivery.timeout.ms",
            Box::new(|s: &Summary| s.partitions_over_delivery_timeout.to_string()),
        ),
    ];
    let mut out = format!(
        "{} — broker {} in a cluster of {} partitions\n\n",
        a.profile, a.victim, a.partitions
    );
    out.push_str(&format!(
        "{:<32}{:>20}{:>22}\n",
        "", "crash", "controlled shutdown"
    ));
    for (label, f) in rows.iter() {
        out.push_str(&format!("{:<32}{:>20}{:>22}\n", label, f(a), f(b)));
    }
    if let (Some(x), Some(y)) = (&a.restart, &b.restart) {
        type RestartFigure = fn(&results::restart::RestartSummary) -> String;
        let restart_rows: [(&str, RestartFigure); 5] = [
            ("log recovery / loading", |r| duration(r.log_recovery_ms)),
            ("serving again", |r| opt(r.broker_serving_ms)),
            ("under-replicated until", |r| {
                opt(r.under_replicated_until_ms)
            }),
            ("under-replicated part.-seconds", |r| {
                format!("{:.1}", r.under_replicated_partition_seconds)
            }),
            ("leadership balanced", |r| {
                r.leadership_balanced_ms
                    .map(duration)
                    .unwrap_or_else(|| "not moved back".into())
            }),
        ];
        out.push_str(&format!(
            "\nthe broker's return, {} after it went down (estimates, docs/model.md):\n",
            duration(x.restart_after_ms)
        ));
        for (label, f) in restart_rows {
            out.push_str(&format!("{:<32}{:>20}{:>22}\n", label, f(x), f(y)));
        }
    }
    if let Some(r) = last_ratio {
        out.push_str(&format!("\nThe last partition waits {r:.0}× longer after a crash than under a controlled shutdown.\n"));
    }
    out
}

fn opt(v: Option<f64>) -> String {
    v.map(duration).unwrap_or_else(|| "never".into())
}

/// A duration in ms as a readable string.
pub fn duration(ms: f64) -> String {
    if ms < 1.0 {
        format!("{:.3} ms", ms)
    } else if ms < 1000.0 {
        format!("{:.1} ms", ms)
    } else if ms < 120_000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        let s = ms / 1000.0;
        format!(
            "{:.0} s ({}m {:02}s)",
            s,
            (s / 60.0).floor(),
            (s % 60.0).floor()
        )
    }
}

fn table(s: &Summary, sim: &Simulation) -> String {
    let plan = sim.plan();
    let mut out = format!(
        "{} ({}) — {} of broker {}\n{}\ncluster: {} brokers, controller {}, {} partition(s); broker {} led {}\n\n",
        plan.profile.title,
        plan.profile.name,
        s.event,
        s.victim,
        plan.profile.summary,
        plan.brokers.len(),
        s.controller,
        s.partitions,
        s.victim,
        s.partitions_affected
    );
    if plan.brokers.len() == 1 {
        out.insert_str(
            out.len() - 1,
            &format!(
                "broker {} is the only broker, so it is also the controller\n",
                s.victim
            ),
        );
    }
    let line = |k: &str, v: String| format!("  {k:<42}{v}\n");
    out += &line("detection", duration(s.detection_ms));
    out += &line("controller work", duration(s.controller_work_ms));
    out += &line(
        "first partition's downtime",
        opt(s.first_partition_downtime_ms),
    );
    out += &line("median downtime", opt(s.median_downtime_ms));
    out += &line("p99 downtime", opt(s.p99_downtime_ms));
    out += &line(
        "last partition's downtime",
        opt(s.last_partition_downtime_ms),
    );
    out += &line("max downtime", opt(s.max_downtime_ms));
    out += &line(
        "unavailable partition-seconds",
        format!("{:.1}", s.unavailable_partition_seconds),
    );
    out += &line(
        &format!(
            "over delivery.timeout.ms ({})",
            duration(s.delivery_timeout_ms)
        ),
        s.partitions_over_delivery_timeout.to_string(),
    );
    if s.partitions_without_leader > 0 {
        out += &line(
            "partitions left without a leader",
            s.partitions_without_leader.to_string(),
        );
    }
    if s.unclean_elections > 0 {
        out += &line(
            "unclean elections (data may be lost)",
            s.unclean_elections.to_string(),
        );
    }
    out += &line(
        "ISR shrinks of followed partitions",
        s.isr_shrinks.to_string(),
    );
    if let Some(b) = &s.last_partition_breakdown_ms {
        let v = serde_json::to_value(b).expect("serializable");
        let parts: Vec<String> = PARTS
            .iter()
            .filter_map(|p| {
                v[p].as_f64()
                    .filter(|x| *x > 0.0)
                    .map(|x| format!("{} {}", p.replace('_', " "), duration(x)))
            })
            .collect();
        out += &format!(
            "\n  the last partition's downtime = {}\n",
            parts.join(" + ")
        );
    }
    if let Some(r) = &s.restart {
        out += &restart_lines(r);
    }
    out
}

/// The return's figures under the run's table.
fn restart_lines(r: &results::restart::RestartSummary) -> String {
    let line = |k: &str, v: String| format!("  {k:<42}{v}\n");
    let mut out = format!(
        "\nthe broker's return ({} restart after {}; estimates, docs/model.md):\n",
        if r.clean_shutdown { "clean" } else { "crash" },
        duration(r.restart_after_ms)
    );
    out += &line(
        if r.clean_shutdown {
            "log loading (clean exit: no recovery)"
        } else {
            "log recovery (no clean-shutdown marker)"
        },
        format!(
            "{} ({} partitions, {:.0} MiB recovered)",
            duration(r.log_recovery_ms),
            r.partitions_hosted,
            r.log_recovered_mib
        ),
    );
    out += &line("serving again, from the fault", opt(r.broker_serving_ms));
    out += &line(
        "partitions that waited for its return",
        r.partitions_waiting_for_return.to_string(),
    );
    out += &line("under-replicated until", opt(r.under_replicated_until_ms));
    out += &line(
        "under-replicated partition-seconds",
        format!("{:.1}", r.under_replicated_partition_seconds),
    );
    out += &line(
        &format!("leadership balanced ({})", r.leader_rebalance),
        r.leadership_balanced_ms
            .map(duration)
            .unwrap_or_else(|| "not moved back".into()),
    );
    out += &line(
        "preferred leaders moved back",
        r.preferred_leaders_moved.to_string(),
    );
    out
}

/// `compare --event rolling-restart`: the roll by controlled shutdown beside the roll by kill -9.
fn compare_rolling(o: &RunOptions) -> String {
    let roll = |stop: Fault| {
        let mut s = o.scenario.clone();
        let mut r = s
            .restart
            .clone()
            .unwrap_or(crate::scenario::RestartSpec::after(
                crate::scenario::DEFAULT_ROLLING_RESTART_AFTER_MS,
            ));
        r.rolling_stop = stop;
        s.restart = Some(r);
        RollingRestart::new(&s).expect("validated").run()
    };
    let (clean, crash) = (roll(Fault::ControlledShutdown), roll(Fault::Crash));
    if o.json {
        return format!(
            "{}\n",
            pretty(&serde_json::json!({"controlled_shutdown": clean, "crash": crash}))
        );
    }
    let mut out = format!(
        "{} — rolling restart of {} brokers, {} partition(s)\n\n  {:<38}{:>22}{:>22}\n",
        clean.profile, clean.brokers, clean.partitions, "", "controlled shutdown", "kill -9"
    );
    let row = |k: &str, a: String, b: String| format!("  {k:<38}{a:>22}{b:>22}\n");
    out += &row(
        "rolling restart took",
        opt(clean.rolling_restart_ms),
        opt(crash.rolling_restart_ms),
    );
    out += &row(
        "unavailable partition-seconds",
        format!("{:.1}", clean.unavailable_partition_seconds),
        format!("{:.1}", crash.unavailable_partition_seconds),
    );
    out += &row(
        "under-replicated partition-seconds",
        format!("{:.1}", clean.under_replicated_partition_seconds),
        format!("{:.1}", crash.under_replicated_partition_seconds),
    );
    out += &row(
        "over delivery.timeout.ms",
        clean.partitions_over_delivery_timeout.to_string(),
        crash.partitions_over_delivery_timeout.to_string(),
    );
    out
}

/// `run --event rolling-restart` as a table.
fn rolling_table(s: &RollingSummary) -> String {
    let line = |k: &str, v: String| format!("  {k:<42}{v}\n");
    let mut out = format!(
        "{} — rolling restart of {} brokers ({} each, restarted after {}, the controller last)\n{} partition(s); estimates for the restart, docs/model.md\n\n",
        s.profile,
        s.brokers,
        s.rolling_stop,
        duration(s.restart_after_ms),
        s.partitions
    );
    out += &line("rolling restart took", opt(s.rolling_restart_ms));
    out += &line(
        "unavailable partition-seconds",
        format!("{:.1}", s.unavailable_partition_seconds),
    );
    out += &line(
        "under-replicated partition-seconds",
        format!("{:.1}", s.under_replicated_partition_seconds),
    );
    out += &line(
        &format!(
            "over delivery.timeout.ms ({})",
            duration(s.delivery_timeout_ms)
        ),
        s.partitions_over_delivery_timeout.to_string(),
    );
    out += &line(
        &format!("leadership balanced ({})", s.leader_rebalance),
        s.leadership_balanced_ms
            .map(duration)
            .unwrap_or_else(|| "not moved back".into()),
    );
    out += "\n  broker  stopped       serving again  in sync       led   max downtime\n";
    for t in &s.per_broker {
        out += &format!(
            "  {:>6}  {:<12}  {:<13}  {:<12}  {:>5} {}\n",
            t.broker,
            duration(t.stopped_ms),
            opt(t.serving_ms),
            opt(t.in_sync_ms),
            t.partitions_led,
            opt(t.max_downtime_ms)
        );
    }
    out
}

pub(super) fn profiles(as_json: bool) -> String {
    let list: Vec<_> = PROFILE_NAMES
        .iter()
        .filter_map(|n| profile::builtin(n))
        .collect();
    if as_json {
        return format!(
            "{}\n",
            serde_json::to_string_pretty(&profile::catalog()).expect("serializable")
        );
    }
    let mut out = String::from("profiles:\n");
    for p in &list {
        out += &format!("  {:<10} {} — {}\n", p.name, p.title, p.summary);
    }
    out += "\nparameters (as --name-with-dashes VALUE; values per profile in `profiles --json`):\n";
    for s in PARAMS {
        let range = if s.unit == Unit::Choice {
            s.choices.join(" | ")
        } else {
            format!("{} to {}", s.min, s.max)
        };
        out += &format!(
            "  --{:<38} {} [{}]\n",
            s.name.replace('_', "-"),
            s.doc,
            range
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Fault, Layout};

    /// `run` as it was built before streaming: every step kept, one `Value`, one string.
    fn in_memory(o: &RunOptions) -> String {
        let mut sim = Simulation::new(&o.scenario).unwrap();
        let mut steps = Vec::new();
        while let Some(step) = sim.step() {
            steps.push(step);
        }
        let summary = sim.summary();
        if o.csv {
            return sim.csv();
        }
        if o.json {
            let mut v = serde_json::to_value(&summary).unwrap();
            if o.events {
                v["events"] = serde_json::to_value(&steps).unwrap();
            }
            return format!("{}\n", serde_json::to_string_pretty(&v).unwrap());
        }
        let mut out = table(&summary, &sim);
        if o.events {
            out.push_str("\nsteps:\n");
            for s in &steps {
                out.push_str(&format!(
                    "  {:>12}  {}{:<22} broker {:>3}  partitions {}\n",
                    duration(s.time_us as f64 / 1000.0),
                    s.chapter_step
                        .map(|n| format!("[{n}] "))
                        .unwrap_or_else(|| "    ".into()),
                    s.kind.name(),
                    s.broker
                        .map(|b| b.to_string())
                        .unwrap_or_else(|| "-".into()),
                    s.count
                ));
            }
        }
        out
    }

    fn scenarios() -> Vec<Scenario> {
        let mut out = Vec::new();
        for profile in PROFILE_NAMES {
            for event in Fault::ALL {
                let mut s = Scenario::with_partitions(40);
                s.profile = profile.to_string();
                s.event = event;
                out.push(s);
            }
        }
        // Kafka's layout over 6 brokers, the victim the controller.
        let mut s = Scenario::with_partitions(30);
        s.profile = "kafka-1.1".into();
        s.cluster.brokers = 6;
        s.cluster.topics[0].layout = Layout::Kafka;
        s.cluster.topics[0].replication_factor = 3;
        s.victim_is_controller = true;
        out.push(s);
        // Elections that fail (RF 1): null leaders, offline partitions, a controlled shutdown
        // that gives up and exits; and the same with unclean election under KRaft.
        for (profile, event, unclean) in [
            ("kafka-1.0", Fault::Crash, false),
            ("kafka-1.1", Fault::ControlledShutdown, false),
            ("kraft", Fault::Crash, true),
        ] {
            let mut s = Scenario::with_partitions(7);
            s.profile = profile.into();
            s.event = event;
            s.unclean = unclean;
            s.cluster.topics[0].replication_factor = 1;
            out.push(s);
        }
        // Several topics, lagging followers.
        out.push(
            Scenario::from_json(
                r#"{"profile": "kafka-1.1", "cluster": {"brokers": 4, "topics": [
                    {"name": "a", "partitions": 5, "replication_factor": 3},
                    {"name": "b", "assignment": [[1, 2], [2, 1], [1, 3]], "isr": [[1], [2, 1], [1, 3]]}]}}"#,
            )
            .unwrap(),
        );
        out
    }

    #[test]
    fn streamed_output_is_byte_identical_to_the_in_memory_one() {
        let mut checked = 0;
        for scenario in scenarios() {
            for (json, events, csv) in [
                (false, false, false),
                (false, true, false),
                (true, false, false),
                (true, true, false),
                (false, false, true),
            ] {
                let o = RunOptions {
                    scenario: scenario.clone(),
                    json,
                    events,
                    csv,
                    note: None,
                };
                let mut streamed = Vec::new();
                run(&o, &mut streamed).unwrap();
                let want = in_memory(&o);
                assert!(
                    streamed == want.as_bytes(),
                    "{} {:?} json {json} events {events} csv {csv}:\n{}\n---\n{want}",
                    scenario.profile,
                    scenario.event,
                    String::from_utf8_lossy(&streamed)
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 5 * 15);
    }

    /// A writer that fails after `left` bytes, as a full disk would.
    struct Failing {
        left: usize,
    }
    impl Write for Failing {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"));
            }
            let n = b.len().min(self.left);
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_writer_stops_the_run_with_the_error() {
        for (json, events, csv) in [
            (true, true, false),
            (false, true, false),
            (false, false, true),
        ] {
            let o = RunOptions {
                scenario: Scenario::with_partitions(1_000),
                json,
                events,
                csv,
                note: None,
            };
            let e = run(&o, &mut Failing { left: 100 }).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
        }
    }
}
