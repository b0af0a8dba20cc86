//! Kafka's election rules (docs/model.md, "Election rules"), table-driven, each case checked twice: through the plain
//! functions in `kafka_election::election` and through the `elect` command's JSON contract
//! (`kafka_election::election::case::elect`), so the page and the CLI cannot drift from the engine.
#![cfg(not(target_arch = "wasm32"))]

use kafka_election::election::case::elect;
use kafka_election::election::{
    self, KraftChange, KraftElection, KraftPartition, LeaderRecoveryState,
};
use kafka_election::{BrokerId, BrokerSet};
use serde_json::{json, Value};

fn set(ids: &[BrokerId]) -> BrokerSet {
    BrokerSet::of(ids)
}

// ---------------------------------------------------------------------------------------------
// ZooKeeper mode
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Zk {
    Offline,
    ControlledShutdown,
    Preferred,
    Reassign,
}

/// One ZooKeeper-mode case: inputs, then the expected leader, ISR (as Kafka's list: the old ISR's
/// order, filtered) and whether the election was unclean.
struct ZkCase {
    why: &'static str,
    strategy: Zk,
    assignment: &'static [BrokerId],
    isr: &'static [BrokerId],
    live: &'static [BrokerId],
    shutting_down: &'static [BrokerId],
    unclean: bool,
    target: &'static [BrokerId],
    leader: Option<BrokerId>,
    new_isr: &'static [BrokerId],
    was_unclean: bool,
}

const ZK: ZkCase = ZkCase {
    why: "",
    strategy: Zk::Offline,
    assignment: &[],
    isr: &[],
    live: &[],
    shutting_down: &[],
    unclean: false,
    target: &[],
    leader: None,
    new_isr: &[],
    was_unclean: false,
};

