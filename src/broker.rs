//! Brokers and sets of brokers.
//!
//! A broker id is 0..=127 so that any set of brokers (an ISR, the live brokers, the ones shutting
//! down) is one `u128`: per-partition state stays 16 bytes however many replicas a partition has.

use std::fmt;

/// A broker id, as in `broker.id` / `node.id`.
pub type BrokerId = u8;

/// The largest broker id the engine accepts.
pub const MAX_BROKER_ID: BrokerId = 127;

/// A set of broker ids.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct BrokerSet(u128);

impl BrokerSet {
    pub const EMPTY: BrokerSet = BrokerSet(0);

    pub fn of(ids: &[BrokerId]) -> BrokerSet {
        ids.iter().fold(BrokerSet::EMPTY, |s, &b| s.with(b))
    }
    /// The bit of broker `b`. Built from a 64-bit shift: a variable 128-bit shift is a library
    /// call on wasm32, and these run for every replica of every partition.
    fn bit(b: BrokerId) -> u128 {
        debug_assert!(b <= MAX_BROKER_ID);
        let low = 1u64 << (b & 63);
        if b < 64 {
            low as u128
        } else {
            (low as u128) << 64
        }
    }
    pub fn contains(self, b: BrokerId) -> bool {
        b <= MAX_BROKER_ID && self.0 & Self::bit(b) != 0
    }
    #[must_use]
    pub fn with(self, b: BrokerId) -> BrokerSet {
        BrokerSet(self.0 | Self::bit(b))
    }
    #[must_use]
    pub fn without(self, b: BrokerId) -> BrokerSet {
        BrokerSet(self.0 & !Self::bit(b))
    }
    #[must_use]
    pub fn union(self, o: BrokerSet) -> BrokerSet {
        BrokerSet(self.0 | o.0)
    }
    #[must_use]
    pub fn intersect(self, o: BrokerSet) -> BrokerSet {
        BrokerSet(self.0 & o.0)
    }
    #[must_use]
    pub fn minus(self, o: BrokerSet) -> BrokerSet {
        BrokerSet(self.0 & !o.0)
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
    pub fn is_subset_of(self, o: BrokerSet) -> bool {
        self.0 & !o.0 == 0
    }
    /// Ids in ascending order.
    pub fn iter(self) -> impl Iterator<Item = BrokerId> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let b = bits.trailing_zeros() as BrokerId;
                bits &= bits - 1;
                b
            })
        })
    }
    /// The members in the order they appear in `order` (an assignment or an ISR list), then any
    /// others in ascending id order. Kafka keeps ISRs as lists; the engine keeps sets and restores
    /// the list order from the assignment, which is how an ISR that only shrinks is ordered.
    pub fn ordered_by(self, order: &[BrokerId]) -> Vec<BrokerId> {
        let mut out = Vec::with_capacity(self.len());
        let mut left = self;
        for &b in order {
            if left.contains(b) {
                out.push(b);
                left = left.without(b);
            }
        }
        out.extend(left.iter());
        out
    }
}

impl fmt::Debug for BrokerSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Serialized as the list of ids, ascending.
impl serde::Serialize for BrokerSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl FromIterator<BrokerId> for BrokerSet {
    fn from_iter<I: IntoIterator<Item = BrokerId>>(iter: I) -> Self {
        iter.into_iter().fold(BrokerSet::EMPTY, |s, b| s.with(b))
    }
}

/// What the controller believes about a broker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokerState {
    /// Registered (ZooKeeper znode present / KRaft unfenced) and serving.
    Alive,
    /// Crashed, but its ZooKeeper session or KRaft heartbeat lease has not expired yet: the
    /// controller still believes it is alive.
    Unresponsive,
    /// Asked for a controlled shutdown; still serving until its leaderships move.
    ShuttingDown,
    /// Gone: znode deleted (ZooKeeper) or exited.
    Dead,
    /// KRaft: fenced by the controller after missing heartbeats.
    Fenced,
}

/// What a broker itself is doing, whatever the controller believes (`BrokerState`), through its
/// fault and its return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    /// Up and serving.
    Running,
    /// SIGTERM received: moving its leaderships away, still serving.
    ShuttingDown,
    /// Exited cleanly: logs flushed, clean-shutdown marker written.
    Exited,
    /// Gone without warning (kill -9, power loss).
    Crashed,
    /// Started again after a crash: recovering its logs from their recovery points.
    RecoveringLogs,
    /// Started again after a clean exit: only loading its logs.
    LoadingLogs,
    /// Logs ready: registering with the controller (KRaft: fenced until caught up).
    Rejoining,
    /// Serving again; its followers fetch what they missed before rejoining the ISRs.
    CatchingUp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let s = BrokerSet::of(&[1, 3, 127]);
        assert!(s.contains(1) && s.contains(3) && s.contains(127) && !s.contains(2));
        assert_eq!(s.len(), 3);
        assert_eq!(s.without(3), BrokerSet::of(&[1, 127]));
        assert_eq!(s.intersect(BrokerSet::of(&[3, 4])), BrokerSet::of(&[3]));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![1, 3, 127]);
        assert_eq!(BrokerSet::of(&[1, 3]).ordered_by(&[3, 2, 1]), vec![3, 1]);
        assert_eq!(BrokerSet::of(&[1, 5]).ordered_by(&[5]), vec![5, 1]);
        assert_eq!(BrokerSet::of(&[3]).ordered_by(&[3, 1, 3]), vec![3]);
        assert!(!s.contains(200));
    }
}
