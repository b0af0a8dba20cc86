//! Everything the engine names that a user interface needs to know, in one value: the profiles
//! and their parameters (with the controller modes that read each), the limits of a scenario, the
//! faults, the election strategies of the `elect` contract, the partition states of the partition
//! map and the downtime parts. The page reads it instead of keeping copies of its own
//! (`catalog()` in wasm, `kafka-election catalog`).

use serde_json::{json, Value};

use crate::broker::MAX_BROKER_ID;
use crate::election::case::STRATEGIES;
use crate::profile::{self, PARAMS};
use crate::results::{PartitionState, PARTS, ROW_COLUMNS};
use crate::scenario::{
    Fault, LeaderRebalance, DEFAULT_ROLLING_RESTART_AFTER_MS, MAX_BROKERS, MAX_PARTITIONS,
    MAX_RESTART_AFTER_MS, MAX_TOPICS, MAX_TOPIC_NAME,
};

pub fn catalog() -> Value {
    let mut v = profile::catalog();
    for (p, spec) in v["parameters"]
        .as_array_mut()
        .expect("the profile catalog lists parameters")
        .iter_mut()
        .zip(PARAMS)
    {
        p["modes"] = json!(spec.modes);
    }
    v["limits"] = json!({
        "max_brokers": MAX_BROKERS,
        "max_partitions": MAX_PARTITIONS,
        "max_topics": MAX_TOPICS,
        "max_broker_id": MAX_BROKER_ID,
        "max_topic_name": MAX_TOPIC_NAME,
    });
    v["faults"] = json!(Fault::ALL.map(Fault::name));
    v["events"] = json!(Fault::EVENTS.map(Fault::name));
    v["leader_rebalance"] = json!(LeaderRebalance::ALL.map(LeaderRebalance::name));
    v["restart_limits"] = json!({
        "max_after_ms": MAX_RESTART_AFTER_MS,
        "default_rolling_after_ms": DEFAULT_ROLLING_RESTART_AFTER_MS,
    });
    v["strategies"] = json!(STRATEGIES
        .iter()
        .map(|(mode, list)| (mode.to_string(), json!(list)))
        .collect::<serde_json::Map<_, _>>());
    v["partition_states"] = json!(
        PartitionState::ALL.map(|s| json!({"code": s as u8, "name": s, "down": s.is_down()}))
    );
    v["downtime_parts"] = json!(PARTS);
    v["row_columns"] = json!(ROW_COLUMNS);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_names_what_the_engine_uses() {
        let c = catalog();
        assert_eq!(c["limits"]["max_partitions"], json!(2_000_000));
        assert_eq!(c["faults"], json!(["crash", "controlled-shutdown"]));
        assert_eq!(
            c["strategies"]["kraft"],
            json!(["online", "preferred", "unclean"])
        );
        assert_eq!(c["partition_states"][6]["name"], json!("no_leader"));
        assert_eq!(c["partition_states"][6]["down"], json!(true));
        assert_eq!(c["downtime_parts"][0], json!("detection"));
        let params = c["parameters"].as_array().unwrap();
        assert_eq!(params.len(), PARAMS.len());
        let modes =
            |name: &str| params.iter().find(|p| p["name"] == name).unwrap()["modes"].clone();
        assert_eq!(modes("zk_session_timeout_ms"), json!(["zookeeper"]));
        assert_eq!(modes("broker_session_timeout_ms"), json!(["kraft"]));
        assert_eq!(modes("propagation_ms"), json!(["zookeeper", "kraft"]));
    }
}

#[cfg(test)]
mod doc_tests {
    /// `docs/model.md` lists every parameter the profiles have: a new one cannot go undocumented.
    #[test]
    fn the_model_document_lists_every_parameter() {
        let doc = include_str!("../docs/model.md");
        for p in crate::profile::PARAMS {
            assert!(
                doc.contains(&format!("`{}`", p.name)),
                "docs/model.md lacks {}",
                p.name
            );
        }
    }
}
