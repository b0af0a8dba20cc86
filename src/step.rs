//! What the engine reports for each step of a procedure: one record per controller action, with
//! the chapter's step number where the chapter has one, for narration in the page and the CLI.

use serde::Serialize;

use crate::broker::{BrokerId, BrokerSet};

/// Every kind of step. The page's locale files have one sentence per kind (`event.<kind>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// kill -9: the broker is gone, the partitions it led are unreachable.
    BrokerCrashed,
    /// SIGTERM: the broker starts a controlled shutdown.
    ShutdownSignal,
    /// ZooKeeper expires the broker's session and deletes /brokers/ids/<id>.
    SessionExpired,
    /// A new controller won the election (ZooKeeper /controller, or the KRaft quorum).
    ControllerElected,
    /// The new controller loaded every partition's state.
    MetadataLoaded,
    /// The controller's BrokerChange watch fired: it starts on the dead broker's partitions.
    BrokerChange,
    /// The controller received ControlledShutdownRequest.
    ShutdownRequested,
    /// The controller read the partitions' current leader and ISR from ZooKeeper.
    StateRead,
    /// The controller chose new leaders.
    LeadersElected,
    /// The new leader and ISR are written to ZooKeeper.
    StateWritten,
    /// LeaderAndIsr and UpdateMetadata requests are sent.
    LeaderAndIsrSent,
    /// The new leaders applied the change and serve.
    LeadersServing,
    /// Producers refreshed their metadata and reached the new leaders.
    ClientsReconnected,
    /// Elections failed: no eligible replica, the partitions stay offline.
    PartitionsOffline,
    /// The broker left the ISRs of partitions it followed (written and published).
    IsrShrunk,
    /// StopReplica sent to the leaving broker for the partitions it follows.
    StopReplicaSent,
    /// The controller answered the ControlledShutdown request.
    ShutdownReplied,
    /// The broker flushed its logs, wrote the clean-shutdown marker and exited.
    BrokerExited,
    /// KRaft: the controller fenced the broker after missed heartbeats.
    BrokerFenced,
    /// KRaft: a heartbeat with wantShutDown reached the controller.
    ShutdownHeartbeat,
    /// KRaft: PartitionChangeRecords appended to the metadata log.
    RecordsAppended,
    /// KRaft: the controller quorum committed a batch.
    RecordsCommitted,
    /// KRaft: the controller released the broker (shouldShutDown in a heartbeat response).
    ShutdownReleased,
    /// The operator started the broker again: its logs are recovered or loaded.
    BrokerRestarted,
    /// After a crash: every log recovered from its recovery point.
    LogsRecovered,
    /// After a clean exit: every log loaded, nothing to recover.
    LogsLoaded,
    /// ZooKeeper: /brokers/ids/<id> created again. KRaft: registered, fenced.
    BrokerRegistered,
    /// ZooKeeper: the controller's onBrokerStartup (UpdateMetadata, LeaderAndIsr to the broker,
    /// partitions that waited for it elected).
    BrokerStartup,
    /// KRaft: the broker replayed the metadata log.
    MetadataCaughtUp,
    /// KRaft: a heartbeat unfenced the broker; partitions that waited for it elected.
    BrokerUnfenced,
    /// Partitions that waited for the broker are served by it again.
    ReturnLeadersServing,
    /// The broker serves again; its followers fetch what they missed.
    BrokerServing,
    /// The broker's followers of one leader fetched everything they missed.
    ReplicasCaughtUp,
    /// Those followers are back in the ISR.
    IsrExpanded,
    /// The controller's periodic leader-imbalance check (or the operator's preferred election).
    ImbalanceChecked,
    /// Preferred replicas lead again.
    PreferredLeadersServing,
}

impl StepKind {
    /// The kind's name as serialized (`broker_crashed`, …): the page's string key.
    pub fn name(self) -> &'static str {
        NAMES[self as usize]
    }
}

const NAMES: &[&str] = &[
    "broker_crashed",
    "shutdown_signal",
    "session_expired",
    "controller_elected",
    "metadata_loaded",
    "broker_change",
    "shutdown_requested",
    "state_read",
    "leaders_elected",
    "state_written",
    "leader_and_isr_sent",
    "leaders_serving",
    "clients_reconnected",
    "partitions_offline",
    "isr_shrunk",
    "stop_replica_sent",
    "shutdown_replied",
    "broker_exited",
    "broker_fenced",
    "shutdown_heartbeat",
    "records_appended",
    "records_committed",
    "shutdown_released",
    "broker_restarted",
    "logs_recovered",
    "logs_loaded",
    "broker_registered",
    "broker_startup",
    "metadata_caught_up",
    "broker_unfenced",
    "return_leaders_serving",
    "broker_serving",
    "replicas_caught_up",
    "isr_expanded",
    "imbalance_checked",
    "preferred_leaders_serving",
];

/// One step of the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// 0, 1, 2, … in the order steps happen.
    pub seq: u64,
    pub time_us: i64,
    pub kind: StepKind,
    /// The chapter's step number (crash 1–5, controlled shutdown 1–6), where one applies.
    pub chapter_step: Option<u8>,
    /// The broker the step is about (the victim, a new controller, …).
    pub broker: Option<BrokerId>,
    /// Election-order rows [first_row, first_row + count) of the affected partitions, or for
    /// ISR shrinks and KRaft records the number of partitions involved.
    pub first_row: u32,
    pub count: u32,
    /// How many brokers received a request (LeaderAndIsr: one per broker).
    pub requests: u32,
    /// When the step concerns one affected partition: its index, new leader and new ISR.
    pub partition: Option<u32>,
    pub leader: Option<BrokerId>,
    pub isr: Option<BrokerSet>,
    pub epoch: Option<u32>,
}

impl Step {
    pub(crate) fn new(kind: StepKind, time_us: i64) -> Step {
        Step {
            seq: 0,
            time_us,
            kind,
            chapter_step: None,
            broker: None,
            first_row: 0,
            count: 0,
            requests: 0,
            partition: None,
            leader: None,
            isr: None,
            epoch: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde() {
        for (i, n) in NAMES.iter().enumerate() {
            let k: StepKind = kind_at(i);
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::String((*n).into())
            );
            assert_eq!(k.name(), *n);
        }
    }

    fn kind_at(i: usize) -> StepKind {
        use StepKind::*;
        [
            BrokerCrashed,
            ShutdownSignal,
            SessionExpired,
            ControllerElected,
            MetadataLoaded,
            BrokerChange,
            ShutdownRequested,
            StateRead,
            LeadersElected,
            StateWritten,
            LeaderAndIsrSent,
            LeadersServing,
            ClientsReconnected,
            PartitionsOffline,
            IsrShrunk,
            StopReplicaSent,
            ShutdownReplied,
            BrokerExited,
            BrokerFenced,
            ShutdownHeartbeat,
            RecordsAppended,
            RecordsCommitted,
            ShutdownReleased,
            BrokerRestarted,
            LogsRecovered,
            LogsLoaded,
            BrokerRegistered,
            BrokerStartup,
            MetadataCaughtUp,
            BrokerUnfenced,
            ReturnLeadersServing,
            BrokerServing,
            ReplicasCaughtUp,
            IsrExpanded,
            ImbalanceChecked,
            PreferredLeadersServing,
        ][i]
    }
}
