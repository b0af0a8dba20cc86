//! The cluster as the controller's store has it: each partition's registration (leader, ISR,
//! leader epoch), each broker's state as the controller sees it and its own lifecycle, and which
//! broker is the controller. Both controllers change it only through these methods, so the
//! bookkeeping that goes with a change (leader counts, epochs) cannot be forgotten.

use crate::broker::{BrokerId, BrokerSet, BrokerState, Lifecycle};
use crate::results::NO_LEADER;

/// A partition's registration in the controller's store (ZooKeeper's partition state znode, or
/// KRaft's `PartitionRegistration`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Registration {
    pub leader: Option<BrokerId>,
    pub isr: BrokerSet,
    pub epoch: u32,
}

/// How the leader epoch moves when the store is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EpochRule {
    /// ZooKeeper mode: every LeaderAndIsr the controller writes bumps it
    /// (`LeaderAndIsr.newLeaderAndIsr`), ISR shrinks included.
    EveryWrite,
    /// KRaft (metadata version 3.6+): only a leader change bumps it.
    LeaderChange,
}

pub struct Cluster {
    leader: Vec<BrokerId>,
    /// Partitions led per broker id (index 255: leaderless), kept as the store changes so the
    /// page can ask every frame without counting a million partitions.
    leads: Vec<u32>,
    isr: Vec<BrokerSet>,
    epoch: Vec<u32>,
    epoch_rule: EpochRule,
    brokers: Vec<(BrokerId, BrokerState)>,
    lifecycle: Vec<Lifecycle>,
    controller: Option<BrokerId>,
}

impl Cluster {
    /// A running cluster: every broker alive, each partition led by `leader[p]` with `isr[p]`.
    pub fn new(
        brokers: &[BrokerId],
        controller: BrokerId,
        leader: Vec<BrokerId>,
        isr: Vec<BrokerSet>,
        epoch_rule: EpochRule,
    ) -> Cluster {
        let mut leads = vec![0u32; 256];
        for &l in &leader {
            leads[l as usize] += 1;
        }
        Cluster {
            epoch: vec![0; leader.len()],
            leader,
            leads,
            isr,
            epoch_rule,
            brokers: brokers.iter().map(|&b| (b, BrokerState::Alive)).collect(),
            lifecycle: vec![Lifecycle::Running; brokers.len()],
            controller: Some(controller),
        }
    }

    /// Starts from these leader epochs (a rolling restart's next run).
    pub fn set_epochs(&mut self, epoch: Vec<u32>) {
        debug_assert_eq!(epoch.len(), self.epoch.len());
        self.epoch = epoch;
    }
    /// Every partition's (leader, ISR, epoch) columns, for a run that continues from here.
    pub fn columns(&self) -> (&[BrokerId], &[BrokerSet], &[u32]) {
        (&self.leader, &self.isr, &self.epoch)
    }

