//! kafka-election: Kafka's controller re-electing partition leaders, as a deterministic,
//! sans-I/O simulation. The same engine runs natively (the `kafka-election` CLI, tests,
//! benchmarks) and in the browser (`wasm.rs`, the only `#[wasm_bindgen]` surface).

pub mod broker;
pub mod catalog;
pub mod cli;
pub mod election;
pub mod event;
mod kraft;
pub mod profile;
pub mod results;
pub mod scenario;
pub mod simulation;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
mod zookeeper;

pub use broker::{BrokerId, BrokerSet, BrokerState};
pub use event::{Step, StepKind};
pub use results::Summary;
pub use scenario::{Fault, Scenario, ScenarioError};
pub use simulation::Simulation;