const ZK_CASES: &[ZkCase] = &[
    // Offline: first a in A with a live and in ISR; ISR := ISR ∩ live.
    ZkCase {
        why: "peter-test02: broker 1 crashes, broker 3 takes over, ISR [1,3] → [3]",
        assignment: &[1, 3],
        isr: &[1, 3],
        live: &[2, 3],
        leader: Some(3),
        new_isr: &[3],
        ..ZK
    },
    ZkCase {
        why: "assignment order beats id order",
        assignment: &[4, 3, 2],
        isr: &[2, 3, 4],
        live: &[2, 3],
        leader: Some(3),
        new_isr: &[2, 3],
        ..ZK
    },
    ZkCase {
        why: "a live replica outside the ISR is skipped",
        assignment: &[1, 2, 3],
        isr: &[1, 3],
        live: &[2, 3],
        leader: Some(3),
        new_isr: &[3],
        ..ZK
    },
    ZkCase {
        why: "the first replica keeps the lead when it is alive; dead followers leave the ISR",
        assignment: &[1, 3, 2],
        isr: &[1, 3, 2],
        live: &[1, 2],
        leader: Some(1),
        new_isr: &[1, 2],
        ..ZK
    },
    ZkCase {
        why: "no live ISR member and unclean off: no leader, ISR unchanged",
        assignment: &[1, 3],
        isr: &[1],
        live: &[2, 3],
        leader: None,
        new_isr: &[1],
        ..ZK
    },
    ZkCase {
        why: "unclean on: the first live replica, ISR := [leader]",
        assignment: &[1, 3],
        isr: &[1],
        live: &[2, 3],
        unclean: true,
        leader: Some(3),
        new_isr: &[3],
        was_unclean: true,
        ..ZK
    },
    ZkCase {
        why: "unclean follows assignment order too",
        assignment: &[1, 4, 2],
        isr: &[1],
        live: &[2, 4],
        unclean: true,
        leader: Some(4),
        new_isr: &[4],
        was_unclean: true,
        ..ZK
    },
    ZkCase {
        why: "unclean is not used while a clean leader exists",
        assignment: &[1, 2, 3],
        isr: &[1, 3],
        live: &[2, 3],
        unclean: true,
        leader: Some(3),
        new_isr: &[3],
        ..ZK
    },
    ZkCase {
        why: "unclean with no live replica at all: still nothing",
        assignment: &[1, 3],
        isr: &[1],
        live: &[2],
        unclean: true,
        leader: None,
        new_isr: &[1],
        ..ZK
    },
    // Controlled shutdown: L' = live ∪ shutting down; first a in A, in L', in ISR, not shutting
    // down; ISR := ISR − shutting down.
    ZkCase {
        why: "controlled shutdown moves the lead off the leaving broker and shrinks the ISR",
        strategy: Zk::ControlledShutdown,
        assignment: &[1, 3],
        isr: &[1, 3],
        live: &[2, 3],
        shutting_down: &[1],
        leader: Some(3),
        new_isr: &[3],
        ..ZK
    },
    ZkCase {
        why: "the same when `live` lists the leaving broker (Kafka passes live-or-shutting-down)",
        strategy: Zk::ControlledShutdown,
        assignment: &[1, 3],
        isr: &[1, 3],
        live: &[1, 2, 3],
        shutting_down: &[1],
        leader: Some(3),
        new_isr: &[3],
        ..ZK
    },
    ZkCase {
        why: "a leaving follower only leaves the ISR; the leader stays",
        strategy: Zk::ControlledShutdown,
        assignment: &[2, 1],
        isr: &[2, 1],
        live: &[1, 2, 3],
        shutting_down: &[1],
        leader: Some(2),
        new_isr: &[2],
        ..ZK
    },
    ZkCase {
        why: "controlled shutdown in assignment order",
        strategy: Zk::ControlledShutdown,
        assignment: &[1, 4, 3],
        isr: &[1, 3, 4],
        live: &[2, 3, 4],
        shutting_down: &[1],
        leader: Some(4),
        new_isr: &[3, 4],
        ..ZK
    },
    ZkCase {
        why: "two brokers leaving at once",
        strategy: Zk::ControlledShutdown,
        assignment: &[1, 2, 3],
        isr: &[1, 2, 3],
        live: &[3],
        shutting_down: &[1, 2],
        leader: Some(3),
        new_isr: &[3],
        ..ZK
    },
    ZkCase {
        why: "no other ISR member: the partition cannot move, nothing changes",
        strategy: Zk::ControlledShutdown,
        assignment: &[1, 3],
        isr: &[1],
        live: &[2, 3],
        shutting_down: &[1],
        leader: None,
        new_isr: &[1],
        ..ZK
    },
    ZkCase {
        why: "controlled shutdown is never unclean, even with unclean on",
        strategy: Zk::ControlledShutdown,
        assignment: &[1, 3],
        isr: &[1],
        live: &[3],
        shutting_down: &[1],
        unclean: true,
        leader: None,
        new_isr: &[1],
        ..ZK
    },
    // Preferred: A[0] only, if live and in ISR; ISR unchanged.
    ZkCase {
        why: "preferred elects A[0]",
        strategy: Zk::Preferred,
        assignment: &[1, 3],
        isr: &[3, 1],
        live: &[1, 3],
        leader: Some(1),
        new_isr: &[3, 1],
        ..ZK
    },
    ZkCase {
        why: "preferred: A[0] out of the ISR means no election, not the next replica",
        strategy: Zk::Preferred,
        assignment: &[1, 3],
        isr: &[3],
        live: &[1, 3],
        leader: None,
        new_isr: &[3],
        ..ZK
    },
    ZkCase {
        why: "preferred: A[0] dead means no election",
        strategy: Zk::Preferred,
        assignment: &[1, 3],
        isr: &[1, 3],
        live: &[3],
        leader: None,
        new_isr: &[1, 3],
        ..ZK
    },
    // Reassign: first target replica live and in ISR; ISR unchanged.
    ZkCase {
        why: "reassign follows the target order, not the old assignment",
        strategy: Zk::Reassign,
        assignment: &[3, 4, 5],
        target: &[5, 4, 3],
        isr: &[3, 4, 5],
        live: &[3, 4],
        leader: Some(4),
        new_isr: &[3, 4, 5],
        ..ZK
    },
    ZkCase {
        why: "reassign: a live target outside the ISR does not qualify",
        strategy: Zk::Reassign,
        assignment: &[3, 5],
        target: &[5],
        isr: &[3],
        live: &[3, 5],
        leader: None,
        new_isr: &[3],
        ..ZK
    },
];

