//! The broker's return and rolling restarts (issue budgets in the README's Benchmarks): the
//! restart cycle at 10,000 and 1,000,000 partitions, and a rolling restart of 10,000 partitions
//! on 6 brokers, which the page steps through interactively.
//!
//! Run: `cargo bench --locked --bench restart`.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use kafka_election::scenario::{Layout, LeaderRebalance, RestartSpec};
use kafka_election::{Fault, RollingRestart, Scenario, Simulation};
use std::time::Duration;

/// The default cluster, 10 % of the partitions with only their leader in the ISR, the broker
/// back after a minute.
fn restart(profile: &str, event: Fault, partitions: u32) -> Scenario {
    let mut s = Scenario::with_partitions(partitions);
    s.profile = profile.into();
    s.event = event;
    s.cluster.topics[0].sole_isr_fraction = Some(0.1);
    s.restart = Some(RestartSpec {
        after_ms: 60_000.0,
        leader_rebalance: LeaderRebalance::Auto,
        rolling_stop: Fault::ControlledShutdown,
    });
    s
}

fn rolling(profile: &str, brokers: u32, partitions: u32) -> Scenario {
    let mut s = Scenario::with_partitions(partitions);
    s.profile = profile.into();
    s.event = Fault::RollingRestart;
    s.cluster.brokers = brokers;
    s.cluster.topics[0].layout = Layout::Kafka;
    s.cluster.topics[0].replication_factor = 3.min(brokers);
    s
}

fn restart_cycle(c: &mut Criterion) {
    let mut g = c.benchmark_group("restart cycle, crash + clean");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    for profile in ["kafka-2.5", "kraft"] {
        let runs = [
            restart(profile, Fault::Crash, 10_000),
            restart(profile, Fault::ControlledShutdown, 10_000),
        ];
        g.bench_function(BenchmarkId::new(profile, "10k"), |b| {
            b.iter(|| {
                for s in &runs {
                    black_box(Simulation::new(s).unwrap().run());
                }
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("restart cycle 1M");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    for profile in ["kafka-2.5", "kraft"] {
        for (name, event) in [
            ("crash", Fault::Crash),
            ("clean", Fault::ControlledShutdown),
        ] {
            let s = restart(profile, event, 1_000_000);
            g.bench_function(BenchmarkId::new(profile, name), |b| {
                b.iter(|| black_box(Simulation::new(&s).unwrap().run()))
            });
        }
    }
    g.finish();
}

fn rolling_restart(c: &mut Criterion) {
    let mut g = c.benchmark_group("rolling restart");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(8));
    for (name, s) in [
        ("10k on 3 brokers", rolling("kafka-2.5", 3, 10_000)),
        ("10k on 6 brokers", rolling("kafka-2.5", 6, 10_000)),
        ("10k on 12 brokers", rolling("kafka-2.5", 12, 10_000)),
        ("1M on 3 brokers", rolling("kafka-2.5", 3, 1_000_000)),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| black_box(RollingRestart::new(&s).unwrap().run()))
        });
    }
    g.finish();
}

criterion_group!(benches, restart_cycle, rolling_restart);
criterion_main!(benches);
