//! kafka-election: Kafka's controller re-electing partition leaders, as a deterministic,
//! sans-I/O simulation. The same engine runs natively (the `kafka-election` CLI, tests,
//! benchmarks) and in the browser (`wasm.rs`, the only `#[wasm_bindgen]` surface).
//!
//! Layers, top to bottom (each uses only those below it):
//! - `wasm` and `cli`: the two front ends;
//! - `catalog`: everything the engine names, for user interfaces;
//! - `simulation`: one run — a clock, the controller of the scenario's mode, its queue;
//! - `controller`: the ZooKeeper-mode and KRaft controllers, one state machine each;
//! - `results`: per-partition times, downtime parts, partition states, summaries, CSV, timeline;
//! - `scenario` (input and its validation into a `Plan`), `profile` (timing parameters),
//!   `cluster` (the controller's store), `election` (Kafka's rules), `broker`, `step`.
//!
//! What the model relies on from Kafka, with sources: `docs/model.md`.

pub mod broker;
pub mod catalog;
pub mod cli;
pub mod cluster;
mod controller;
pub mod election;
pub mod profile;
pub mod results;
pub mod rolling;
pub mod scenario;
pub mod simulation;
pub mod step;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use broker::{BrokerId, BrokerSet, BrokerState, Lifecycle};
pub use results::Summary;
pub use rolling::RollingRestart;
pub use scenario::{Fault, Scenario, ScenarioError};
pub use simulation::Simulation;
pub use step::{Step, StepKind};