fn zk_direct(c: &ZkCase) -> election::Election {
    let (isr, live, sd) = (set(c.isr), set(c.live), set(c.shutting_down));
    match c.strategy {
        Zk::Offline => election::offline(c.assignment, isr, live, c.unclean),
        Zk::ControlledShutdown => election::controlled_shutdown(c.assignment, isr, live, sd),
        Zk::Preferred => {
            election::preferred(c.assignment, isr, live).unwrap_or(election::Election {
                leader: None,
                isr,
                unclean: false,
            })
        }
        Zk::Reassign => election::reassign(c.target, isr, live),
    }
}

fn zk_json(c: &ZkCase) -> Value {
    let strategy = match c.strategy {
        Zk::Offline => "offline",
        Zk::ControlledShutdown => "controlled_shutdown",
        Zk::Preferred => "preferred",
        Zk::Reassign => "reassign",
    };
    let mut v = json!({
        "mode": "zk", "strategy": strategy, "assignment": c.assignment, "isr": c.isr,
        "live": c.live, "shutting_down": c.shutting_down, "unclean": c.unclean,
    });
    if matches!(c.strategy, Zk::Reassign) {
        v["target_replicas"] = json!(c.target);
    }
    v
}

#[test]
fn zookeeper_rules_through_the_functions() {
    for c in ZK_CASES {
        let e = zk_direct(c);
        assert_eq!(e.leader, c.leader, "{}", c.why);
        assert_eq!(e.isr, set(c.new_isr), "{}", c.why);
        assert_eq!(e.unclean, c.was_unclean, "{}", c.why);
    }
}

#[test]
fn zookeeper_rules_through_elect() {
    for c in ZK_CASES {
        let input = zk_json(c);
        let out = elect(&input.to_string()).unwrap_or_else(|e| panic!("{}: {e}", c.why));
        let expected = json!({"leader": c.leader, "isr": c.new_isr, "unclean": c.was_unclean});
        assert_eq!(out, expected, "{}\ninput: {input}", c.why);
    }
}

#[test]
fn offline_replica_isr_shrink_keeps_the_last_member() {
    use election::remove_replica_from_isr as shrink;
    // A follower dies: it leaves the ISR, the leader stays.
    assert_eq!(shrink(Some(1), set(&[1, 3]), 3), Some((Some(1), set(&[1]))));
    // The leader dies (its partition failed to elect): no leader, it leaves the ISR.
    assert_eq!(shrink(Some(1), set(&[1, 3]), 1), Some((None, set(&[3]))));
    // KAFKA-5083: the last ISR member is never removed, though the partition loses its leader.
    assert_eq!(shrink(Some(1), set(&[1]), 1), Some((None, set(&[1]))));
    assert_eq!(shrink(None, set(&[3]), 3), Some((None, set(&[3]))));
    // Not in the ISR: nothing to write.
    assert_eq!(shrink(Some(1), set(&[1]), 3), None);
}

// ---------------------------------------------------------------------------------------------
// KRaft mode
// ---------------------------------------------------------------------------------------------

/// One KRaft case: the partition's registration and the brokers, then what
/// `PartitionChangeBuilder` should produce.
struct KrCase {
    why: &'static str,
    strategy: KraftElection,
    assignment: &'static [BrokerId],
    isr: &'static [BrokerId],
    live: &'static [BrokerId],
    shutting_down: &'static [BrokerId],
    current_leader: Option<BrokerId>,
    elr: &'static [BrokerId],
    last_known_elr: &'static [BrokerId],
    elr_enabled: bool,
    min_isr: usize,
    leader: Option<BrokerId>,
    new_isr: &'static [BrokerId],
    new_elr: &'static [BrokerId],
    new_last_known_elr: &'static [BrokerId],
    recovering: bool,
}

