//! ZooKeeper's request pipeline as the controller uses it: the synchronous client (Kafka 1.0) is a
//! window of 1; the async client of KAFKA-5642 (1.1+) keeps up to `zookeeper.max.in.flight.requests`
//! outstanding (`docs/model.md`, "ZooKeeper mode").

use std::collections::VecDeque;

use crate::profile::Params;

/// A bounded-window pipeline of requests (ZooKeeper's async client, or the synchronous one with a
/// window of 1): request i is issued when it is ready and a slot is free, and completes one round
/// trip later, but no sooner than `op` after the previous one (the server's throughput).
pub(crate) struct Pipeline {
    window: usize,
    rtt: i64,
    op: i64,
    in_flight: VecDeque<i64>,
    last_done: i64,
}

impl Pipeline {
    pub fn new(window: i64, rtt: i64, op: i64) -> Pipeline {
        let window = window.max(1) as usize;
        Pipeline {
            window,
            rtt,
            op: op.min(rtt),
            // A window of 1 needs no queue (the one in flight completes at `last_done`), and a
            // batch of one partition builds a pipeline each time: allocate only for a real window.
            in_flight: if window > 1 {
                VecDeque::with_capacity(window)
            } else {
                VecDeque::new()
            },
            last_done: i64::MIN,
        }
    }

    /// The profile's window, round trip and per-request cost.
    pub fn of(p: &Params) -> Pipeline {
        Pipeline::new(p.zk_max_in_flight, p.zk_round_trip_us, p.zk_pipelined_op_us)
    }

    /// Issues one request ready at `ready`; returns (issued, completed).
    pub fn request(&mut self, ready: i64) -> (i64, i64) {
        let mut issue = ready;
        if self.window == 1 {
            if self.last_done != i64::MIN {
                issue = issue.max(self.last_done);
            }
        } else if self.in_flight.len() == self.window {
            issue = issue.max(self.in_flight.pop_front().unwrap_or(ready));
        }
        let done = (issue + self.rtt).max(self.last_done.saturating_add(self.op));
        self.last_done = done;
        if self.window > 1 {
            self.in_flight.push_back(done);
        }
        (issue, done)
    }

    /// Issues `n` requests all ready at `ready`; returns when the last completes (`ready` if none).
    pub fn batch(&mut self, ready: i64, n: usize) -> i64 {
        (0..n).fold(ready, |t, _| t.max(self.request(ready).1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synchronous_pipeline_is_one_round_trip_after_another() {
        let mut p = Pipeline::new(1, 1_500, 1_500);
        assert_eq!(p.request(0), (0, 1_500));
        assert_eq!(p.request(0), (1_500, 3_000));
        assert_eq!(p.request(5_000), (5_000, 6_500));
        // A batch of three more, all ready at once: one after another.
        assert_eq!(p.batch(0, 3), 6_500 + 3 * 1_500);
        assert_eq!(
            Pipeline::new(1, 1_500, 1_500).batch(42, 0),
            42,
            "nothing issued"
        );
    }

    #[test]
    fn windowed_pipeline_is_throughput_bound() {
        let mut p = Pipeline::new(10, 1_500, 150);
        let done: Vec<i64> = (0..100).map(|_| p.request(0).1).collect();
        // 10 in flight, 1.5 ms round trip → 0.15 ms apart at steady state.
        assert_eq!(done[0], 1_500);
        assert_eq!(done[99], 1_500 + 99 * 150);
        // Window 2 with a slow server round trip: the window is the limit.
        let mut p = Pipeline::new(2, 1_000, 10);
        let done: Vec<i64> = (0..6).map(|_| p.request(0).1).collect();
        assert_eq!(done, vec![1_000, 1_010, 2_000, 2_010, 3_000, 3_010]);
    }
}
