//! The broker's return as figures: when it was back, how long its logs took, how long partitions
//! stayed under-replicated, when leadership was balanced again (`run --json`'s `restart`).

use serde::Serialize;

use super::{ms, NEVER};
use crate::scenario::LeaderRebalance;

/// Times and totals of the victim's return, filled in by the controller as it goes (µs; NEVER
/// for what has not happened).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestartTimes {
    pub after_us: i64,
    pub leader_rebalance: LeaderRebalance,
    /// The exit was clean (controlled shutdown): logs load without recovery.
    pub clean: bool,
    /// The broker went down (the crash, or the clean exit).
    pub down_us: i64,
    /// The process started again (`down_us + after_us`).
    pub started_us: i64,
    /// Logs recovered or loaded.
    pub logs_ready_us: i64,
    pub log_us: i64,
    pub recovered_bytes: i128,
    pub segments: i64,
    pub partitions_hosted: usize,
    /// Registered with the controller (ZooKeeper znode; KRaft registration, still fenced).
    pub registered_us: i64,
    /// Serving again: the controller has told it its replicas, or (KRaft) unfenced it.
    pub serving_us: i64,
    /// The last of its replicas is back in the ISR (NEVER while one is still behind).
    pub in_sync_us: i64,
    /// Partitions still under-replicated, and the sum of the times they went so.
    pub still_under_replicated: usize,
    pub still_under_replicated_since_sum_us: i128,
    /// Completed under-replicated intervals, summed.
    pub under_replicated_us: i128,
    /// The last preferred leader moved back serves (NEVER if none moved).
    pub balanced_us: i64,
    pub preferred_moved: usize,
    /// Partitions whose only in-sync replica was the victim: offline until it returned.
    pub waited_for_return: usize,
    /// Their downtime's restart part, summed.
    pub restart_part_us: i128,
    /// Partition downtime of the preferred elections' switch-overs, summed.
    pub switch_over_us: i128,
}

impl RestartTimes {
    pub fn new(after_us: i64, leader_rebalance: LeaderRebalance) -> RestartTimes {
        RestartTimes {
            after_us,
            leader_rebalance,
            clean: false,
            down_us: NEVER,
            started_us: NEVER,
            logs_ready_us: NEVER,
            log_us: 0,
            recovered_bytes: 0,
            segments: 0,
            partitions_hosted: 0,
            registered_us: NEVER,
            serving_us: NEVER,
            in_sync_us: NEVER,
            still_under_replicated: 0,
            still_under_replicated_since_sum_us: 0,
            under_replicated_us: 0,
            balanced_us: NEVER,
            preferred_moved: 0,
            waited_for_return: 0,
            restart_part_us: 0,
            switch_over_us: 0,
        }
    }

    /// Under-replicated partition-time up to `end_us`, the open intervals included.
    pub fn under_replicated_us_until(&self, end_us: i64) -> i128 {
        self.under_replicated_us + self.still_under_replicated as i128 * end_us as i128
            - self.still_under_replicated_since_sum_us
    }
}

/// `run --json`'s `restart` object (times in ms from the fault).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RestartSummary {
    pub restart_after_ms: f64,
    /// Logs loaded after a clean exit (`true`) or recovered after a crash.
    pub clean_shutdown: bool,
    /// Log recovery or, after a clean exit, loading.
    pub log_recovery_ms: f64,
    pub log_recovered_mib: f64,
    pub segments_loaded: i64,
    pub partitions_hosted: usize,
    /// From the fault until the broker is registered and serving again.
    pub broker_serving_ms: Option<f64>,
    /// From the fault until no partition is under-replicated (`null`: one never catches up).
    pub under_replicated_until_ms: Option<f64>,
    pub under_replicated_partition_seconds: f64,
    pub leader_rebalance: &'static str,
    /// Until the preferred leaders lead again (`null` when nothing moves leadership back).
    pub leadership_balanced_ms: Option<f64>,
    pub preferred_leaders_moved: usize,
    pub partitions_waiting_for_return: usize,
    pub restart_partition_seconds: f64,
    pub switch_over_partition_seconds: f64,
}

impl RestartSummary {
    pub fn of(t: &RestartTimes, fault_us: i64, end_us: i64) -> RestartSummary {
        let since = |at: i64| (at != NEVER).then(|| ms(at - fault_us));
        let rebalanced = t.leader_rebalance != LeaderRebalance::Off;
        RestartSummary {
            restart_after_ms: ms(t.after_us),
            clean_shutdown: t.clean,
            log_recovery_ms: ms(t.log_us),
            log_recovered_mib: t.recovered_bytes as f64 / (1u64 << 20) as f64,
            segments_loaded: t.segments,
            partitions_hosted: t.partitions_hosted,
            broker_serving_ms: since(t.serving_us),
            under_replicated_until_ms: since(t.in_sync_us),
            under_replicated_partition_seconds: t.under_replicated_us_until(end_us) as f64 / 1e6,
            leader_rebalance: t.leader_rebalance.name(),
            leadership_balanced_ms: if rebalanced {
                since(t.balanced_us)
            } else {
                None
            },
            preferred_leaders_moved: t.preferred_moved,
            partitions_waiting_for_return: t.waited_for_return,
            restart_partition_seconds: t.restart_part_us as f64 / 1e6,
            switch_over_partition_seconds: t.switch_over_us as f64 / 1e6,
        }
    }
}
