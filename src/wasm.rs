//! The browser's view of the engine: the only `#[wasm_bindgen]` surface, with its rolling-restart
//! class in `wasm/rolling.rs`. (Over 400 lines on purpose: the whole JavaScript API here, so
//! nothing else in the crate knows about JS.)
//!
//! One opaque `Simulation` handle with coarse calls. Small structured values (scenarios in,
//! steps, summaries and snapshots out) cross with serde-wasm-bindgen as plain objects; the bulk
//! per-partition arrays cross as typed-array *views* into wasm memory, which the caller must
//! re-fetch after any call that may allocate (`step`, `run`, `runUntil`, `paintTimeline`).
//! Bad input throws a JS `Error` whose message names the field and what is allowed.

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::Clamped;

use crate::results::timeline::{self, Axis, PALETTE_LEN};
use crate::results::{Comparison, PartitionState, NEVER};
use crate::{Scenario, Simulation as Engine};

mod rolling;
pub use rolling::RollingRestart;

fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// A large value crosses as JSON text that the host parses in one call: serde-wasm-bindgen builds
/// it property by property across the boundary, which for the catalog took 15–25 ms of the page's
/// start-up. The same object either way (plain objects, arrays, numbers, strings, null).
fn to_js_parsed<T: Serialize + ?Sized>(v: &T) -> JsValue {
    serde_json::to_string(v)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or(JsValue::NULL)
}

fn error(msg: impl std::fmt::Display) -> JsError {
    JsError::new(&msg.to_string())
}

/// Scenarios go through their JSON text, so that unknown fields are refused and errors name the
/// field exactly as the CLI's do (serde-wasm-bindgen only visits the fields a struct declares).
fn scenario_from(v: JsValue) -> Result<Scenario, JsError> {
    let text = js_sys::JSON::stringify(&v).map_err(|_| error("scenario: not JSON-serialisable"))?;
    let text = text
        .as_string()
        .ok_or_else(|| error("scenario: expected an object"))?;
    Scenario::from_json(&text).map_err(error)
}

/// One simulated run, stepped or run from JavaScript.
#[wasm_bindgen]
pub struct Simulation {
    engine: Engine,
    times: Vec<f64>,
    states: Vec<u8>,
    pixels: Vec<u8>,
}

