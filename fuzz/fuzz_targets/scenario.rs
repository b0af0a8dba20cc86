//! Scenario JSON as the CLI, the page and the golden tests read it: parse, validate, and run the
//! small ones. Anything may be refused (with a field), nothing may panic.
#![no_main]

use kafka_election::{Scenario, Simulation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let plan = match Scenario::from_json(text).and_then(|s| s.plan()) {
        Ok(plan) => plan,
        Err(e) => {
            // A field, never serde_path_to_error's "?" for a position it could not name (a
            // "?" may only come from the input's own keys).
            assert!(!e.field.is_empty(), "{e}");
            assert!(
                text.contains('?') || e.field.split('.').all(|s| s != "?"),
                "{e}"
            );
            return;
        }
    };
    // Large clusters are valid but slow; the limits themselves are checked above.
    if plan.partitions() <= 2_000 {
        let mut sim = Simulation::from_plan(plan);
        let summary = sim.run();
        assert_eq!(sim.csv().lines().count(), sim.rows().len() + 1);
        assert!(summary.steps > 0);
    }
});
