//! `run` and `compare` options into a validated scenario: flags shape the default cluster or a
//! `--scenario` file, one flag per profile parameter.

use crate::profile::{Unit, PARAMS, PROFILE_NAMES};
use crate::scenario::{
    Fault, Layout, LeaderRebalance, Override, RestartSpec, Scenario, TopicSpec,
    DEFAULT_ROLLING_RESTART_AFTER_MS,
};

/// Parsed `run` / `compare` options.
#[derive(Debug)]
pub struct RunOptions {
    pub scenario: Scenario,
    pub json: bool,
    pub events: bool,
    pub csv: bool,
    /// What the user may not expect from the cluster they gave: a one-broker cluster's only
    /// broker is also its controller, so the fault takes the controller with it.
    pub note: Option<String>,
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
    let (mut restart_after, mut rebalance, mut rolling_stop) = (None, None, None);
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
                    "rolling-restart" => Fault::RollingRestart,
                    v => {
                        return Err(format!(
                            "--event is `{v}`; allowed: crash, controlled-shutdown, rolling-restart"
                        ))
                    }
                }
            }
            "--restart-after-ms" => {
                let allowed = "milliseconds from 0 to 604800000 (a week)";
                let ms: f64 = number(flag, value(i)?, allowed)?;
                restart_after = Some(ms);
            }
            "--leader-rebalance" => {
                rebalance = Some(match value(i)? {
                    "auto" => LeaderRebalance::Auto,
                    "immediate" => LeaderRebalance::Immediate,
                    "off" => LeaderRebalance::Off,
                    v => {
                        return Err(format!(
                            "--leader-rebalance is `{v}`; allowed: auto, immediate, off"
                        ))
                    }
                })
            }
            "--rolling-stop" => {
                rolling_stop = Some(match value(i)? {
                    "crash" => Fault::Crash,
                    "controlled-shutdown" => Fault::ControlledShutdown,
                    v => {
                        return Err(format!(
                            "--rolling-stop is `{v}`; allowed: controlled-shutdown, crash"
                        ))
                    }
                })
            }
            "--sole-isr-fraction" => {
                let allowed = "a fraction from 0 to 1";
                topic(&mut s).sole_isr_fraction = Some(number(flag, value(i)?, allowed)?);
                topic(&mut s).isr = None;
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
    if restart_after.is_some() || rebalance.is_some() || rolling_stop.is_some() {
        let rolling = s.event == Fault::RollingRestart;
        let mut r = match (s.restart.take(), restart_after) {
            (Some(r), _) => r,
            (None, Some(after_ms)) => RestartSpec::after(after_ms),
            (None, None) if rolling => RestartSpec::after(DEFAULT_ROLLING_RESTART_AFTER_MS),
            (None, None) => {
                return Err("--leader-rebalance and --rolling-stop shape a restart: give --restart-after-ms MS (or --event rolling-restart)".into())
            }
        };
        if let Some(ms) = restart_after {
            r.after_ms = ms;
        }
        if let Some(b) = rebalance {
            r.leader_rebalance = b;
        }
        if let Some(stop) = rolling_stop {
            if !rolling {
                return Err("--rolling-stop is for --event rolling-restart".into());
            }
            r.rolling_stop = stop;
        }
        s.restart = Some(r);
    }
    // Validate now so errors come before any output.
    let plan = s.plan().map_err(|e| e.to_string())?;
    let note = (plan.brokers.len() == 1).then(|| {
        format!(
            "broker {} is the only broker, so it is also the controller; once it is gone no broker is left to elect leaders",
            plan.victim
        )
    });
    drop(plan);
    if csv && s.event == Fault::RollingRestart {
        return Err("--csv prints one fault's per-partition table; a rolling restart has one per broker: use --json".into());
    }
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
        note,
    })
}
