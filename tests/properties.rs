//! Property tests: invariants of Kafka's controller that must hold on any cluster, checked over
//! random scenarios (the second test layer, README "Tests"). Each case is a whole `Scenario`: brokers,
//! topics in both layouts, sometimes explicit ISR subsets, any profile, either fault, a few
//! parameter overrides. 64 cases keep the suite well under a minute on 2 cores.
#![cfg(not(target_arch = "wasm32"))]

use kafka_election::profile::Mode;
use kafka_election::results::{NEVER, NO_LEADER};
use kafka_election::scenario::{Layout, Override, TopicSpec};
use kafka_election::{BrokerSet, BrokerState, Fault, Scenario, Simulation, Step};
use proptest::prelude::*;

const PROFILES: [&str; 5] = ["book", "kafka-1.0", "kafka-1.1", "kafka-2.5", "kraft"];

/// One topic's random shape; `isr_masks` (one per partition, bit i = replica i) turn into an
/// explicit ISR once the layout is known.
#[derive(Clone, Debug)]
struct TopicGen {
    partitions: u32,
    rf: u32,
    kafka_layout: bool,
    led_by: u32,
    start_index: u32,
    replica_shift: u32,
    isr_masks: Option<Vec<u8>>,
}

fn topic(brokers: u32) -> impl Strategy<Value = TopicGen> {
    (
        1u32..=300,
        1..=brokers,
        any::<bool>(),
        1..=brokers,
        0u32..10,
        0u32..10,
        prop::option::weighted(0.3, prop::collection::vec(any::<u8>(), 300)),
    )
        .prop_map(
            |(partitions, rf, kafka_layout, led_by, start_index, replica_shift, isr_masks)| {
                TopicGen {
                    partitions,
                    rf,
                    kafka_layout,
                    led_by,
                    start_index,
                    replica_shift,
                    isr_masks,
                }
            },
        )
}

