//! The edges of a ZooKeeper-mode controlled shutdown, as Kafka's `KafkaServer.controlledShutdown`
//! and `KafkaController.doControlledShutdown` behave: attempts, single-replica partitions, and
//! what the controller does once the broker exits with leaderships it could not move.
#![cfg(not(target_arch = "wasm32"))]

use kafka_election::scenario::{Override, TopicSpec};
use kafka_election::{Fault, Scenario, Simulation, Step, StepKind};

fn shutdown(profile: &str, assignment: Vec<Vec<u32>>, isr: Vec<Vec<u32>>) -> Scenario {
    let mut s = Scenario::with_partitions(1);
    s.profile = profile.into();
    s.event = Fault::ControlledShutdown;
    s.cluster.topics = vec![TopicSpec {
        partitions: None,
        assignment: Some(assignment),
        isr: Some(isr),
        ..s.cluster.topics[0].clone()
    }];
    s
}

fn steps(s: &Scenario) -> (Simulation, Vec<Step>) {
    let mut sim = Simulation::new(s).unwrap();
    let mut out = Vec::new();
    while let Some(step) = sim.step() {
        out.push(step);
    }
    (sim, out)
}

fn kinds(steps: &[Step], kind: StepKind) -> Vec<&Step> {
    steps.iter().filter(|s| s.kind == kind).collect()
}

#[test]
fn max_retries_counts_attempts_then_the_broker_shuts_down_anyway() {
    // Partition 0 cannot move (ISR [1]); partition 1 can.
    let s = shutdown(
        "kafka-1.1",
        vec![vec![1, 3], vec![1, 2]],
        vec![vec![1], vec![1, 2]],
    );
    let (sim, st) = steps(&s);
    let requests = kinds(&st, StepKind::ShutdownRequested);
    assert_eq!(
        requests.len(),
        3,
        "controlled.shutdown.max.retries = 3 attempts"
    );
    let gaps: Vec<i64> = requests
        .windows(2)
        .map(|w| w[1].time_us - w[0].time_us)
        .collect();
    assert!(
        gaps.iter().all(|&g| g >= 5_000_000),
        "5 s backoff between attempts: {gaps:?}"
    );
    let exit = kinds(&st, StepKind::BrokerExited)[0].time_us;
    let last_reply = kinds(&st, StepKind::ShutdownReplied)
        .last()
        .unwrap()
        .time_us;
    assert_eq!(
        exit,
        last_reply + 5_000_000 + 500_000,
        "the last backoff, then the log flush"
    );
    // After the exit the stuck partition is the controller's, as for a failed broker.
    assert_eq!(sim.partition_state(0).leader, None);
    assert_eq!(sim.partition_state(1).leader, Some(2));

    let mut none = s.clone();
    none.parameters.insert(
        "controlled_shutdown_max_retries".into(),
        Override::Number(0.0),
    );
    let (sim, st) = steps(&none);
    assert!(
        kinds(&st, StepKind::ShutdownRequested).is_empty(),
        "0 attempts: no request at all"
    );
    assert_eq!(
        sim.partition_state(1).leader,
        Some(2),
        "moved after the exit instead"
    );
    let sum = sim.summary();
    // Row 0 is partition 0, whose ISR has no other member; row 1 is partition 1.
    assert!(
        sum.first_partition_downtime_ms.is_none(),
        "partition 0 never gets a leader"
    );
    // Partition 1 is served by broker 1 until the exit, then handled as after a crash, without the
    // session timeout (the exit closes the session): a short outage, more than client discovery.
    let d = sum.last_partition_downtime_ms.unwrap();
    assert!(d > 100.0 && d < 1_000.0, "{d} ms");
    assert_eq!(sum.partitions_recovered, 1);
}

#[test]
fn single_replica_partitions_are_neither_elected_nor_waited_for() {
    let s = shutdown("book", vec![vec![1]; 50], vec![vec![1]; 50]);
    let (sim, st) = steps(&s);
    let exit = kinds(&st, StepKind::BrokerExited)[0].time_us;
    assert!(
        st.iter()
            .filter(|x| x.time_us < exit)
            .all(|x| x.kind != StepKind::LeadersElected),
        "no election before the exit"
    );
    assert_eq!(
        kinds(&st, StepKind::ShutdownRequested).len(),
        1,
        "nothing remaining: no retry"
    );
    assert_eq!(exit, 500_000, "replied at once, then the log flush");
    assert!(
        (0..50).all(|p| sim.partition_state(p).leader.is_none()),
        "KAFKA-5083 after the exit"
    );
}

#[test]
fn a_controller_that_exits_is_replaced_before_its_partitions_are_elected() {
    let mut s = shutdown("kafka-1.1", vec![vec![1, 3]; 20], vec![vec![1]; 20]);
    s.victim_is_controller = true;
    s.unclean = true;
    let (sim, st) = steps(&s);
    let loaded = kinds(&st, StepKind::MetadataLoaded)[0].time_us;
    let exit = kinds(&st, StepKind::BrokerExited)[0].time_us;
    let after: Vec<&Step> = st.iter().filter(|x| x.time_us > exit).collect();
    assert_eq!(after[0].kind, StepKind::ControllerElected);
    let written = kinds(&st, StepKind::StateWritten).last().unwrap().time_us;
    assert!(
        written > loaded,
        "elections wait for the new controller to load the state"
    );
    assert!(
        (0..20).all(|p| sim.partition_state(p).leader == Some(3)),
        "unclean election after the exit"
    );
    assert_eq!(sim.summary().unclean_elections, 20);
}

#[test]
fn partitions_without_a_leader_count_as_unavailable_until_the_run_ends() {
    let mut s = Scenario::with_partitions(3);
    s.cluster.topics[0].replication_factor = 1;
    let mut sim = Simulation::new(&s).unwrap();
    let sum = sim.run();
    assert_eq!(sum.partitions_without_leader, 3);
    assert!(
        (sum.unavailable_partition_seconds - 3.0 * sum.end_ms / 1000.0).abs() < 1e-9,
        "{sum:?}"
    );
}