const KR: KrCase = KrCase {
    why: "",
    strategy: KraftElection::Online,
    assignment: &[],
    isr: &[],
    live: &[],
    shutting_down: &[],
    current_leader: None,
    elr: &[],
    last_known_elr: &[],
    elr_enabled: false,
    min_isr: 1,
    leader: None,
    new_isr: &[],
    new_elr: &[],
    new_last_known_elr: &[],
    recovering: false,
};

const KRAFT_CASES: &[KrCase] = &[
    KrCase {
        why: "the fenced leader is replaced by the first acceptable ISR member",
        assignment: &[1, 3],
        isr: &[1, 3],
        live: &[2, 3],
        current_leader: Some(1),
        leader: Some(3),
        new_isr: &[3],
        ..KR
    },
    KrCase {
        why: "a valid current leader is kept even when it is not A[0]",
        assignment: &[1, 2, 3],
        isr: &[1, 2, 3],
        live: &[1, 2, 3],
        current_leader: Some(2),
        leader: Some(2),
        new_isr: &[1, 2, 3],
        ..KR
    },
    KrCase {
        why: "assignment order, not id order, when the leader must change",
        assignment: &[1, 4, 2],
        isr: &[1, 2, 4],
        live: &[2, 4],
        current_leader: Some(1),
        leader: Some(4),
        new_isr: &[2, 4],
        ..KR
    },
    KrCase {
        why: "PREFERRED tries A[0] first, over a valid current leader",
        strategy: KraftElection::Preferred,
        assignment: &[1, 3],
        isr: &[1, 3],
        live: &[1, 3],
        current_leader: Some(3),
        leader: Some(1),
        new_isr: &[1, 3],
        ..KR
    },
    KrCase {
        why: "PREFERRED: A[0] invalid → the current leader before the rest",
        strategy: KraftElection::Preferred,
        assignment: &[1, 2, 3],
        isr: &[2, 3],
        live: &[1, 2, 3],
        current_leader: Some(3),
        leader: Some(3),
        new_isr: &[2, 3],
        ..KR
    },
    KrCase {
        why: "PREFERRED: A[0] and the current leader invalid → the rest in order",
        strategy: KraftElection::Preferred,
        assignment: &[1, 2, 3],
        isr: &[1, 2, 3],
        live: &[2, 3],
        current_leader: Some(1),
        leader: Some(2),
        new_isr: &[2, 3],
        ..KR
    },
    KrCase {
        why: "without ELR an empty ISR is never written: the last member stays, no leader",
        assignment: &[1, 3],
        isr: &[1],
        live: &[3],
        current_leader: Some(1),
        leader: None,
        new_isr: &[1],
        ..KR
    },
    KrCase {
        why: "unclean: the first acceptable replica, ISR := [leader], RECOVERING",
        strategy: KraftElection::Unclean,
        assignment: &[1, 3],
        isr: &[1],
        live: &[3],
        current_leader: Some(1),
        leader: Some(3),
        new_isr: &[3],
        recovering: true,
        ..KR
    },
    KrCase {
        why: "unclean is a last resort: a clean leader is RECOVERED",
        strategy: KraftElection::Unclean,
        assignment: &[1, 2, 3],
        isr: &[1, 3],
        live: &[2, 3],
        current_leader: Some(1),
        leader: Some(3),
        new_isr: &[3],
        ..KR
    },
    KrCase {
        why: "unclean with no acceptable replica: nothing",
        strategy: KraftElection::Unclean,
        assignment: &[1, 3],
        isr: &[1],
        live: &[2],
        current_leader: Some(1),
        leader: None,
        new_isr: &[1],
        ..KR
    },
    KrCase {
        why: "ELR: below min ISR the replica leaving the ISR becomes eligible",
        elr_enabled: true,
        min_isr: 2,
        assignment: &[1, 3],
        isr: &[1, 3],
        live: &[1, 2],
        current_leader: Some(1),
        leader: Some(1),
        new_isr: &[1],
        new_elr: &[3],
        ..KR
    },
    KrCase {
        why: "ELR: at or above min ISR the ELR is cleared",
        elr_enabled: true,
        min_isr: 2,
        assignment: &[1, 2, 3],
        isr: &[1, 2],
        elr: &[3],
        live: &[1, 2, 3],
        current_leader: Some(1),
        leader: Some(1),
        new_isr: &[1, 2],
        ..KR
    },
    KrCase {
        why: "ELR: the last ISR member leaves, ISR empties, everyone is eligible, no leader",
        elr_enabled: true,
        min_isr: 2,
        assignment: &[1, 3],
        isr: &[1],
        elr: &[3],
        live: &[2],
        current_leader: Some(1),
        leader: None,
        new_isr: &[],
        new_elr: &[1, 3],
        ..KR
    },
    KrCase {
        why: "ELR: with an empty ISR an acceptable ELR member is elected and becomes the ISR",
        elr_enabled: true,
        min_isr: 2,
        assignment: &[1, 3],
        isr: &[],
        elr: &[1, 3],
        live: &[2, 3],
        leader: Some(3),
        new_isr: &[3],
        new_elr: &[1],
        ..KR
    },
    KrCase {
        why: "last known leader: ISR and ELR empty, the one last-known ELR member comes back",
        elr_enabled: true,
        min_isr: 2,
        assignment: &[1, 3],
        isr: &[],
        last_known_elr: &[3],
        live: &[1, 3],
        leader: Some(3),
        new_isr: &[3],
        recovering: true,
        ..KR
    },
    KrCase {
        why: "last known leader needs ELR on",
        assignment: &[1, 3],
        isr: &[],
        last_known_elr: &[3],
        live: &[1, 3],
        leader: None,
        new_isr: &[],
        ..KR
    },
    KrCase {
        why: "KRaft never elects a broker in controlled shutdown (not in `live`)",
        assignment: &[1, 3],
        isr: &[1, 3],
        live: &[2, 3],
        shutting_down: &[1],
        current_leader: Some(1),
        leader: Some(3),
        new_isr: &[3],
        ..KR
    },
];