/// A parameter override from (which, raw value), always inside the parameter's allowed range.
fn apply_override(s: &mut Scenario, which: u8, v: u32) {
    let mut set = |name: &str, o: Override| {
        s.parameters.insert(name.into(), o);
    };
    let num = |x: f64| Override::Number(x);
    let text = |x: &str| Override::Text(x.into());
    match which % 13 {
        0 => set("zk_max_in_flight", num(f64::from(1 + v % 20))),
        1 => set("controller_per_partition_ms", num(f64::from(v % 50) / 10.0)),
        2 => set("kraft_max_records_per_batch", num(f64::from(1 + v % 500))),
        3 => {
            // KIP-966: Eligible Leader Replicas with a min ISR that can exceed the ISR.
            set("eligible_leader_replicas", num(1.0));
            set("min_insync_replicas", num(f64::from(1 + v % 3)));
        }
        4 => set(
            "crash_publication",
            text(["per_partition", "per_batch"][v as usize % 2]),
        ),
        5 => set(
            "shutdown_publication",
            text(["per_partition", "per_batch"][v as usize % 2]),
        ),
        6 => set(
            "shutdown_unavailability",
            text(["switch_over", "own_election"][v as usize % 2]),
        ),
        7 => set("propagation_ms", num(f64::from(v % 5))),
        8 => set("zk_session_timeout_ms", num(f64::from(v % 1000) * 10.0)),
        9 => set("broker_session_timeout_ms", num(f64::from(1 + v % 10_000))),
        10 => set("controlled_shutdown_max_retries", num(f64::from(v % 4))),
        11 => set(
            "metadata_load_per_partition_ms",
            num(f64::from(v % 10) / 10.0),
        ),
        _ => {
            set("zk_round_trip_ms", num(f64::from(v % 5)));
            set("zk_pipelined_op_ms", num(f64::from(v % 3) / 10.0));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    brokers: u32,
    topics: Vec<TopicGen>,
    profile: usize,
    shutdown: bool,
    victim: u32,
    victim_is_controller: bool,
    unclean: bool,
    controller: u32,
    overrides: Vec<(u8, u32)>,
) -> Scenario {
    let mut s = Scenario {
        profile: PROFILES[profile].into(),
        event: if shutdown {
            Fault::ControlledShutdown
        } else {
            Fault::Crash
        },
        victim: Some(victim),
        // A one-broker ZooKeeper cluster cannot fail over its controller: the scenario is refused.
        victim_is_controller: victim_is_controller && brokers > 1,
        unclean,
        ..Scenario::default()
    };
    s.cluster.brokers = brokers;
    s.cluster.controller = Some(controller);
    s.cluster.topics = topics
        .iter()
        .enumerate()
        .map(|(i, t)| TopicSpec {
            name: format!("t{i}"),
            partitions: Some(t.partitions),
            replication_factor: t.rf,
            layout: if t.kafka_layout {
                Layout::Kafka
            } else {
                Layout::LedBy
            },
            led_by: Some(t.led_by),
            start_index: t.start_index,
            replica_shift: t.replica_shift,
            assignment: None,
            isr: None,
            sole_isr_fraction: None,
        })
        .collect();
    for (which, v) in overrides {
        apply_override(&mut s, which, v);
    }
    // Explicit ISRs need the replica lists, which the layout decides.
    let plan = s.plan().expect("generated scenarios are valid");
    let mut first = 0;
    for (t, spec) in topics.iter().zip(s.cluster.topics.iter_mut()) {
        if let Some(masks) = &t.isr_masks {
            let isrs = (0..t.partitions as usize)
                .map(|i| {
                    let replicas = plan.replicas(first + i);
                    let mask = masks[i] as usize;
                    let mut isr: Vec<u32> = replicas
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| mask & (1 << k) != 0)
                        .map(|(_, &b)| u32::from(b))
                        .collect();
                    if isr.is_empty() {
                        isr.push(u32::from(replicas[mask % replicas.len()]));
                    }
                    isr
                })
                .collect();
            spec.isr = Some(isrs);
        }
        first += t.partitions as usize;
    }
    s
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (1u32..=10)
        .prop_flat_map(|brokers| {
            (
                Just(brokers),
                prop::collection::vec(topic(brokers), 1..=3),
                0..PROFILES.len(),
                any::<bool>(),
                1..=brokers,
                prop::bool::weighted(0.2),
                prop::bool::weighted(0.3),
                1..=brokers,
                prop::collection::vec((any::<u8>(), any::<u32>()), 0..4),
            )
        })
        .prop_map(|(b, t, p, e, v, vc, u, c, o)| build(b, t, p, e, v, vc, u, c, o))
}

/// docs/model.md, "Election rules": an ISR is never empty, except in KRaft with Eligible Leader Replicas on.
fn empty_isr_allowed(sim: &Simulation) -> bool {
    sim.plan().profile.mode == Mode::Kraft && sim.params().eligible_leader_replicas != 0
}

/// Invariants of the controller's store that hold after every step.
fn check_store(sim: &Simulation, epochs: &mut [u32]) -> Result<(), TestCaseError> {
    let plan = sim.plan();
    for (p, last_epoch) in epochs.iter_mut().enumerate() {
        let st = sim.partition_state(p);
        let assignment = BrokerSet::of(plan.replicas(p));
        prop_assert!(
            st.isr.is_subset_of(assignment),
            "p{p}: {st:?} ⊄ {assignment:?}"
        );
        prop_assert!(
            !st.isr.is_empty() || empty_isr_allowed(sim),
            "p{p}: empty ISR"
        );
        if let Some(l) = st.leader {
            // Even an unclean leader is in its ISR: unclean elections set ISR := [leader].
            prop_assert!(
                st.isr.contains(l),
                "p{p}: leader {l} not in ISR {:?}",
                st.isr
            );
            prop_assert!(assignment.contains(l), "p{p}: leader {l} not a replica");
        }
        prop_assert!(st.epoch >= *last_epoch, "p{p}: epoch went down: {st:?}");
        *last_epoch = st.epoch;
    }
    Ok(())
}

/// A ZooKeeper-mode controlled shutdown that could not move a partition leaves the dead broker as
/// its leader in the store (engine bug, see `zk_controlled_shutdown_...` below): excluded here so
/// the other invariants keep being checked.
fn known_zk_shutdown_bug(sim: &Simulation, p: usize) -> bool {
    sim.plan().profile.mode == Mode::Zookeeper
        && sim.plan().fault == Fault::ControlledShutdown
        && sim
            .row_of(p)
            .is_some_and(|r| sim.rows().new_leader[r] == NO_LEADER)
}

fn check_end(sim: &Simulation, scenario: &Scenario) -> Result<(), TestCaseError> {
    let plan = sim.plan();
    let victim = plan.victim;
    let state = |b| {
        sim.brokers()
            .iter()
            .find(|(id, _)| *id == b)
            .map(|&(_, s)| s)
    };
    let live: BrokerSet = sim
        .brokers()
        .iter()
        .filter(|(_, s)| *s == BrokerState::Alive)
        .map(|&(b, _)| b)
        .collect();
    // Without any controller left (a one-broker cluster losing its only broker) the store cannot
    // change at all: nothing below can be asked of it.
    if sim.controller().is_none() {
        prop_assert_eq!(sim.summary().partitions_recovered, 0);
        return Ok(());
    }
    for p in 0..plan.partitions() {
        let st = sim.partition_state(p);
        if let Some(l) = st.leader {
            if !known_zk_shutdown_bug(sim, p) {
                prop_assert_ne!(l, victim, "p{}: the victim still leads: {:?}", p, st);
                let s = state(l);
                prop_assert!(
                    !matches!(s, Some(BrokerState::Dead | BrokerState::Fenced)),
                    "p{p}: leader {l} is {s:?}"
                );
            }
        } else {
            prop_assert!(
                st.isr.intersect(live).is_empty(),
                "p{p}: no leader although ISR {:?} has live members {live:?}",
                st.isr
            );
        }
    }
    let rows = sim.rows();
    let run = sim.run_times();
    // The rows are exactly the partitions the victim led, in election order.
    let led = (0..plan.partitions())
        .filter(|&p| sim.row_of(p).is_some())
        .count();
    prop_assert_eq!(led, rows.len());
    for r in 0..rows.len() {
        let p = rows.partition[r] as usize;
        prop_assert_eq!(sim.row_of(p), Some(r));
        if rows.unclean[r] {
            prop_assert!(
                scenario.unclean,
                "row {r}: unclean election with unclean off"
            );
            let st = sim.partition_state(p);
            prop_assert_eq!(st.isr, BrokerSet::of(&[st.leader.expect("unclean leader")]));
        }
        match rows.downtime(r) {
            Some(d) => {
                prop_assert!(rows.offline[r] <= rows.client[r], "row {r}");
                prop_assert!(
                    rows.new_leader[r] != NO_LEADER,
                    "row {r}: back without a leader"
                );
                let b = rows
                    .breakdown(r, run)
                    .expect("recovered rows have a breakdown");
                prop_assert!(b.0.iter().all(|&x| x >= 0), "row {r}: {b:?}");
                prop_assert_eq!(b.total(), d, "row {}: parts {:?}", r, b);
                // The phases of a row happen in order.
                let chain = [
                    rows.election_start[r],
                    rows.elected[r],
                    rows.write_issued[r],
                    rows.persisted[r],
                    rows.publish_sent[r],
                    rows.serving[r],
                    rows.client[r],
                ];
                let set: Vec<i64> = chain.into_iter().filter(|&t| t != NEVER).collect();
                prop_assert!(set.windows(2).all(|w| w[0] <= w[1]), "row {r}: {chain:?}");
            }
            None => prop_assert!(rows.breakdown(r, run).is_none()),
        }
    }
    let sum = sim.summary();
    prop_assert_eq!(
        sum.partitions_recovered + sum.partitions_without_leader,
        sum.partitions_affected
    );
    prop_assert_eq!(sum.partitions_affected, rows.len());
    prop_assert!(sum.unclean_elections <= sum.partitions_affected);
    prop_assert!(sum.partitions_over_delivery_timeout >= sum.partitions_without_leader);
    match (
        sum.median_downtime_ms,
        sum.p99_downtime_ms,
        sum.max_downtime_ms,
    ) {
        (Some(m), Some(p99), Some(max)) => {
            prop_assert!(m <= p99 && p99 <= max, "{m} {p99} {max}");
            for v in [
                sum.first_partition_downtime_ms,
                sum.last_partition_downtime_ms,
            ]
            .into_iter()
            .flatten()
            {
                prop_assert!(v <= max);
            }
        }
        (None, None, None) => prop_assert_eq!(sum.partitions_recovered, 0),
        other => prop_assert!(false, "percentiles inconsistent: {other:?}"),
    }
    if let (Some(b), Some(last)) = (
        &sum.last_partition_breakdown_ms,
        sum.last_partition_downtime_ms,
    ) {
        let parts = b.detection
            + b.controller_failover
            + b.waiting
            + b.election
            + b.persistence
            + b.propagation
            + b.client_discovery;
        prop_assert!((parts - last).abs() < 1e-6, "{b:?} vs {last}");
    }
    Ok(())
}

/// Runs a scenario, checking the store as it goes; returns every step.
fn run_checked(scenario: &Scenario) -> Result<(Simulation, Vec<Step>), TestCaseError> {
    let mut sim = Simulation::new(scenario).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let n = sim.plan().partitions();
    let mut epochs = vec![0u32; n];
    check_store(&sim, &mut epochs)?;
    // Checking all partitions after every step is quadratic; big runs are sampled.
    let every = (n / 300).max(1) as u64;
    let mut steps = Vec::new();
    let mut last_time = i64::MIN;
    while let Some(step) = sim.step() {
        prop_assert!(step.time_us >= last_time, "time went back at {step:?}");
        prop_assert!(step.time_us >= 0);
        last_time = step.time_us;
        if step.seq % every == 0 || sim.is_done() {
            check_store(&sim, &mut epochs)?;
        }
        steps.push(step);
    }
    prop_assert_eq!(steps.len() as u64, sim.steps_taken());
    Ok((sim, steps))
}

proptest! {
    #![proptest_config(ProptestConfig {
        // PROPTEST_CASES=5000 for a longer hunt; 64 by default.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn invariants_hold_on_random_clusters(scenario in scenario()) {
        let (sim, steps) = run_checked(&scenario)?;
        check_end(&sim, &scenario)?;
        // Determinism: a run is a pure function of its scenario.
        let (again, steps_again) = run_checked(&scenario)?;
        prop_assert_eq!(
            serde_json::to_string(&sim.summary()).unwrap(),
            serde_json::to_string(&again.summary()).unwrap()
        );
        prop_assert!(steps == steps_again, "step lists differ");
    }
}

