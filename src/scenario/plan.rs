//! A scenario validated into a [`Plan`]: the profile resolved and overridden, every limit and
//! cross-field rule checked (errors name the field and what is allowed), the cluster laid out.

use crate::broker::{BrokerId, BrokerSet, MAX_BROKER_ID};
use crate::profile::{self, ParamValue, Profile, PROFILE_NAMES};

use super::{
    Fault, LeaderRebalance, RestartSpec, DEFAULT_ROLLING_RESTART_AFTER_MS, MAX_RESTART_AFTER_MS,
};
use super::{
    Layout, Override, Scenario, ScenarioError, TopicSpec, MAX_BROKERS, MAX_PARTITIONS, MAX_TOPICS,
    MAX_TOPIC_NAME,
};

/// The victim's return, validated: the operator's delay in µs and how leadership comes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RestartPlan {
    pub after_us: i64,
    pub leader_rebalance: LeaderRebalance,
}

/// A validated scenario, ready to simulate: the profile resolved and overridden, the cluster laid
/// out (assignment flat, `replicas[p]` = `assignment[offsets[p]..offsets[p + 1]]`).
#[derive(Clone, Debug)]
pub struct Plan {
    pub profile: Profile,
    /// How the victim goes down: `Crash` or `ControlledShutdown` (a rolling restart's stops too).
    pub fault: Fault,
    /// The victim comes back (always, in a rolling restart).
    pub restart: Option<RestartPlan>,
    /// A rolling restart of every broker (`fault` is how each is stopped).
    pub rolling: bool,
    pub victim: BrokerId,
    pub controller: BrokerId,
    pub unclean: bool,
    pub brokers: Vec<BrokerId>,
    pub topics: Vec<(String, u32)>,
    pub assignment: Vec<BrokerId>,
    pub offsets: Vec<u32>,
    /// The initial ISRs (moved into the simulation's store when it starts).
    pub isr: Vec<BrokerSet>,
}

impl Plan {
    pub fn partitions(&self) -> usize {
        self.offsets.len() - 1
    }
    pub fn replicas(&self, p: usize) -> &[BrokerId] {
        &self.assignment[self.offsets[p] as usize..self.offsets[p + 1] as usize]
    }
    /// (topic name, partition number within the topic) of a global partition index.
    pub fn topic_partition(&self, p: usize) -> (&str, u32) {
        let mut first = 0usize;
        for (name, n) in &self.topics {
            if p < first + *n as usize {
                return (name, (p - first) as u32);
            }
            first += *n as usize;
        }
        ("?", 0)
    }
}

fn broker_id(field: &str, v: u32) -> Result<BrokerId, ScenarioError> {
    if v > MAX_BROKER_ID as u32 {
        return Err(ScenarioError::new(
            field,
            format!("broker id {v} is out of range; allowed: 0 to {MAX_BROKER_ID}"),
        ));
    }
    Ok(v as BrokerId)
}