#[wasm_bindgen]
impl Simulation {
    /// Builds a run from a scenario object (the CLI's schema). Throws on a bad scenario.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario: JsValue) -> Result<Simulation, JsError> {
        console_error_panic_hook::set_once();
        let s = scenario_from(scenario)?;
        let engine = Engine::new(&s).map_err(error)?;
        Ok(Simulation {
            engine,
            times: Vec::new(),
            states: Vec::new(),
            pixels: Vec::new(),
        })
    }

    /// Takes one step and returns it ({seq, time_us, kind, chapter_step, broker, …}), or null.
    pub fn step(&mut self) -> JsValue {
        self.times.clear();
        match self.engine.step() {
            Some(s) => to_js(&s),
            None => JsValue::NULL,
        }
    }

    /// Runs to the end; returns the summary (the CLI's `run --json`).
    pub fn run(&mut self) -> JsValue {
        self.times.clear();
        to_js(&self.engine.run())
    }

    /// Takes every step due by `t_ms` and moves the clock there.
    #[wasm_bindgen(js_name = runUntil)]
    pub fn run_until(&mut self, t_ms: f64) -> Result<(), JsError> {
        if !t_ms.is_finite() {
            return Err(error(format!(
                "runUntil: time must be a finite number of ms, got {t_ms}"
            )));
        }
        self.times.clear();
        self.engine.run_until((t_ms * 1000.0).round() as i64);
        Ok(())
    }

    /// The summary of what has been scheduled so far (complete once `done`).
    pub fn summary(&self) -> JsValue {
        to_js(&self.engine.summary())
    }

    #[wasm_bindgen(getter, js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        self.engine.now_us() as f64 / 1000.0
    }

    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.engine.is_done()
    }

    /// The time of the next step in ms, or null.
    #[wasm_bindgen(getter, js_name = nextMs)]
    pub fn next_ms(&self) -> JsValue {
        match self.engine.next_time_us() {
            Some(t) => JsValue::from_f64(t as f64 / 1000.0),
            None => JsValue::NULL,
        }
    }

    #[wasm_bindgen(getter, js_name = stepsTaken)]
    pub fn steps_taken(&self) -> f64 {
        self.engine.steps_taken() as f64
    }

    /// The last steps taken (at most 256), oldest first.
    #[wasm_bindgen(js_name = recentSteps)]
    pub fn recent_steps(&self) -> JsValue {
        to_js(&self.engine.recent_steps().collect::<Vec<_>>())
    }

    /// Brokers now: [{id, state, lifecycle, leads, controller}], plus the run's times.
    pub fn cluster(&self) -> JsValue {
        #[derive(Serialize)]
        struct B {
            id: u8,
            /// What the controller believes.
            state: crate::BrokerState,
            /// What the broker itself is doing.
            lifecycle: crate::Lifecycle,
            leads: u32,
            controller: bool,
        }
        #[derive(Serialize)]
        struct C<'a> {
            brokers: Vec<B>,
            controller: Option<u8>,
            victim: u8,
            mode: crate::profile::Mode,
            partitions: usize,
            rows: usize,
            run: &'a crate::results::RunTimes,
            /// Partitions the victim's absence leaves under-replicated now (runs with a return).
            under_replicated: usize,
        }
        let counts = self.engine.leader_counts();
        let brokers = self
            .engine
            .brokers()
            .iter()
            .zip(counts)
            .map(|(&(id, state), leads)| B {
                id,
                state,
                lifecycle: self.engine.cluster().lifecycle(id),
                leads,
                controller: self.engine.controller() == Some(id),
            })
            .collect();
        let plan = self.engine.plan();
        to_js(&C {
            brokers,
            controller: self.engine.controller(),
            victim: plan.victim,
            mode: plan.profile.mode,
            partitions: plan.partitions(),
            rows: self.engine.rows().len(),
            run: self.engine.run_times(),
            under_replicated: under_replicated_at(&self.engine, self.engine.now_us()),
        })
    }

    /// The return's phases so far, in ms from the fault (null for what has not happened), or
    /// null for a run without a restart: {clean, down_ms, started_ms, logs_ready_ms,
    /// registered_ms, serving_ms, in_sync_ms, balanced_ms, log_ms}.
    pub fn restart(&self) -> JsValue {
        match self.engine.restart_times() {
            Some(t) => to_js(&restart_phases(t)),
            None => JsValue::NULL,
        }
    }

    /// One partition now: {index, topic, partition, replicas, leader, isr, epoch, row}.
    pub fn partition(&self, index: u32) -> Result<JsValue, JsError> {
        let plan = self.engine.plan();
        let i = index as usize;
        if i >= plan.partitions() {
            return Err(error(format!(
                "partition: {index} is out of range; allowed: 0 to {}",
                plan.partitions() - 1
            )));
        }
        let st = self.engine.partition_state(i);
        let (topic, p) = plan.topic_partition(i);
        #[derive(Serialize)]
        struct P<'a> {
            index: u32,
            topic: &'a str,
            partition: u32,
            replicas: &'a [u8],
            leader: Option<u8>,
            isr: Vec<u8>,
            epoch: u32,
            row: Option<usize>,
        }
        Ok(to_js(&P {
            index,
            topic,
            partition: p,
            replicas: plan.replicas(i),
            leader: st.leader,
            isr: st.isr.ordered_by(plan.replicas(i)),
            epoch: st.epoch,
            row: self.engine.row_of(i),
        }))
    }

    /// One row's times and downtime breakdown in ms (the timeline's tooltip).
    #[wasm_bindgen(js_name = rowDetail)]
    pub fn row_detail(&self, row: u32) -> Result<JsValue, JsError> {
        let rows = self.engine.rows();
        let r = row as usize;
        if r >= rows.len() {
            return Err(error(format!(
                "row: {row} is out of range; allowed: 0 to {}",
                rows.len().saturating_sub(1)
            )));
        }
        let b = rows
            .breakdown(r, self.engine.run_times())
            .map(|b| crate::results::BreakdownMs::of(b, self.engine.rows().has_return()));
        let ms = |t: i64| {
            if t == NEVER {
                None
            } else {
                Some(t as f64 / 1000.0)
            }
        };
        let leader = rows.new_leader[r];
        Ok(to_js(&serde_json::json!({
            "row": r,
            "partition": rows.partition[r],
            "offline_ms": ms(rows.offline[r]),
            "serving_ms": ms(rows.serving[r]),
            "client_ms": ms(rows.client[r]),
            "downtime_ms": rows.downtime(r).map(|d| d as f64 / 1000.0),
            "new_leader": (leader != crate::results::NO_LEADER).then_some(leader),
            "unclean": rows.unclean[r],
            "breakdown_ms": b,
        })))
    }

    /// Bytes of per-partition state and results this run holds in wasm memory.
    #[wasm_bindgen(getter, js_name = memoryBytes)]
    pub fn memory_bytes(&self) -> f64 {
        self.engine.memory_bytes() as f64
    }

    /// A view of each row's partition index (election order → partition), without copying.
    /// Valid until the next call that may allocate.
    #[wasm_bindgen(js_name = rowPartitions)]
    pub fn row_partitions(&self) -> js_sys::Uint32Array {
        // SAFETY: as for `rowTimes`; the engine never reallocates `partition` after construction.
        unsafe { js_sys::Uint32Array::view(&self.engine.rows().partition) }
    }

    #[wasm_bindgen(getter, js_name = rowCount)]
    pub fn row_count(&self) -> u32 {
        self.engine.rows().len() as u32
    }

    /// A view of every row's times: `rowCount × ROW_COLUMNS.length` numbers, row-major, in ms.
    /// Valid until the next call that may allocate.
    #[wasm_bindgen(js_name = rowTimes)]
    pub fn row_times(&mut self) -> js_sys::Float64Array {
        if self.times.is_empty() {
            let rows = self.engine.rows();
            let ms = |t: i64| if t == NEVER { -1.0 } else { t as f64 / 1000.0 };
            self.times
                .reserve_exact(rows.len() * crate::results::ROW_COLUMNS.len());
            for r in 0..rows.len() {
                self.times.push(rows.partition[r] as f64);
                self.times.extend(rows.times(r).map(ms));
                self.times
                    .push(rows.downtime(r).map(|d| d as f64 / 1000.0).unwrap_or(-1.0));
            }
        }
        // SAFETY: the view is handed straight to JS; `times` is not touched until the next call
        // into this object, and the doc comment tells callers to re-fetch after such calls.
        unsafe { js_sys::Float64Array::view(&self.times) }
    }

    /// A view of every row's state at `t_ms` (the partition map): the codes of
    /// `catalog().partition_states` (`results::PartitionState`).
    #[wasm_bindgen(js_name = rowStates)]
    pub fn row_states(&mut self, t_ms: f64) -> js_sys::Uint8Array {
        let t = (t_ms * 1000.0).round() as i64;
        let rows = self.engine.rows();
        self.states.clear();
        self.states
            .extend((0..rows.len()).map(|r| PartitionState::at(rows, r, t) as u8));
        // SAFETY: as for `rowTimes`.
        unsafe { js_sys::Uint8Array::view(&self.states) }
    }

    /// Paints the timeline (see `timeline.rs`) as an ImageData of `width × height` pixels:
    /// time 0 to `end_ms` across, linear or log, with `palette` (8 RGBA colours, 0xRRGGBBAA).
    #[wasm_bindgen(js_name = paintTimeline)]
    pub fn paint_timeline(
        &mut self,
        width: u32,
        height: u32,
        end_ms: f64,
        log: bool,
        palette: Vec<u32>,
    ) -> Result<web_sys::ImageData, JsError> {
        if width == 0 || height == 0 || width > 16_384 || height > 16_384 {
            return Err(error(format!(
                "paintTimeline: {width}×{height} pixels; allowed: 1 to 16384 each"
            )));
        }
        if !(end_ms.is_finite() && end_ms > 0.0) {
            return Err(error(format!(
                "paintTimeline: end_ms is {end_ms}; it must be a positive number"
            )));
        }
        if !(PALETTE_LEN..=PALETTE_LEN + 1).contains(&palette.len()) {
            return Err(error(format!(
                "paintTimeline: palette has {} colours; it takes {PALETTE_LEN} (the downtime parts and \"no leader\") or {} (and \"still served, waiting to move\")",
                palette.len(),
                PALETTE_LEN + 1
            )));
        }
        let axis = Axis {
            width: width as usize,
            end_us: (end_ms * 1000.0).round() as i64,
            log,
        };
        self.pixels = timeline::paint(
            self.engine.rows(),
            self.engine.run_times(),
            axis,
            height as usize,
            &palette,
        );
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&self.pixels), width, height)
            .map_err(|e| error(format!("paintTimeline: {e:?}")))
    }

    /// The per-partition results as CSV (as `kafka-election run --csv`).
    pub fn csv(&self) -> String {
        self.engine.csv()
    }

    /// The profile in use: name, title, mode, summary, parameters (with overrides) and sources.
    pub fn profile(&self) -> JsValue {
        let p = &self.engine.plan().profile;
        let values: serde_json::Map<String, serde_json::Value> = crate::profile::PARAMS
            .iter()
            .map(|s| {
                (
                    s.name.to_string(),
                    serde_json::to_value(self.engine.params().get(s.name)).unwrap_or_default(),
                )
            })
            .collect();
        to_js(
            &serde_json::json!({"name": p.name, "title": p.title, "mode": p.mode, "summary": p.summary, "parameters": values, "sources": p.sources}),
        )
    }
}