/// Kafka fences or shuts down one broker per controller event; each event removes one broker
/// from the ISR (the last member stays without ELR). Unacceptable ISR members leave in ISR order.
fn kraft_target(c: &KrCase, acceptable: BrokerSet) -> BrokerSet {
    c.isr.iter().fold(set(c.isr), |t, &b| {
        if acceptable.contains(b) {
            t
        } else {
            election::kraft_target_isr(t, set(&[b]), c.elr_enabled)
        }
    })
}

fn kraft_direct(c: &KrCase) -> KraftPartition {
    let current = KraftPartition {
        leader: c.current_leader,
        isr: set(c.isr),
        elr: set(c.elr),
        last_known_elr: set(c.last_known_elr),
        recovery: LeaderRecoveryState::Recovered,
    };
    // Acceptable: registered, unfenced and not in controlled shutdown.
    let acceptable = set(c.live).minus(set(c.shutting_down));
    let change = KraftChange {
        assignment: c.assignment,
        target_isr: kraft_target(c, acceptable),
        acceptable,
        election: c.strategy,
        elr_enabled: c.elr_enabled,
        min_isr: c.min_isr,
    };
    election::kraft(&current, &change)
}

fn kraft_json(c: &KrCase) -> Value {
    let strategy = match c.strategy {
        KraftElection::Online => "online",
        KraftElection::Preferred => "preferred",
        KraftElection::Unclean => "unclean",
    };
    json!({
        "mode": "kraft", "strategy": strategy, "assignment": c.assignment,
        // The contract takes the target ISR the controller asks for and the ISR before it.
        "isr": kraft_target(c, set(c.live).minus(set(c.shutting_down))).ordered_by(c.isr),
        "previous_isr": c.isr, "live": c.live, "shutting_down": c.shutting_down, "current_leader": c.current_leader,
        "elr": c.elr, "last_known_elr": c.last_known_elr, "elr_enabled": c.elr_enabled,
        "min_isr": c.min_isr,
    })
}

