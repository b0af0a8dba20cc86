//! A rolling restart for the page: stepped like a `Simulation`, with the roll's per-broker turns
//! and its under-replicated and unavailable partition counts over time.

use wasm_bindgen::prelude::*;

use super::{error, restart_phases, scenario_from, to_js};
use crate::rolling::RollingRestart as Engine;

/// Every broker restarted one at a time (`event: "rolling-restart"`).
#[wasm_bindgen]
pub struct RollingRestart {
    engine: Engine,
    samples: Vec<f64>,
}

#[wasm_bindgen]
impl RollingRestart {
    /// Builds a roll from a scenario object whose event is `rolling-restart`. Throws on a bad one.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario: JsValue) -> Result<RollingRestart, JsError> {
        console_error_panic_hook::set_once();
        let s = scenario_from(scenario)?;
        let engine = Engine::new(&s).map_err(error)?;
        Ok(RollingRestart {
            engine,
            samples: Vec::new(),
        })
    }

    /// Takes one step (its time on the roll's axis), or null once the roll is over.
    pub fn step(&mut self) -> JsValue {
        match self.engine.step() {
            Some(s) => to_js(&s),
            None => JsValue::NULL,
        }
    }

    /// Runs to the end; returns the summary (the CLI's `run --event rolling-restart --json`).
    pub fn run(&mut self) -> JsValue {
        to_js(&self.engine.run())
    }

    /// The summary so far (complete once `done`).
    pub fn summary(&self) -> JsValue {
        to_js(&self.engine.summary())
    }

    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.engine.is_done()
    }

    #[wasm_bindgen(getter, js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        self.engine.now_us() as f64 / 1000.0
    }

    /// The current turn: {broker, offset_ms, restart (its phases, ms from the turn's start),
    /// brokers: [{id, state, lifecycle, leads, controller}]}.
    pub fn current(&self) -> JsValue {
        let (broker, sim) = self.engine.current();
        let counts = sim.leader_counts();
        let brokers: Vec<_> = sim
            .brokers()
            .iter()
            .zip(counts)
            .map(|(&(id, state), leads)| {
                serde_json::json!({
                    "id": id,
                    "state": state,
                    "lifecycle": sim.cluster().lifecycle(id),
                    "leads": leads,
                    "controller": sim.controller() == Some(id),
                })
            })
            .collect();
        to_js(&serde_json::json!({
            "broker": broker,
            "offset_ms": self.engine.offset_us() as f64 / 1000.0,
            "restart": sim.restart_times().map(restart_phases),
            "under_replicated": super::under_replicated_at(sim, sim.now_us()),
            "brokers": brokers,
        }))
    }

    /// The brokers in the order they restart (the controller last).
    pub fn order(&self) -> Vec<u8> {
        self.engine.order().to_vec()
    }

    /// The finished turns' samples as a flat view: [time_ms, broker, under_replicated,
    /// unavailable] per sample. Valid until the next call that may allocate.
    pub fn samples(&mut self) -> js_sys::Float64Array {
        self.samples.clear();
        for s in self.engine.samples() {
            self.samples.extend([
                s.time_us as f64 / 1000.0,
                f64::from(s.broker),
                f64::from(s.under_replicated),
                f64::from(s.unavailable),
            ]);
        }
        // SAFETY: handed straight to JS; `samples` is untouched until the next call here.
        unsafe { js_sys::Float64Array::view(&self.samples) }
    }
}
