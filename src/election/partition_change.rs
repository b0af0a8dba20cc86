//! KRaft's election and ISR change: `PartitionChangeBuilder` (3.9 / 4.x) as plain functions
//! (`docs/model.md`, "Election rules").

use crate::broker::{BrokerId, BrokerSet};

use super::first_in;

/// KRaft election types (`PartitionChangeBuilder.Election`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KraftElection {
    Online,
    Preferred,
    Unclean,
}

/// `LeaderRecoveryState`: a leader chosen by an unclean election starts RECOVERING (3.2+).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaderRecoveryState {
    Recovered,
    Recovering,
}

/// A KRaft partition's registration, as far as elections are concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KraftPartition {
    pub leader: Option<BrokerId>,
    pub isr: BrokerSet,
    pub elr: BrokerSet,
    pub last_known_elr: BrokerSet,
    pub recovery: LeaderRecoveryState,
}

/// The inputs of one KRaft partition change. The partition's current registration (its leader,
/// its ISR *before* the change, ELR, last known ELR) is the `KraftPartition` passed alongside.
#[derive(Clone, Debug)]
pub struct KraftChange<'a> {
    pub assignment: &'a [BrokerId],
    /// The ISR the controller asks for (`setTargetIsr`), applied as given: acceptability only
    /// restricts who may lead. After a fencing it is the current ISR minus the fenced broker, as
    /// `kraft_target_isr` computes it.
    pub target_isr: BrokerSet,
    /// Brokers acceptable as leader: registered, unfenced, not in controlled shutdown.
    pub acceptable: BrokerSet,
    pub election: KraftElection,
    pub elr_enabled: bool,
    pub min_isr: usize,
}

/// The ISR the KRaft controller asks for when `leaving` brokers (fenced or shutting down) are
/// removed: without ELR an empty ISR is never written, so the last member stays.
pub fn kraft_target_isr(isr: BrokerSet, leaving: BrokerSet, elr_enabled: bool) -> BrokerSet {
    let t = isr.minus(leaving);
    if t.is_empty() && !elr_enabled {
        isr
    } else {
        t
    }
}

/// The outcome of one KRaft partition change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KraftOutcome {
    /// The new registration.
    pub partition: KraftPartition,
    /// The election was unclean (`ElectionResult.unclean`): the ISR was forced to [leader].
    pub unclean: bool,
}

/// One KRaft partition change (`PartitionChangeBuilder.build`, election part): returns the new
/// registration.
pub fn kraft(current: &KraftPartition, c: &KraftChange<'_>) -> KraftPartition {
    kraft_outcome(current, c).partition
}

/// `kraft`, also saying whether the election was unclean.
pub fn kraft_outcome(current: &KraftPartition, c: &KraftChange<'_>) -> KraftOutcome {
    let mut target_isr = c.target_isr;
    let mut elr = current.elr;
    let mut last_known_elr = current.last_known_elr;
    // maybePopulateTargetElr: below min ISR, former ISR members (minus the target ISR) become ELR.
    if c.elr_enabled {
        if target_isr.len() >= c.min_isr {
            elr = BrokerSet::EMPTY;
            last_known_elr = BrokerSet::EMPTY;
        } else {
            let candidates = elr.union(current.isr);
            elr = candidates.minus(target_isr);
            last_known_elr = candidates
                .union(last_known_elr)
                .minus(target_isr)
                .minus(elr);
        }
    }
    let valid = |b: BrokerId| {
        c.acceptable.contains(b)
            && (target_isr.contains(b)
                || (c.elr_enabled && target_isr.is_empty() && elr.contains(b)))
    };
    let can_elect_last_known = c.elr_enabled
        && target_isr.is_empty()
        && elr.is_empty()
        && current.last_known_elr.len() == 1
        && current
            .last_known_elr
            .iter()
            .all(|b| c.acceptable.contains(b));
    let last_known = current.last_known_elr.iter().next();
    let (leader, unclean) = match c.election {
        KraftElection::Preferred => {
            let p = c.assignment.first().copied();
            if let Some(p) = p.filter(|&p| valid(p)) {
                (Some(p), false)
            } else if let Some(l) = current.leader.filter(|&l| valid(l)) {
                (Some(l), false)
            } else if let Some(l) = first_in(c.assignment.get(1..).unwrap_or(&[]), valid) {
                (Some(l), false)
            } else if can_elect_last_known {
                (last_known, true)
            } else {
                (None, false)
            }
        }
        KraftElection::Online | KraftElection::Unclean => {
            if let Some(l) = current.leader.filter(|&l| valid(l)) {
                (Some(l), false)
            } else if let Some(l) = first_in(c.assignment, valid) {
                (Some(l), false)
            } else if can_elect_last_known {
                (last_known, true)
            } else if c.election == KraftElection::Unclean {
                match first_in(c.assignment, |b| c.acceptable.contains(b)) {
                    Some(l) => (Some(l), true),
                    None => (None, false),
                }
            } else {
                (None, false)
            }
        }
    };
    let mut recovery = current.recovery;
    if leader != current.leader {
        if let Some(l) = leader {
            if elr.contains(l) {
                // Elected from the ELR: it becomes the whole ISR and leaves the ELR.
                target_isr = BrokerSet::EMPTY.with(l);
                elr = elr.without(l);
            }
            if unclean {
                target_isr = BrokerSet::EMPTY.with(l);
                recovery = LeaderRecoveryState::Recovering;
            }
        }
    }
    if unclean || !c.elr_enabled {
        // maybeUpdateRecordElr: an unclean election or ELR off clears both ELR fields.
        elr = BrokerSet::EMPTY;
        last_known_elr = BrokerSet::EMPTY;
    }
    if !unclean && !c.elr_enabled && target_isr.is_empty() {
        // build(): "if (record.isr() == null && (!targetIsr.isEmpty() ||
        // eligibleLeaderReplicasEnabled) && ...) record.setIsr(targetIsr)": without ELR an empty
        // target ISR is never written, so the ISR before the change stays.
        target_isr = current.isr;
    }
    KraftOutcome {
        partition: KraftPartition {
            leader,
            isr: target_isr,
            elr,
            last_known_elr,
            recovery,
        },
        unclean,
    }
}