fn kraft_expected(c: &KrCase) -> Value {
    json!({
        "leader": c.leader,
        "isr": c.new_isr,
        "unclean": c.recovering,
        "elr": c.new_elr,
        "last_known_elr": c.new_last_known_elr,
        "leader_recovery_state": if c.recovering { "RECOVERING" } else { "RECOVERED" },
    })
}

#[test]
fn kraft_rules_through_the_functions() {
    for c in KRAFT_CASES {
        let r = kraft_direct(c);
        assert_eq!(r.leader, c.leader, "{}", c.why);
        assert_eq!(r.isr, set(c.new_isr), "{}", c.why);
        assert_eq!(r.elr, set(c.new_elr), "{}", c.why);
        assert_eq!(r.last_known_elr, set(c.new_last_known_elr), "{}", c.why);
        let state = if c.recovering {
            LeaderRecoveryState::Recovering
        } else {
            LeaderRecoveryState::Recovered
        };
        assert_eq!(r.recovery, state, "{}", c.why);
        // The invariant behind every case: a leader is acceptable and (unless recovering from an
        // unclean election) in the new ISR.
        if let Some(l) = r.leader {
            assert!(
                set(c.live).contains(l) && !set(c.shutting_down).contains(l),
                "{}",
                c.why
            );
            assert!(r.isr.contains(l), "{}", c.why);
        }
    }
}

#[test]
fn kraft_rules_through_elect() {
    for c in KRAFT_CASES {
        let input = kraft_json(c);
        let out = elect(&input.to_string()).unwrap_or_else(|e| panic!("{}: {e}", c.why));
        assert_eq!(out, kraft_expected(c), "{}\ninput: {input}", c.why);
    }
}

/// docs/model.md, "Election rules": "acceptable (registered, unfenced, not in controlled shutdown)" and "Unlike ZK
/// mode, KRaft never elects a broker that is in controlled shutdown". A shutting-down broker that
/// is also listed as live neither keeps (online) nor wins (preferred) the leadership; the target
/// ISR is applied as given (the controller, not the builder, removes the broker from it).
#[test]
fn kraft_elect_never_picks_a_broker_in_controlled_shutdown() {
    for strategy in ["online", "preferred", "unclean"] {
        let input = json!({
            "mode": "kraft", "strategy": strategy, "assignment": [1, 3], "isr": [1, 3],
            "live": [1, 2, 3], "shutting_down": [1], "current_leader": 1,
        });
        let out = elect(&input.to_string()).unwrap();
        assert_eq!(out["leader"], json!(3), "{strategy}: {out}");
        assert_eq!(out["isr"], json!([1, 3]), "{strategy}: {out}");
    }
}

/// PartitionChangeBuilder applies the target ISR as given: a member that may not lead (fenced,
/// in controlled shutdown) stays in it (PartitionChangeBuilderTest.testIsrChangeAndLeaderChange).
#[test]
fn kraft_elect_does_not_filter_the_target_isr_by_who_may_lead() {
    let out = elect(
        r#"{"mode":"kraft","strategy":"online","assignment":[2,1,3],"isr":[2,3],
            "previous_isr":[2,1,3],"live":[1,2],"current_leader":1,"min_isr":2}"#,
    )
    .unwrap();
    assert_eq!((&out["leader"], &out["isr"]), (&json!(2), &json!([2, 3])));
}

