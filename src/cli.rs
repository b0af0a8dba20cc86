//! The `kafka-election` command line, as pure functions: arguments and stdin in, output text and
//! exit code out. `src/bin/kafka-election.rs` only does the I/O.

use crate::election::case::elect;
use crate::profile::{self, Unit, PARAMS, PROFILE_NAMES};
use crate::results::{self, Summary, PARTS};
use crate::scenario::{Fault, Layout, Override, Scenario, TopicSpec};
use crate::simulation::Simulation;

/// What a command produced.
#[derive(Debug, PartialEq)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn ok(stdout: String) -> Output {
    Output {
        code: 0,
        stdout,
        stderr: String::new(),
    }
}

fn usage_error(msg: impl std::fmt::Display) -> Output {
    Output {
        code: 2,
        stdout: String::new(),
        stderr: format!("kafka-election: {msg}\nRun `kafka-election --help` for usage.\n"),
    }
}

pub const HELP: &str = "\
kafka-election — Kafka's controller re-electing partition leaders, simulated

USAGE
  kafka-election run     [OPTIONS]   one fault: --event crash | controlled-shutdown
  kafka-election compare [OPTIONS]   the same cluster under a crash and a controlled shutdown
  kafka-election elect               one election: a JSON case on stdin, the result on stdout
  kafka-election profiles [--json]   the timing profiles, their parameters and sources
  kafka-election catalog             everything the engine names, as JSON (what the page reads)

OPTIONS (run, compare)
  --profile P                 book | kafka-1.0 | kafka-1.1 | kafka-2.5 | kraft   (default book)
  --event E                   crash | controlled-shutdown                      (default crash)
  --partitions N              partitions of the one topic (default 10000)
  --brokers N                 brokers, ids 1..N (default 3)
  --replication-factor N      default 2
  --layout L                  led-by (every partition led by the victim; default) | kafka
  --victim ID                 the broker that fails (default 1)
  --controller ID             the controller (default 2)
  --victim-is-controller      the failing broker is also the controller
  --unclean                   unclean.leader.election.enable=true
  --scenario FILE             a JSON scenario (README: scenario schema); options given after it override it
  --json                      JSON instead of a table
  --events                    also list every step of the run
  --csv                       (run) the per-partition results as CSV instead of the summary
  --<parameter> VALUE         any profile parameter, e.g. --zk-session-timeout-ms 18000
                              (`kafka-election profiles` lists them)

Exit codes: 0 success, 2 bad input (the message names the field and what is allowed).
";

/// Runs the CLI on `args` (without the program name). `read_file` and `stdin` supply input.
pub fn main(
    args: &[String],
    read_file: &dyn Fn(&str) -> Result<String, String>,
    stdin: &dyn Fn() -> Result<String, String>,
) -> Output {
    let Some(cmd) = args.first() else {
        return Output {
            code: 2,
            stdout: String::new(),
            stderr: HELP.to_string(),
        };
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "-h" | "--help" | "help" => ok(HELP.to_string()),
        "run" | "compare" if rest.iter().any(|a| a == "-h" || a == "--help") => {
            ok(HELP.to_string())
        }
        "run" | "compare" => match parse_run(rest, read_file) {
            Ok(opts) if cmd == "run" => run(&opts),
            Ok(opts) => compare(&opts),
            Err(e) => usage_error(e),
        },
        "elect" => match stdin().and_then(|text| elect(&text)) {
            Ok(v) => ok(format!("{v}\n")),
            Err(e) => usage_error(e),
        },
        "profiles" => ok(profiles(rest.iter().any(|a| a == "--json"))),
        "catalog" => ok(format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::catalog::catalog()).expect("serializable")
        )),
        other => usage_error(format!(
            "unknown command `{other}`; commands: run, compare, elect, profiles, catalog"
        )),
    }
}

/// Parsed `run` / `compare` options.
#[derive(Debug)]
pub struct RunOptions {
    pub scenario: Scenario,
    pub json: bool,
    pub events: bool,
    pub csv: bool,
}

/// The first topic, which the CLI's topic options shape.
fn topic(s: &mut Scenario) -> &mut TopicSpec {
    if s.cluster.topics.is_empty() {
        s.cluster
            .topics
            .push(Scenario::with_partitions(10_000).cluster.topics.remove(0));
    }
    &mut s.cluster.topics[0]
}

fn number<T: std::str::FromStr>(flag: &str, v: &str, allowed: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag} is `{v}`; allowed: {allowed}"))
}