    pub fn partitions(&self) -> usize {
        self.leader.len()
    }
    pub fn leader(&self, p: usize) -> Option<BrokerId> {
        let l = self.leader[p];
        (l != NO_LEADER).then_some(l)
    }
    pub fn isr(&self, p: usize) -> BrokerSet {
        self.isr[p]
    }
    pub fn registration(&self, p: usize) -> Registration {
        Registration {
            leader: self.leader(p),
            isr: self.isr[p],
            epoch: self.epoch[p],
        }
    }
    /// Partitions whose ISR holds broker `b`.
    pub fn partitions_with_isr_member(&self, b: BrokerId) -> impl Iterator<Item = usize> + '_ {
        (0..self.partitions()).filter(move |&p| self.isr[p].contains(b))
    }

    /// Writes a partition's new registration; the epoch moves by the store's `EpochRule`.
    /// Returns whether the ISR changed.
    pub fn store(&mut self, p: usize, leader: Option<BrokerId>, isr: BrokerSet) -> bool {
        let l = leader.unwrap_or(NO_LEADER);
        if self.leader[p] != l || self.epoch_rule == EpochRule::EveryWrite {
            self.epoch[p] += 1;
        }
        self.leads[self.leader[p] as usize] -= 1;
        self.leads[l as usize] += 1;
        self.leader[p] = l;
        let changed = self.isr[p] != isr;
        self.isr[p] = isr;
        changed
    }

    /// A follower caught up: the leader takes it back into the ISR. The leader epoch stays (the
    /// leader's ISR expansion keeps it in both modes; only the partition's version moves).
    pub fn expand_isr(&mut self, p: usize, b: BrokerId) {
        self.isr[p] = self.isr[p].with(b);
    }

    pub fn controller(&self) -> Option<BrokerId> {
        self.controller
    }
    pub fn set_controller(&mut self, c: Option<BrokerId>) {
        self.controller = c;
    }

    /// Every broker with the controller's view of it, in id order of the plan.
    pub fn brokers(&self) -> &[(BrokerId, BrokerState)] {
        &self.brokers
    }
    /// How many partitions each broker leads now, in `brokers()` order.
    pub fn leader_counts(&self) -> Vec<u32> {
        self.brokers
            .iter()
            .map(|&(b, _)| self.leads[b as usize])
            .collect()
    }
    pub fn set_state(&mut self, b: BrokerId, s: BrokerState) {
        if let Some(e) = self.brokers.iter_mut().find(|(id, _)| *id == b) {
            e.1 = s;
        }
    }
    /// The brokers whose state (as the controller sees it) satisfies `pred`.
    pub fn brokers_in(&self, pred: impl Fn(BrokerState) -> bool) -> BrokerSet {
        self.brokers
            .iter()
            .filter(|(_, s)| pred(*s))
            .map(|&(b, _)| b)
            .collect()
    }
    /// What broker `b` itself is doing (`Lifecycle::Running` for an unknown id).
    pub fn lifecycle(&self, b: BrokerId) -> Lifecycle {
        self.brokers
            .iter()
            .position(|&(id, _)| id == b)
            .map_or(Lifecycle::Running, |i| self.lifecycle[i])
    }
    pub fn set_lifecycle(&mut self, b: BrokerId, l: Lifecycle) {
        if let Some(i) = self.brokers.iter().position(|&(id, _)| id == b) {
            self.lifecycle[i] = l;
        }
    }

    /// Bytes held per partition (the vectors' capacities).
    pub fn memory_bytes(&self) -> usize {
        self.leader.capacity()
            + self.isr.capacity() * std::mem::size_of::<BrokerSet>()
            + self.epoch.capacity() * std::mem::size_of::<u32>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_keeps_leader_counts_and_epochs() {
        let isr = vec![BrokerSet::of(&[1, 3]); 3];
        let mut c = Cluster::new(&[1, 2, 3], 2, vec![1, 1, 3], isr, EpochRule::LeaderChange);
        assert_eq!(c.leader_counts(), vec![2, 0, 1]);
        // An ISR shrink alone: KRaft keeps the epoch.
        assert!(c.store(0, Some(1), BrokerSet::of(&[1])));
        assert_eq!(c.registration(0).epoch, 0);
        assert!(!c.store(0, Some(3), BrokerSet::of(&[1])));
        assert_eq!(c.registration(0).epoch, 1);
        assert_eq!(c.leader_counts(), vec![1, 0, 2]);
        c.store(1, None, BrokerSet::of(&[1]));
        assert_eq!(c.leader(1), None);
        assert_eq!(c.leader_counts(), vec![0, 0, 2]);
        assert_eq!(c.partitions_with_isr_member(3).collect::<Vec<_>>(), vec![2]);

        let isr = vec![BrokerSet::of(&[1, 3])];
        let mut zk = Cluster::new(&[1, 2, 3], 2, vec![1], isr, EpochRule::EveryWrite);
        zk.store(0, Some(1), BrokerSet::of(&[1]));
        assert_eq!(
            zk.registration(0).epoch,
            1,
            "ZooKeeper mode bumps on every write"
        );
    }

    #[test]
    fn brokers_have_a_state_and_a_lifecycle() {
        let mut c = Cluster::new(
            &[1, 2],
            1,
            vec![1],
            vec![BrokerSet::of(&[1])],
            EpochRule::EveryWrite,
        );
        c.set_state(2, BrokerState::ShuttingDown);
        c.set_lifecycle(2, Lifecycle::ShuttingDown);
        assert_eq!(
            c.brokers_in(|s| s == BrokerState::Alive),
            BrokerSet::of(&[1])
        );
        assert_eq!(c.lifecycle(2), Lifecycle::ShuttingDown);
        assert_eq!(c.lifecycle(1), Lifecycle::Running);
    }
}