/// How many partitions are under-replicated by the victim's absence at `t` (µs).
fn under_replicated_at(engine: &Engine, t: i64) -> usize {
    let (left, back) = engine.under_replicated();
    left.iter()
        .zip(back)
        .filter(|&(&l, &b)| l != NEVER && l <= t && (b == NEVER || b > t))
        .count()
}

fn restart_phases(t: &crate::results::restart::RestartTimes) -> serde_json::Value {
    let ms = |us: i64| (us != NEVER).then(|| us as f64 / 1000.0);
    serde_json::json!({
        "clean": t.clean,
        "down_ms": ms(t.down_us),
        "started_ms": ms(t.started_us),
        "logs_ready_ms": ms(t.logs_ready_us),
        "registered_ms": ms(t.registered_us),
        "serving_ms": ms(t.serving_us),
        "in_sync_ms": ms(t.in_sync_us),
        "balanced_ms": ms(t.balanced_us),
        "log_ms": t.log_us as f64 / 1000.0,
    })
}

/// Everything the engine names: profiles, parameters with their modes, limits, faults, election
/// strategies, partition states, downtime parts (as `kafka-election catalog`).
#[wasm_bindgen]
pub fn catalog() -> JsValue {
    to_js_parsed(&crate::catalog::catalog())
}