impl Scenario {
    /// Checks everything and lays the cluster out.
    pub fn plan(&self) -> Result<Plan, ScenarioError> {
        let mut profile = profile::builtin(&self.profile).ok_or_else(|| {
            ScenarioError::new(
                "profile",
                format!(
                    "unknown profile `{}`; allowed: {}",
                    self.profile,
                    PROFILE_NAMES.join(", ")
                ),
            )
        })?;
        for (name, value) in &self.parameters {
            let field = format!("parameters.{name}");
            let v = match value {
                Override::Number(n) => ParamValue::Number(*n),
                Override::Text(t) => {
                    profile::choice_value(name, t).map_err(|m| ScenarioError::new(&field, m))?
                }
            };
            profile
                .params
                .set(name, &v)
                .map_err(|m| ScenarioError::new(&field, m))?;
        }
        let c = &self.cluster;
        let brokers: Vec<BrokerId> = match &c.broker_ids {
            Some(ids) => {
                if ids.is_empty() || ids.len() > MAX_BROKERS {
                    return Err(ScenarioError::new(
                        "cluster.broker_ids",
                        format!("{} brokers; allowed: 1 to {MAX_BROKERS}", ids.len()),
                    ));
                }
                let mut out = Vec::with_capacity(ids.len());
                for (i, &id) in ids.iter().enumerate() {
                    let b = broker_id(&format!("cluster.broker_ids[{i}]"), id)?;
                    if out.contains(&b) {
                        return Err(ScenarioError::new(
                            format!("cluster.broker_ids[{i}]"),
                            format!("broker {b} is listed twice"),
                        ));
                    }
                    out.push(b);
                }
                out
            }
            None => {
                if c.brokers == 0 || c.brokers as usize > MAX_BROKERS {
                    return Err(ScenarioError::new(
                        "cluster.brokers",
                        format!("{} brokers; allowed: 1 to {MAX_BROKERS}", c.brokers),
                    ));
                }
                (1..=c.brokers as BrokerId).collect()
            }
        };
        let all = BrokerSet::of(&brokers);
        let victim = match self.victim {
            Some(v) => broker_id("victim", v)?,
            None => brokers[0],
        };
        if !all.contains(victim) {
            return Err(ScenarioError::new(
                "victim",
                format!("broker {victim} is not in the cluster; brokers: {brokers:?}"),
            ));
        }
        let controller = if self.victim_is_controller {
            victim
        } else {
            match c.controller {
                Some(v) => broker_id("cluster.controller", v)?,
                None if all.contains(2) && brokers.len() > 1 => 2,
                None => brokers[0],
            }
        };
        if !all.contains(controller) {
            return Err(ScenarioError::new(
                "cluster.controller",
                format!("broker {controller} is not in the cluster; brokers: {brokers:?}"),
            ));
        }
        if brokers.len() == 1
            && (controller == victim)
            && profile.mode == profile::Mode::Zookeeper
            && self.victim_is_controller
        {
            return Err(ScenarioError::new(
                "victim_is_controller",
                "a one-broker cluster has no broker left to become controller",
            ));
        }
        if c.topics.is_empty() || c.topics.len() > MAX_TOPICS {
            return Err(ScenarioError::new(
                "cluster.topics",
                format!("{} topics; allowed: 1 to {MAX_TOPICS}", c.topics.len()),
            ));
        }
        let total: u64 = c
            .topics
            .iter()
            .map(|t| {
                t.partitions
                    .map(u64::from)
                    .or(t.assignment.as_ref().map(|a| a.len() as u64))
                    .unwrap_or(0)
            })
            .sum();
        if total > MAX_PARTITIONS {
            return Err(ScenarioError::new(
                "cluster.topics",
                format!("{total} partitions in all; allowed: 1 to {MAX_PARTITIONS} (about 130 bytes of memory each)"),
            ));
        }
        let (fault, restart) = self.restart_plan(brokers.len())?;
        if restart.is_some()
            && profile.mode == profile::Mode::Kraft
            && profile.params.eligible_leader_replicas != 0
        {
            return Err(ScenarioError::new(
                "parameters.eligible_leader_replicas",
                "1 with a restart: the broker's return with Eligible Leader Replicas (KIP-966: a broker back from an unclean shutdown leaves the ELR) is not modelled; allowed with a restart: 0",
            ));
        }
        let mut plan = Plan {
            profile,
            fault,
            restart,
            rolling: self.event == Fault::RollingRestart,
            victim,
            controller,
            unclean: self.unclean,
            brokers: brokers.clone(),
            topics: Vec::with_capacity(c.topics.len()),
            assignment: Vec::new(),
            offsets: vec![0],
            isr: Vec::with_capacity(total as usize),
        };
        for (ti, t) in c.topics.iter().enumerate() {
            lay_out_topic(
                &mut plan,
                &format!("cluster.topics[{ti}]"),
                t,
                &brokers,
                victim,
            )?;
        }
        Ok(plan)
    }

    /// The victim's stop and its return: a rolling restart always returns (after the default
    /// delay if no `restart` is given), a single fault only with a `restart` object.
    fn restart_plan(&self, brokers: usize) -> Result<(Fault, Option<RestartPlan>), ScenarioError> {
        let rolling = self.event == Fault::RollingRestart;
        let RestartSpec {
            after_ms,
            leader_rebalance,
            rolling_stop: stop,
        } = match &self.restart {
            Some(r) => r.clone(),
            None if rolling => RestartSpec::after(DEFAULT_ROLLING_RESTART_AFTER_MS),
            None => return Ok((self.event, None)),
        };
        if !after_ms.is_finite() || !(0.0..=MAX_RESTART_AFTER_MS).contains(&after_ms) {
            return Err(ScenarioError::new(
                "restart.after_ms",
                format!("{after_ms} ms; allowed: 0 to {MAX_RESTART_AFTER_MS} (a week)"),
            ));
        }
        if stop == Fault::RollingRestart {
            return Err(ScenarioError::new(
                "restart.rolling_stop",
                "rolling-restart; allowed: crash, controlled-shutdown (how each broker is stopped)",
            ));
        }
        if rolling && brokers < 2 {
            return Err(ScenarioError::new(
                "event",
                "a rolling restart of a one-broker cluster stops the whole cluster; allowed: 2 or more brokers",
            ));
        }
        let plan = RestartPlan {
            after_us: (after_ms * 1000.0).round() as i64,
            leader_rebalance,
        };
        Ok((if rolling { stop } else { self.event }, Some(plan)))
    }
}

