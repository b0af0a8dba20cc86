//! What the returning broker's `LogManager.loadLogs` does before it can register: after a clean
//! exit (the `.kafka_cleanshutdown` marker is there) it only loads each log's segments and
//! indexes; after a crash it also recovers every log from its recovery point — re-reads the
//! data, checks CRCs, rebuilds indexes (`docs/model.md`, "After the fault"). Both run on
//! `num.recovery.threads.per.data.dir` threads in each log directory.
//!
//! Estimates, labelled as such in the model document: every partition holds the same data; the
//! data past the recovery point is the active segment (all of it while the log has not rolled,
//! half a segment on average once it has) plus what was written since the last checkpoint of the
//! recovery points; recovery re-reads at a fixed throughput per thread.

use crate::profile::Params;

const MIB: i128 = 1 << 20;
const KIB: i128 = 1 << 10;

/// The log work of one broker's start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogWork {
    /// Partitions with a replica on the broker.
    pub partitions: usize,
    /// Segments loaded per partition.
    pub segments_per_partition: i64,
    /// Bytes recovered per partition (0 after a clean exit).
    pub recovered_bytes_per_partition: i64,
    /// One partition's loading (and recovery) on one thread.
    pub per_partition_us: i64,
    /// All of it, over the directories and their threads.
    pub total_us: i64,
}

impl LogWork {
    pub fn of(p: &Params, partitions: usize, clean: bool) -> LogWork {
        let data = i128::from(p.partition_data_mib) * MIB;
        let segment = i128::from(p.segment_mib.max(1)) * MIB;
        let segments = ((data + segment - 1) / segment).max(1) as i64;
        let load_us = segments * p.segment_load_us;
        let recovered = if clean {
            0
        } else {
            // The active segment: all of the log until it first rolls, then half a segment on
            // average; plus what was written after the last recovery-point checkpoint.
            let active = if data <= segment { data } else { segment / 2 };
            let since_checkpoint =
                i128::from(p.write_kib_per_s) * KIB * i128::from(p.recovery_point_checkpoint_us)
                    / 1_000_000;
            data.min(active + since_checkpoint)
        };
        let rate = i128::from(p.recovery_mib_per_s.max(1)) * MIB;
        let recover_us = (recovered * 1_000_000 + rate - 1) / rate;
        let per_partition_us = load_us + recover_us as i64;
        // Partitions spread evenly over the directories; each directory's threads take them in
        // turn, all of equal cost.
        let dirs = p.log_dirs.max(1) as usize;
        let threads = p.recovery_threads_per_data_dir.max(1) as usize;
        let per_dir = partitions.div_ceil(dirs);
        let rounds = per_dir.div_ceil(threads) as i64;
        LogWork {
            partitions,
            segments_per_partition: segments,
            recovered_bytes_per_partition: recovered as i64,
            per_partition_us,
            total_us: rounds * per_partition_us,
        }
    }

    /// Bytes recovered in all.
    pub fn recovered_bytes(&self) -> i128 {
        i128::from(self.recovered_bytes_per_partition) * self.partitions as i128
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Params {
        crate::profile::builtin("kafka-2.5").unwrap().params
    }

    #[test]
    fn a_clean_start_only_loads() {
        let p = params();
        // 10 MiB per partition: one segment each, 0.45 ms to load.
        let w = LogWork::of(&p, 10_000, true);
        assert_eq!(w.segments_per_partition, 1);
        assert_eq!(w.recovered_bytes_per_partition, 0);
        assert_eq!(w.total_us, 10_000 * 450);
    }

    #[test]
    fn a_crash_recovers_past_the_recovery_point() {
        let mut p = params();
        // The log never rolled: all 10 MiB are past the recovery point; at 42 MiB/s.
        let w = LogWork::of(&p, 1, false);
        assert_eq!(w.recovered_bytes_per_partition, 10 << 20);
        assert_eq!(w.per_partition_us, 450 + 238_096); // 10/42 s, rounded up
                                                       // A rolled log: half a segment plus a minute of writes.
        p.partition_data_mib = 5 * 1024;
        p.write_kib_per_s = 100;
        let w = LogWork::of(&p, 1, false);
        assert_eq!(w.segments_per_partition, 5);
        assert_eq!(w.recovered_bytes_per_partition, (512 << 20) + 6_000 * 1024);
    }

    #[test]
    fn threads_and_directories_share_the_partitions() {
        let mut p = params();
        let one = LogWork::of(&p, 1_000, false).total_us;
        p.recovery_threads_per_data_dir = 2;
        assert_eq!(LogWork::of(&p, 1_000, false).total_us * 2, one);
        p.log_dirs = 4;
        assert_eq!(LogWork::of(&p, 1_000, false).total_us * 8, one);
        // 3 partitions on 2 threads: two rounds.
        p.log_dirs = 1;
        let w = LogWork::of(&p, 3, false);
        assert_eq!(w.total_us, 2 * w.per_partition_us);
    }

    #[test]
    fn a_clean_start_never_does_more_than_a_crash() {
        let mut p = params();
        for (data, rate) in [(0, 0), (1, 1), (10, 10), (5_000, 1_000), (100_000, 0)] {
            p.partition_data_mib = data;
            p.write_kib_per_s = rate;
            for n in [0, 1, 7, 10_000] {
                assert!(LogWork::of(&p, n, true).total_us <= LogWork::of(&p, n, false).total_us);
            }
        }
    }
}
