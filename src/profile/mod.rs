//! Timing profiles: data, not code paths.
//!
//! A profile names what it models, gives every cost parameter a value and says where the value
//! comes from, marking estimates as estimates. The controller reads only the parameters, so the
//! book's model and Kafka's code can be compared on the same cluster by switching a field.

use serde::Serialize;

mod builtin;
mod params;

pub use builtin::builtin;
pub use params::{spec, ParamSpec, ParamValue, Params, Unit, PARAMS};

/// Which controller implementation a profile models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The ZooKeeper-based controller (Kafka up to 3.9).
    Zookeeper,
    /// The KRaft quorum controller (3.x, the only mode from 4.0).
    Kraft,
}

/// How the new leaders of a set of partitions reach the brokers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Publication {
    /// One partition after another: each is elected, recorded and published before the next
    /// starts (the book's model; Kafka 1.0's controlled shutdown).
    PerPartition,
    /// The whole set is elected and recorded, then published once (Kafka's code after a crash,
    /// and 1.1+ controlled shutdown).
    PerBatch,
}

/// When a partition moved by a controlled shutdown stops being served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShutdownUnavailability {
    /// Only between the old leader stepping down and clients reaching the new one (Kafka's code).
    SwitchOver,
    /// From the start of its own election (the book: "a brief downtime while an election runs").
    OwnElection,
}

/// Where one parameter's value in one profile comes from.
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    pub param: &'static str,
    pub text: &'static str,
    pub estimate: bool,
}

/// A named timing profile.
#[derive(Clone, Debug, Serialize)]
pub struct Profile {
    pub name: &'static str,
    pub title: &'static str,
    pub mode: Mode,
    pub summary: &'static str,
    pub params: Params,
    pub sources: Vec<Source>,
}

/// The built-in profile names, in menu order.
pub const PROFILE_NAMES: &[&str] = &["book", "kafka-1.0", "kafka-1.1", "kafka-2.5", "kraft"];

/// Interns a user's choice string as the matching `&'static str` choice of a parameter.
pub fn choice_value(name: &str, value: &str) -> Result<ParamValue, String> {
    let spec = spec(name).ok_or_else(|| format!("unknown parameter `{name}`"))?;
    spec.choices
        .iter()
        .find(|c| **c == value)
        .map(|c| ParamValue::Choice(c))
        .ok_or_else(|| {
            format!(
                "`{name}` is `{value}`; allowed: {}",
                spec.choices.join(", ")
            )
        })
}

/// Every profile with its parameter values and sources, and every parameter's description: what
/// `kafka-election profiles --json` prints and what the page's profile editor shows.
pub fn catalog() -> serde_json::Value {
    use serde_json::json;
    let params: Vec<_> = PARAMS
        .iter()
        .map(|p| json!({"name": p.name, "unit": p.unit, "min": p.min, "max": p.max, "choices": p.choices, "kafka_config": p.kafka_config, "doc": p.doc}))
        .collect();
    let profiles: Vec<_> = PROFILE_NAMES
        .iter()
        .filter_map(|n| builtin(n))
        .map(|p| {
            let values: serde_json::Map<String, serde_json::Value> =
                PARAMS.iter().map(|s| (s.name.to_string(), serde_json::to_value(p.params.get(s.name)).expect("serializable"))).collect();
            json!({"name": p.name, "title": p.title, "mode": p.mode, "summary": p.summary, "parameters": values, "sources": p.sources})
        })
        .collect();
    json!({"profiles": profiles, "parameters": params})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_resolves_and_every_param_round_trips() {
        for name in PROFILE_NAMES {
            let p = builtin(name).expect("built-in profile");
            assert_eq!(p.name, *name);
            for spec in PARAMS {
                let v = p
                    .params
                    .get(spec.name)
                    .unwrap_or_else(|| panic!("{} readable", spec.name));
                let mut copy = p.params.clone();
                copy.set(spec.name, &v)
                    .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
                assert_eq!(copy, p.params, "{} round-trips", spec.name);
            }
            for s in &p.sources {
                assert!(
                    PARAMS.iter().any(|x| x.name == s.param),
                    "source names a real parameter: {}",
                    s.param
                );
            }
        }
        assert!(builtin("kafka-9").is_none());
    }

    #[test]
    fn bad_values_are_refused_with_the_range() {
        let mut p = builtin("kafka-1.1").unwrap().params;
        let e = p
            .set("zk_session_timeout_ms", &ParamValue::Number(-1.0))
            .unwrap_err();
        assert!(e.contains("allowed: 0 to"), "{e}");
        assert!(p.set("zk_max_in_flight", &ParamValue::Number(0.0)).is_err());
        assert!(p.set("zk_max_in_flight", &ParamValue::Number(2.5)).is_err());
        assert!(p
            .set("nope", &ParamValue::Number(1.0))
            .unwrap_err()
            .contains("unknown parameter"));
        assert!(p
            .set("retry_backoff_ms", &ParamValue::Number(f64::NAN))
            .is_err());
        assert!(choice_value("crash_publication", "sometimes").is_err());
        p.set(
            "crash_publication",
            &choice_value("crash_publication", "per_partition").unwrap(),
        )
        .unwrap();
        assert_eq!(p.crash_publication, Publication::PerPartition);
    }
}
