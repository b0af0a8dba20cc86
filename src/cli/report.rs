//! What `run`, `compare` and `profiles` print: JSON, CSV, steps or a readable table.

use crate::profile::{self, Unit, PARAMS, PROFILE_NAMES};
use crate::results::{self, Summary, PARTS};
use crate::scenario::Scenario;
use crate::simulation::Simulation;

use super::{ok, Output, RunOptions};

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

pub(super) fn run(o: &RunOptions) -> Output {
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

pub(super) fn compare(o: &RunOptions) -> Output {
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