/// Kafka writes "no leader" as -1; the contract takes -1 or null and answers null.
#[test]
fn elect_takes_minus_one_or_null_as_no_leader() {
    for leader in [json!(-1), Value::Null] {
        for (mode, strategy) in [("kraft", "online"), ("zk", "offline")] {
            let input = json!({
                "mode": mode, "strategy": strategy, "assignment": [1, 3], "isr": [3],
                "live": [1, 3], "current_leader": leader,
            });
            let out = elect(&input.to_string()).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(out["leader"], json!(3), "{input}");
        }
        // A leaderless partition stays leaderless: the answer is null, never -1.
        let input = json!({
            "mode": "kraft", "strategy": "online", "assignment": [1, 3], "isr": [3],
            "live": [1], "current_leader": leader,
        });
        assert_eq!(elect(&input.to_string()).unwrap()["leader"], Value::Null);
    }
}

/// The ISR before the change decides the ELR: a shrink below min ISR moves the removed members
/// into the ELR, an expansion to min ISR clears ELR and last known ELR, and without ELR an empty
/// target ISR keeps the ISR it had.
#[test]
fn kraft_elect_uses_the_isr_before_the_change() {
    let shrink = elect(
        r#"{"mode":"kraft","strategy":"online","assignment":[0,1,2],"isr":[0],
            "previous_isr":[0,1,2],"live":[0,1,2],"current_leader":0,"elr_enabled":true,"min_isr":2}"#,
    )
    .unwrap();
    assert_eq!(
        (&shrink["isr"], &shrink["elr"], &shrink["last_known_elr"]),
        (&json!([0]), &json!([1, 2]), &json!([]))
    );
    // Without previous_isr the given ISR is also the ISR before: nothing was removed.
    let same = elect(
        r#"{"mode":"kraft","strategy":"online","assignment":[0,1,2],"isr":[0],
            "live":[0,1,2],"current_leader":0,"elr_enabled":true,"min_isr":2}"#,
    )
    .unwrap();
    assert_eq!(same["elr"], json!([]));
    let expand = elect(
        r#"{"mode":"kraft","strategy":"online","assignment":[0,1,2],"isr":[0,1],
            "previous_isr":[0],"elr":[1,2],"last_known_elr":[2],"live":[0,1,2],
            "current_leader":0,"elr_enabled":true,"min_isr":2}"#,
    )
    .unwrap();
    assert_eq!(
        (&expand["isr"], &expand["elr"], &expand["last_known_elr"]),
        (&json!([0, 1]), &json!([]), &json!([]))
    );
    let empty = elect(
        r#"{"mode":"kraft","strategy":"online","assignment":[1,2,3],"isr":[],
            "previous_isr":[1],"live":[],"current_leader":1,"leader_recovery_state":"RECOVERING"}"#,
    )
    .unwrap();
    assert_eq!(
        (
            &empty["leader"],
            &empty["isr"],
            &empty["leader_recovery_state"]
        ),
        (&Value::Null, &json!([1]), &json!("RECOVERING"))
    );
}

// ---------------------------------------------------------------------------------------------
// The `elect` contract: input and output shape, bad input
// ---------------------------------------------------------------------------------------------

#[test]
fn elect_outputs_exactly_the_documented_fields() {
    let zk =
        elect(r#"{"mode":"zk","strategy":"offline","assignment":[1,3],"isr":[1,3],"live":[2,3]}"#)
            .unwrap();
    let keys: Vec<&str> = zk.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["isr", "leader", "unclean"]);
    let kr = elect(
        r#"{"mode":"kraft","strategy":"online","assignment":[1,3],"isr":[1,3],"live":[2,3]}"#,
    )
    .unwrap();
    let keys: Vec<&str> = kr.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "elr",
            "isr",
            "last_known_elr",
            "leader",
            "leader_recovery_state",
            "unclean"
        ]
    );
    // No leader is JSON null, not -1.
    let none = elect(r#"{"mode":"zk","strategy":"offline","assignment":[1],"isr":[1],"live":[]}"#)
        .unwrap();
    assert_eq!(none["leader"], Value::Null);
}