/// Compares two finished runs of the same cluster, a crash and a controlled shutdown: both
/// summaries and the ratios (as `kafka-election compare --json`).
#[wasm_bindgen(js_name = compareRuns)]
pub fn compare_runs(crash: &Simulation, shutdown: &Simulation) -> JsValue {
    to_js(&Comparison::of(
        crash.engine.summary(),
        shutdown.engine.summary(),
    ))
}

/// Runs a scenario under a crash and under a controlled shutdown and compares them (as
/// `kafka-election compare --json`). Throws on a bad scenario.
#[wasm_bindgen]
pub fn compare(scenario: JsValue) -> Result<JsValue, JsError> {
    let s = scenario_from(scenario)?;
    crate::results::compare(&s)
        .map(|c| to_js(&c))
        .map_err(error)
}

/// Every profile and parameter (as `kafka-election profiles --json`).
#[wasm_bindgen]
pub fn profiles() -> JsValue {
    to_js_parsed(&crate::profile::catalog())
}

/// One election case (as `kafka-election elect`): {mode, strategy, assignment, isr, live, …}.
#[wasm_bindgen]
pub fn elect(case: JsValue) -> Result<JsValue, JsError> {
    let text = js_sys::JSON::stringify(&case)
        .map_err(|_| error("elect: the case is not JSON-serialisable"))?;
    let text: String = text.into();
    crate::election::case::elect(&text)
        .map(|v| to_js(&v))
        .map_err(error)
}

/// Checks a scenario without running it: returns null when it is valid, else `{field, message}`.
#[wasm_bindgen(js_name = validateScenario)]
pub fn validate_scenario(scenario: JsValue) -> JsValue {
    let text = js_sys::JSON::stringify(&scenario)
        .ok()
        .and_then(|t| t.as_string());
    let problem = match text {
        None => Some(crate::ScenarioError::new("scenario", "expected an object")),
        Some(text) => match Scenario::from_json(&text) {
            Err(e) => Some(e),
            Ok(s) => s.plan().err(),
        },
    };
    match problem {
        None => JsValue::NULL,
        Some(e) => to_js(&serde_json::json!({"field": e.field, "message": e.message})),
    }
}

/// The column names of `rowTimes()`.
#[wasm_bindgen(js_name = rowColumns)]
pub fn row_columns() -> JsValue {
    to_js(&crate::results::ROW_COLUMNS)
}

/// Milliseconds since the page started, from `performance.now()` (for the browser benchmark).
#[wasm_bindgen(js_name = performanceNow)]
pub fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}
