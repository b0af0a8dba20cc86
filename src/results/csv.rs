//! The per-partition results as CSV (`run --csv`, the page's export).

use super::{ms, Rows, RunTimes, NEVER, NO_LEADER, PARTS, TIME_COLUMNS};

/// The per-partition results as CSV: one line per affected partition in election order, its
/// times (ms from the fault; empty = never) and its downtime with its parts (ms).
pub fn csv(plan: &crate::scenario::Plan, rows: &Rows, run: &RunTimes) -> String {
    let mut out = String::from("row,topic,partition,new_leader,unclean");
    for c in TIME_COLUMNS.iter().chain(&["downtime"]).chain(PARTS.iter()) {
        out.push_str(&format!(",{c}_ms"));
    }
    out.push('\n');
    let t = |us: i64| {
        if us == NEVER {
            String::new()
        } else {
            ms(us).to_string()
        }
    };
    for r in 0..rows.len() {
        let (topic, partition) = plan.topic_partition(rows.partition[r] as usize);
        let leader = rows.new_leader[r];
        let leader = if leader == NO_LEADER {
            String::new()
        } else {
            leader.to_string()
        };
        // Topic names may hold commas or quotes in a scenario file: quote them as RFC 4180 does.
        let topic = if topic.contains([',', '"', '\n']) {
            format!("\"{}\"", topic.replace('"', "\"\""))
        } else {
            topic.to_string()
        };
        out.push_str(&format!(
            "{r},{topic},{partition},{leader},{}",
            rows.unclean[r]
        ));
        for time in rows.times(r) {
            out.push_str(&format!(",{}", t(time)));
        }
        out.push_str(&format!(
            ",{}",
            rows.downtime(r)
                .map(|d| ms(d).to_string())
                .unwrap_or_default()
        ));
        match rows.breakdown(r, run) {
            Some(b) => {
                b.0.iter()
                    .for_each(|&v| out.push_str(&format!(",{}", ms(v))))
            }
            None => out.push_str(&",".repeat(PARTS.len())),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_line_per_row_whose_parts_add_up() {
        let mut sim = crate::Simulation::new(&crate::Scenario::with_partitions(50)).unwrap();
        let summary = sim.run();
        let csv = sim.csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines.len(),
            51,
            "a header and one line per affected partition"
        );
        let header: Vec<&str> = lines[0].split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let last: Vec<&str> = lines[50].split(',').collect();
        assert_eq!(last.len(), header.len());
        assert_eq!(
            (
                last[col("topic")],
                last[col("partition")],
                last[col("new_leader")]
            ),
            ("peter-test02", "49", "2")
        );
        let downtime: f64 = last[col("downtime_ms")].parse().unwrap();
        assert_eq!(Some(downtime), summary.last_partition_downtime_ms);
        let parts: f64 = PARTS
            .iter()
            .map(|p| last[col(&format!("{p}_ms"))].parse::<f64>().unwrap())
            .sum();
        assert!((parts - downtime).abs() < 1e-6, "{parts} vs {downtime}");
    }

    #[test]
    fn csv_leaves_never_empty_and_quotes_odd_topic_names() {
        let mut s = crate::Scenario::with_partitions(1);
        s.cluster.topics[0].name = "a,\"b".into();
        s.cluster.topics[0].isr = Some(vec![vec![1]]);
        let mut sim = crate::Simulation::new(&s).unwrap();
        sim.run();
        let csv = sim.csv();
        let line = csv.lines().nth(1).unwrap();
        assert!(line.starts_with("0,\"a,\"\"b\",0,,false,0,"), "{line}");
        assert!(line.ends_with(",,,,,,,"), "no downtime, no parts: {line}");
    }
}