#[test]
fn bad_elect_input_is_an_error_naming_the_field() {
    let base = r#""mode":"zk","strategy":"offline""#;
    let cases: &[(&str, String)] = &[
        ("not a valid case", "{".into()),
        ("mode", r#"{"strategy":"offline","assignment":[1]}"#.into()),
        (
            "bogus",
            format!(r#"{{{base},"assignment":[1,3],"bogus":1}}"#),
        ),
        (
            "mode",
            r#"{"mode":"zookeeper","strategy":"offline","assignment":[1]}"#.into(),
        ),
        (
            "strategy",
            r#"{"mode":"zk","strategy":"online","assignment":[1]}"#.into(),
        ),
        (
            "strategy",
            r#"{"mode":"kraft","strategy":"offline","assignment":[1]}"#.into(),
        ),
        ("assignment", format!(r#"{{{base},"assignment":[]}}"#)),
        ("assignment", format!(r#"{{{base},"assignment":[1,300]}}"#)),
        ("assignment", format!(r#"{{{base},"assignment":[1,1]}}"#)),
        (
            "isr",
            format!(r#"{{{base},"assignment":[1,3],"isr":[1,1]}}"#),
        ),
        (
            "isr",
            format!(r#"{{{base},"assignment":[1,3],"isr":[1,5]}}"#),
        ),
        (
            "live",
            format!(r#"{{{base},"assignment":[1,3],"live":[128]}}"#),
        ),
        (
            "shutting_down",
            format!(r#"{{{base},"assignment":[1,3],"shutting_down":[999]}}"#),
        ),
        (
            "target_replicas",
            r#"{"mode":"zk","strategy":"reassign","assignment":[1,3]}"#.into(),
        ),
        (
            "min_isr",
            r#"{"mode":"kraft","strategy":"online","assignment":[1],"min_isr":0}"#.into(),
        ),
        (
            "current_leader",
            r#"{"mode":"kraft","strategy":"online","assignment":[1],"current_leader":200}"#.into(),
        ),
        (
            "elr",
            r#"{"mode":"kraft","strategy":"online","assignment":[1],"elr":[1,1]}"#.into(),
        ),
        (
            "current_leader",
            r#"{"mode":"kraft","strategy":"online","assignment":[1],"current_leader":-2}"#.into(),
        ),
        (
            "current_leader",
            format!(r#"{{{base},"assignment":[1],"current_leader":128}}"#),
        ),
        (
            "current_leader",
            format!(r#"{{{base},"assignment":[1],"current_leader":"1"}}"#),
        ),
        (
            "previous_isr",
            r#"{"mode":"kraft","strategy":"online","assignment":[1],"previous_isr":[2]}"#.into(),
        ),
        (
            "previous_isr",
            format!(r#"{{{base},"assignment":[1],"previous_isr":[1]}}"#),
        ),
        (
            "leader_recovery_state",
            r#"{"mode":"kraft","strategy":"online","assignment":[1],"leader_recovery_state":"x"}"#
                .into(),
        ),
    ];
    for (field, input) in cases {
        let e = elect(input).expect_err(input);
        assert!(e.contains(field), "{input}: `{e}` should name `{field}`");
    }
}

/// Type errors come from serde_json without the field's name ("invalid type: string, expected a
/// sequence at line 1 column 52"): the user must count columns to find the field.
#[test]
fn elect_type_errors_name_the_field() {
    for (field, input) in [
        (
            "assignment",
            r#"{"mode":"zk","strategy":"offline","assignment":"1,3"}"#,
        ),
        (
            "isr",
            r#"{"mode":"zk","strategy":"offline","assignment":[1,3],"isr":[-1]}"#,
        ),
    ] {
        let e = elect(input).unwrap_err();
        assert!(e.contains(field), "`{e}` should name `{field}`");
    }
}