/// The generator must reach the cases the invariants are about, or the properties above prove
/// little: both modes, both faults, unclean elections, ISR shrinks, leaderless partitions.
#[test]
fn the_generator_covers_the_interesting_cases() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = scenario();
    let (mut kraft, mut shutdown, mut unclean, mut shrinks, mut leaderless, mut explicit) =
        (0, 0, 0, 0, 0, 0);
    for _ in 0..64 {
        let s = strategy.new_tree(&mut runner).unwrap().current();
        let mut sim = Simulation::new(&s).unwrap();
        let sum = sim.run();
        kraft += usize::from(sum.mode == Mode::Kraft);
        shutdown += usize::from(s.event == Fault::ControlledShutdown);
        unclean += usize::from(sum.unclean_elections > 0);
        shrinks += usize::from(sum.isr_shrinks > 0);
        leaderless += usize::from(sum.partitions_without_leader > 0);
        explicit += usize::from(s.cluster.topics.iter().any(|t| t.isr.is_some()));
    }
    for (what, n) in [
        ("kraft", kraft),
        ("controlled shutdown", shutdown),
        ("unclean elections", unclean),
        ("ISR shrinks", shrinks),
        ("leaderless partitions", leaderless),
        ("explicit ISRs", explicit),
    ] {
        assert!(n >= 2, "only {n} of 64 generated scenarios have {what}");
    }
}

/// docs/model.md, "ZooKeeper mode: a controlled shutdown": if the controller cannot move a
/// partition, the broker retries and then shuts down anyway; its ZooKeeper session closes, the
/// controller's BrokerChange fires and the partition goes offline (leader -1, ISR kept by
/// KAFKA-5083), or is elected uncleanly when unclean.leader.election.enable is on. The run must
/// not end with the dead broker still recorded as the leader.
#[test]
fn zk_controlled_shutdown_that_cannot_move_a_partition_ends_without_a_dead_leader() {
    let mut s = Scenario::with_partitions(1);
    s.profile = "kafka-1.1".into();
    s.event = Fault::ControlledShutdown;
    s.cluster.topics[0].isr = Some(vec![vec![1]]);
    let mut sim = Simulation::new(&s).unwrap();
    sim.run();
    let st = sim.partition_state(0);
    assert_eq!(
        (st.leader, st.isr),
        (None, BrokerSet::of(&[1])),
        "after the exit"
    );

    s.unclean = true;
    let mut sim = Simulation::new(&s).unwrap();
    let sum = sim.run();
    assert_eq!(
        sim.partition_state(0).leader,
        Some(3),
        "unclean after the exit"
    );
    assert_eq!(sum.unclean_elections, 1);
}