fn lay_out_topic(
    plan: &mut Plan,
    field: &str,
    t: &TopicSpec,
    brokers: &[BrokerId],
    victim: BrokerId,
) -> Result<(), ScenarioError> {
    let all = BrokerSet::of(brokers);
    let n = brokers.len();
    check_topic_name(&format!("{field}.name"), &t.name)?;
    let count = match (&t.assignment, t.partitions) {
        (Some(a), Some(p)) if a.len() != p as usize => {
            return Err(ScenarioError::new(
                format!("{field}.partitions"),
                format!("{p} partitions but {} assignments", a.len()),
            ))
        }
        (Some(a), _) => a.len() as u32,
        (None, Some(p)) => p,
        (None, None) => {
            return Err(ScenarioError::new(
                format!("{field}.partitions"),
                "missing; give `partitions` or `assignment`",
            ))
        }
    };
    if count == 0 {
        return Err(ScenarioError::new(
            format!("{field}.partitions"),
            format!("0 partitions; allowed: 1 to {MAX_PARTITIONS}"),
        ));
    }
    if let Some(a) = &t.assignment {
        for (p, replicas) in a.iter().enumerate() {
            let f = format!("{field}.assignment[{p}]");
            if replicas.is_empty() || replicas.len() > n {
                return Err(ScenarioError::new(
                    &f,
                    format!(
                        "{} replicas; allowed: 1 to {n} (the broker count)",
                        replicas.len()
                    ),
                ));
            }
            let mut seen = BrokerSet::EMPTY;
            for &r in replicas {
                let b = broker_id(&f, r)?;
                if !all.contains(b) {
                    return Err(ScenarioError::new(
                        &f,
                        format!("broker {b} is not in the cluster; brokers: {brokers:?}"),
                    ));
                }
                if seen.contains(b) {
                    return Err(ScenarioError::new(&f, format!("broker {b} appears twice")));
                }
                seen = seen.with(b);
                plan.assignment.push(b);
            }
            plan.offsets.push(plan.assignment.len() as u32);
        }
    } else {
        let rf = t.replication_factor as usize;
        if rf == 0 || rf > n {
            let why = if rf == 0 {
                "0 is below 1".to_string()
            } else {
                format!("{rf} is above the broker count {n}")
            };
            return Err(ScenarioError::new(
                format!("{field}.replication_factor"),
                format!("{why}; allowed: 1 to {n}"),
            ));
        }
        match t.layout {
            Layout::LedBy => {
                let leader = match t.led_by {
                    Some(l) => broker_id(&format!("{field}.led_by"), l)?,
                    None => victim,
                };
                if !all.contains(leader) {
                    return Err(ScenarioError::new(
                        format!("{field}.led_by"),
                        format!("broker {leader} is not in the cluster; brokers: {brokers:?}"),
                    ));
                }
                let mut others: Vec<BrokerId> =
                    brokers.iter().copied().filter(|&b| b != leader).collect();
                others.sort_unstable_by(|a, b| b.cmp(a));
                for p in 0..count as usize {
                    plan.assignment.push(leader);
                    for k in 0..rf - 1 {
                        plan.assignment.push(others[(p + k) % others.len()]);
                    }
                    plan.offsets.push(plan.assignment.len() as u32);
                }
            }
            Layout::Kafka => {
                // AdminUtils.assignReplicasToBrokers (rack-unaware), with fixed start and shift.
                let start = t.start_index as usize % n;
                let mut shift = t.replica_shift as usize % n.max(1);
                for p in 0..count as usize {
                    if p > 0 && p % n == 0 {
                        shift += 1;
                    }
                    let first = (p + start) % n;
                    plan.assignment.push(brokers[first]);
                    for j in 0..rf - 1 {
                        let idx = (first + 1 + (shift + j) % (n - 1)) % n;
                        plan.assignment.push(brokers[idx]);
                    }
                    plan.offsets.push(plan.assignment.len() as u32);
                }
            }
        }
    }
    let first_partition = plan.offsets.len() - 1 - count as usize;
    let sole = match (t.sole_isr_fraction, &t.isr) {
        (Some(f), _) if !f.is_finite() || !(0.0..=1.0).contains(&f) => {
            return Err(ScenarioError::new(
                format!("{field}.sole_isr_fraction"),
                format!("{f}; allowed: 0 to 1 (the fraction of partitions whose ISR is only their leader)"),
            ))
        }
        (Some(_), Some(_)) => {
            return Err(ScenarioError::new(
                format!("{field}.sole_isr_fraction"),
                "given with `isr`; give one of them (explicit ISRs already say which are alone)",
            ))
        }
        (f, _) => f.unwrap_or(0.0),
    };
    match &t.isr {
        None if sole > 0.0 => {
            // Spread evenly: partition i is alone when ⌊(i+1)·f⌋ steps past ⌊i·f⌋.
            for i in 0..count as usize {
                let replicas = plan.replicas(first_partition + i);
                let alone = ((i + 1) as f64 * sole).floor() > (i as f64 * sole).floor();
                plan.isr.push(if alone {
                    BrokerSet::EMPTY.with(replicas[0])
                } else {
                    BrokerSet::of(replicas)
                });
            }
        }
        None => {
            for p in first_partition..first_partition + count as usize {
                let set = BrokerSet::of(plan.replicas(p));
                plan.isr.push(set);
            }
        }
        Some(isrs) => {
            if isrs.len() != count as usize {
                return Err(ScenarioError::new(
                    format!("{field}.isr"),
                    format!(
                        "{} ISRs for {count} partitions; give one per partition",
                        isrs.len()
                    ),
                ));
            }
            for (i, isr) in isrs.iter().enumerate() {
                let f = format!("{field}.isr[{i}]");
                let replicas = BrokerSet::of(plan.replicas(first_partition + i));
                let mut set = BrokerSet::EMPTY;
                for &r in isr {
                    let b = broker_id(&f, r)?;
                    if !replicas.contains(b) {
                        return Err(ScenarioError::new(&f, format!("broker {b} is not a replica of this partition; an ISR is a subset of the assignment")));
                    }
                    if set.contains(b) {
                        return Err(ScenarioError::new(&f, format!("broker {b} appears twice")));
                    }
                    set = set.with(b);
                }
                if set.is_empty() {
                    return Err(ScenarioError::new(&f, "an ISR has at least one member"));
                }
                plan.isr.push(set);
            }
        }
    }
    plan.topics.push((t.name.clone(), count));
    Ok(())
}

