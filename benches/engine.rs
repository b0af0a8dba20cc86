//! Engine benchmarks (the budgets of docs/model.md, "Design": the 10,000-partition crash and controlled shutdown
//! together in a few milliseconds natively; 1,000,000 partitions well under a second).
//!
//! Run: `cargo bench --locked --bench engine` (under 2 minutes on 2 cores). Each iteration builds
//! the simulation from its scenario and runs it to the end, as the page does on every change.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use kafka_election::{Fault, Scenario, Simulation};
use std::time::Duration;

const PROFILES: [&str; 5] = ["book", "kafka-1.0", "kafka-1.1", "kafka-2.5", "kraft"];

/// The CLI's default cluster (3 brokers, every partition led by broker 1, RF 2).
fn scenario(profile: &str, event: Fault, partitions: u32) -> Scenario {
    let mut s = Scenario::with_partitions(partitions);
    s.profile = profile.into();
    s.event = event;
    s
}

fn run(s: &Scenario) -> Simulation {
    let mut sim = Simulation::new(s).expect("valid scenario");
    black_box(sim.run());
    sim
}

fn ten_thousand(c: &mut Criterion) {
    let mut g = c.benchmark_group("10k partitions, crash + controlled shutdown");
    g.sample_size(50)
        .measurement_time(Duration::from_secs(6))
        .warm_up_time(Duration::from_secs(1));
    for profile in PROFILES {
        let crash = scenario(profile, Fault::Crash, 10_000);
        let shutdown = scenario(profile, Fault::ControlledShutdown, 10_000);
        g.bench_function(BenchmarkId::from_parameter(profile), |b| {
            b.iter(|| (run(&crash), run(&shutdown)))
        });
    }
    g.finish();
}

fn one_million(c: &mut Criterion) {
    const N: u32 = 1_000_000;
    let mut g = c.benchmark_group("1M partitions");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(6))
        .warm_up_time(Duration::from_secs(1));
    for profile in ["book", "kafka-1.1", "kraft"] {
        for (event, name) in [
            (Fault::Crash, "crash"),
            (Fault::ControlledShutdown, "controlled-shutdown"),
        ] {
            let s = scenario(profile, event, N);
            // Memory per partition, once, outside the timing.
            let sim = run(&s);
            eprintln!(
                "{profile} {name}, {N} partitions: {} bytes per partition (Simulation::memory_bytes)",
                sim.memory_bytes() / N as usize
            );
            drop(sim);
            g.bench_function(BenchmarkId::new(profile, name), |b| b.iter(|| run(&s)));
        }
    }
    g.finish();
}

criterion_group!(benches, ten_thousand, one_million);
criterion_main!(benches);
