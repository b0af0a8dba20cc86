//! The run's aggregates (`run --json`, the page's figures) and the comparison of a crash with a
//! controlled shutdown of the same cluster (`compare`).

use serde::Serialize;

use super::{ms, percentile, BreakdownMs, Rows, RunTimes, NEVER};
use crate::broker::BrokerId;
use crate::profile::Params;
use crate::scenario::{Fault, Plan, Scenario, ScenarioError};
use crate::simulation::Simulation;

/// The run's aggregates: the CLI's JSON and the page's summary figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub profile: String,
    pub mode: crate::profile::Mode,
    pub event: String,
    pub victim: BrokerId,
    pub controller: BrokerId,
    pub partitions: usize,
    pub partitions_affected: usize,
    pub partitions_recovered: usize,
    pub partitions_without_leader: usize,
    pub unclean_elections: usize,
    pub isr_shrinks: usize,
    pub detection_ms: f64,
    pub controller_work_ms: f64,
    pub first_partition_downtime_ms: Option<f64>,
    pub median_downtime_ms: Option<f64>,
    pub p99_downtime_ms: Option<f64>,
    pub last_partition_downtime_ms: Option<f64>,
    pub max_downtime_ms: Option<f64>,
    pub unavailable_partition_seconds: f64,
    pub delivery_timeout_ms: f64,
    pub partitions_over_delivery_timeout: usize,
    pub last_partition_breakdown_ms: Option<BreakdownMs>,
    pub end_ms: f64,
    pub steps: u64,
    /// The victim's return (runs with a restart only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart: Option<super::restart::RestartSummary>,
}

impl Summary {
    /// The aggregates of a run's rows. Meaningful once the run is done; before that they
    /// describe the plan as far as the controller has scheduled it.
    pub fn of(
        plan: &Plan,
        p: &Params,
        rows: &Rows,
        run: &RunTimes,
        isr_shrinks: usize,
        steps: u64,
    ) -> Summary {
        let n = rows.len();
        let mut downtimes: Vec<i64> = (0..n).filter_map(|r| rows.downtime(r)).collect();
        let recovered = downtimes.len();
        // Partitions that never get a leader count until the run ends.
        let open_us: i128 = (0..n)
            .filter(|&r| rows.client[r] == NEVER && rows.offline[r] != NEVER)
            .map(|r| (run.end_us - rows.offline[r]).max(0) as i128)
            .sum();
        let total_us: i128 = downtimes.iter().map(|&d| d as i128).sum::<i128>() + open_us;
        let over = (0..n)
            .filter(|&r| rows.downtime(r).is_none_or(|d| d > p.delivery_timeout_us))
            .count();
        downtimes.sort_unstable();
        let dt = |r: Option<usize>| r.and_then(|r| rows.downtime(r)).map(ms);
        let last_breakdown = n
            .checked_sub(1)
            .and_then(|r| rows.breakdown(r, run))
            .map(|b| BreakdownMs::of(b, rows.has_return()));
        Summary {
            profile: plan.profile.name.to_string(),
            mode: plan.profile.mode,
            event: plan.fault.name().to_string(),
            victim: plan.victim,
            controller: plan.controller,
            partitions: plan.partitions(),
            partitions_affected: n,
            partitions_recovered: recovered,
            partitions_without_leader: n - recovered,
            unclean_elections: rows.unclean.iter().filter(|&&u| u).count(),
            isr_shrinks,
            detection_ms: ms(run.known_us - run.fault_us),
            controller_work_ms: ms((run.last_publication_us - run.controller_start_us).max(0)),
            first_partition_downtime_ms: dt((n > 0).then_some(0)),
            median_downtime_ms: percentile(&downtimes, 50).map(ms),
            p99_downtime_ms: percentile(&downtimes, 99).map(ms),
            last_partition_downtime_ms: dt(n.checked_sub(1)),
            max_downtime_ms: downtimes.last().copied().map(ms),
            unavailable_partition_seconds: total_us as f64 / 1e6,
            delivery_timeout_ms: ms(p.delivery_timeout_us),
            partitions_over_delivery_timeout: over,
            last_partition_breakdown_ms: last_breakdown,
            end_ms: ms(run.end_us),
            steps,
            restart: None,
        }
    }
}

/// A crash and a controlled shutdown of the same cluster, side by side (`compare --json`).
/// Fields in alphabetical order: the JSON keeps the order it always had.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub controlled_shutdown: Summary,
    pub crash: Summary,
    /// The crash's worst-case partition downtime over the controlled shutdown's worst.
    pub crash_last_over_shutdown_max_ratio: Option<f64>,
    /// How many times longer the last partition waits after a crash than under a controlled
    /// shutdown: the chapter's headline. `None` when either never recovers or the divisor is 0.
    pub last_partition_downtime_ratio: Option<f64>,
}

impl Comparison {
    pub fn of(crash: Summary, controlled_shutdown: Summary) -> Comparison {
        let ratio = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) if y > 0.0 => Some(x / y),
            _ => None,
        };
        Comparison {
            crash_last_over_shutdown_max_ratio: ratio(
                crash.last_partition_downtime_ms,
                controlled_shutdown.max_downtime_ms,
            ),
            last_partition_downtime_ratio: ratio(
                crash.last_partition_downtime_ms,
                controlled_shutdown.last_partition_downtime_ms,
            ),
            controlled_shutdown,
            crash,
        }
    }
}

/// Runs `scenario` under a crash and under a controlled shutdown (whatever its own fault) and
/// compares the two.
pub fn compare(scenario: &Scenario) -> Result<Comparison, ScenarioError> {
    let run = |fault| -> Result<Summary, ScenarioError> {
        let mut s = scenario.clone();
        s.event = fault;
        Ok(Simulation::new(&s)?.run())
    };
    Ok(Comparison::of(
        run(Fault::Crash)?,
        run(Fault::ControlledShutdown)?,
    ))
}