pub fn parse_run(
    args: &[String],
    read_file: &dyn Fn(&str) -> Result<String, String>,
) -> Result<RunOptions, String> {
    let mut s = Scenario::default();
    let (mut json, mut events, mut csv) = (false, false, false);
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        let value = |i: usize| -> Result<&str, String> {
            args.get(i + 1)
                .map(String::as_str)
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        let mut takes_value = true;
        match flag {
            "--json" => (json, takes_value) = (true, false),
            "--events" => (events, takes_value) = (true, false),
            "--csv" => (csv, takes_value) = (true, false),
            "--unclean" => (s.unclean, takes_value) = (true, false),
            "--victim-is-controller" => (s.victim_is_controller, takes_value) = (true, false),
            "--profile" => {
                let v = value(i)?;
                if !PROFILE_NAMES.contains(&v) {
                    return Err(format!(
                        "--profile is `{v}`; allowed: {}",
                        PROFILE_NAMES.join(", ")
                    ));
                }
                s.profile = v.to_string();
            }
            "--event" => {
                s.event = match value(i)? {
                    "crash" => Fault::Crash,
                    "controlled-shutdown" => Fault::ControlledShutdown,
                    v => {
                        return Err(format!(
                            "--event is `{v}`; allowed: crash, controlled-shutdown"
                        ))
                    }
                }
            }
            "--partitions" => {
                let allowed = format!(
                    "a whole number from 1 to {}",
                    crate::scenario::MAX_PARTITIONS
                );
                let n: u64 = number(flag, value(i)?, &allowed)?;
                if n == 0 || n > crate::scenario::MAX_PARTITIONS {
                    return Err(format!("--partitions is {n}; allowed: {allowed}"));
                }
                let t = topic(&mut s);
                t.partitions = Some(n as u32);
                t.assignment = None;
                t.isr = None;
            }
            "--brokers" => {
                s.cluster.brokers = number(flag, value(i)?, "a whole number from 1 to 64")?
            }
            "--replication-factor" => {
                topic(&mut s).replication_factor =
                    number(flag, value(i)?, "a whole number from 1 to the broker count")?
            }
            "--layout" => {
                topic(&mut s).layout = match value(i)? {
                    "led-by" => Layout::LedBy,
                    "kafka" => Layout::Kafka,
                    v => return Err(format!("--layout is `{v}`; allowed: led-by, kafka")),
                }
            }
            "--victim" => s.victim = Some(number(flag, value(i)?, "a broker id from 0 to 127")?),
            "--controller" => {
                s.cluster.controller = Some(number(flag, value(i)?, "a broker id from 0 to 127")?)
            }
            "--scenario" => {
                let path = value(i)?;
                let text = read_file(path).map_err(|e| format!("--scenario {path}: {e}"))?;
                s = Scenario::from_json(&text).map_err(|e| format!("--scenario {path}: {e}"))?;
            }
            f if f.starts_with("--") => {
                let name = f[2..].replace('-', "_");
                let Some(spec) = PARAMS.iter().find(|p| p.name == name) else {
                    return Err(format!("unknown option `{f}`; see --help, or `kafka-election profiles` for the parameters"));
                };
                let v = value(i)?;
                let o = if spec.unit == Unit::Choice {
                    Override::Text(v.to_string())
                } else {
                    Override::Number(number(
                        f,
                        v,
                        &format!("a number from {} to {}", spec.min, spec.max),
                    )?)
                };
                s.parameters.insert(name, o);
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
        i += if takes_value { 2 } else { 1 };
    }
    // Validate now so errors come before any output.
    s.plan().map_err(|e| e.to_string())?;
    if csv && (json || events) {
        return Err(
            "--csv prints only the per-partition table; leave out --json and --events".into(),
        );
    }
    Ok(RunOptions {
        scenario: s,
        json,
        events,
        csv,
    })
}

fn simulate(s: &Scenario, events: bool) -> (Summary, Vec<crate::step::Step>, Simulation) {
    let mut sim = Simulation::new(s).expect("validated");
    let mut steps = Vec::new();
    while let Some(step) = sim.step() {
        if events {
            steps.push(step);
        }
    }
    (sim.summary(), steps, sim)
}

fn run(o: &RunOptions) -> Output {
    let (summary, steps, sim) = simulate(&o.scenario, o.events);
    if o.csv {
        return ok(sim.csv());
    }
    if o.json {
        let mut v = serde_json::to_value(&summary).expect("serializable");
        if o.events {
            v["events"] = serde_json::to_value(&steps).expect("serializable");
        }
        return ok(format!(
            "{}\n",
            serde_json::to_string_pretty(&v).expect("serializable")
        ));
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
    ok(out)
}

fn compare(o: &RunOptions) -> Output {
    let c = results::compare(&o.scenario).expect("validated");
    if o.json {
        return ok(format!(
            "{}\n",
            serde_json::to_string_pretty(&serde_json::to_value(&c).expect("serializable"))
                .expect("serializable")
        ));
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
    if let Some(r) = last_ratio {
        out.push_str(&format!("\nThe last partition waits {r:.0}× longer after a crash than under a controlled shutdown.\n"));
    }
    ok(out)
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
    out
}

fn profiles(as_json: bool) -> String {
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