/// Kafka's topic-name rule (`Topic.validate`): 1 to 249 of ASCII letters, digits, `.`, `_` and
/// `-`, and not `.` or `..` (they would name directories of the log).
fn check_topic_name(field: &str, name: &str) -> Result<(), ScenarioError> {
    const ALLOWED: &str = "1 to 249 ASCII letters, digits, `.`, `_` or `-`, other than `.` and `..` (Kafka's topic-name rule)";
    let problem = if name.is_empty() {
        "empty".to_string()
    } else if name.chars().count() > MAX_TOPIC_NAME {
        format!("{} characters", name.chars().count())
    } else if name == "." || name == ".." {
        format!("`{name}` is not a topic name")
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        format!("{c:?} is not allowed in a topic name")
    } else {
        return Ok(());
    };
    Err(ScenarioError::new(
        field,
        format!("{problem}; allowed: {ALLOWED}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_follow_kafkas_rule() {
        let long = "a".repeat(MAX_TOPIC_NAME);
        for ok in [
            "peter-test02",
            "a",
            "A.b_c-9",
            "...",
            "_",
            "-",
            long.as_str(),
        ] {
            assert_eq!(check_topic_name("f", ok), Ok(()), "{ok:?}");
        }
        let too_long = "a".repeat(MAX_TOPIC_NAME + 1);
        for (bad, why) in [
            ("", "empty"),
            (".", "`.` is not a topic name"),
            ("..", "`..` is not a topic name"),
            ("a,b", "',' is not allowed"),
            ("a b", "' ' is not allowed"),
            ("a\"b", "'\"' is not allowed"),
            ("=cmd", "'=' is not allowed"),
            ("tab\t", "'\\t' is not allowed"),
            ("한글", "'한' is not allowed"),
            (too_long.as_str(), "250 characters"),
        ] {
            let e = check_topic_name("cluster.topics[0].name", bad).unwrap_err();
            assert_eq!(e.field, "cluster.topics[0].name");
            assert!(e.message.contains(why), "{bad:?}: {e}");
            assert!(e.message.contains("allowed: 1 to 249 ASCII letters"), "{e}");
        }
    }
}
