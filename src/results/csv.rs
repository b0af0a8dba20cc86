//! The per-partition results as CSV (`run --csv`, the page's export), per RFC 4180.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{ms, Rows, RunTimes, NEVER, NO_LEADER, PARTS, PARTS_WITHOUT_RESTART, TIME_COLUMNS};

/// The per-partition results as CSV: one line per affected partition in election order, its
/// times (ms from the fault; empty = never) and its downtime with its parts (ms).
pub fn csv(plan: &crate::scenario::Plan, rows: &Rows, run: &RunTimes) -> String {
    let mut out = Vec::with_capacity(64 * (rows.len() + 1));
    write_csv(plan, rows, run, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("CSV from UTF-8 names is UTF-8")
}

/// As [`csv`], written to `out` line by line (the CLI streams a million-row table).
pub fn write_csv(
    plan: &crate::scenario::Plan,
    rows: &Rows,
    run: &RunTimes,
    out: &mut dyn Write,
) -> io::Result<()> {
    // A run with a restart adds its `returned` time and `restart` part at the end of the line;
    // a run without one keeps the columns it always had.
    let with_return = rows.has_return();
    let parts = if with_return {
        PARTS.len()
    } else {
        PARTS_WITHOUT_RESTART
    };
    let mut header = String::from("row,topic,partition,new_leader,unclean");
    for c in TIME_COLUMNS
        .iter()
        .chain(&["downtime"])
        .chain(&PARTS[..parts])
    {
        header.push_str(&format!(",{c}_ms"));
    }
    if with_return {
        header.push_str(",returned_ms");
    }
    header.push('\n');
    out.write_all(header.as_bytes())?;
    // Each topic's first partition and its name as a cell, once: rows come in election order,
    // not partition order, so a row finds its topic by binary search.
    let mut firsts = Vec::with_capacity(plan.topics.len());
    let mut names = Vec::with_capacity(plan.topics.len());
    let mut first = 0u64;
    for (name, n) in &plan.topics {
        firsts.push(first);
        names.push(text_cell(name));
        first += u64::from(*n);
    }
    let mut line = String::with_capacity(256);
    for r in 0..rows.len() {
        use std::fmt::Write as _;
        line.clear();
        let p = u64::from(rows.partition[r]);
        let t = firsts.partition_point(|&f| f <= p).saturating_sub(1);
        let (topic, partition) = match names.get(t) {
            Some(name) => (name.as_ref(), p - firsts[t]),
            None => ("", 0),
        };
        let _ = write!(line, "{r},{topic},{partition},");
        let leader = rows.new_leader[r];
        if leader != NO_LEADER {
            let _ = write!(line, "{leader}");
        }
        let _ = write!(line, ",{}", rows.unclean[r]);
        for time in rows.times(r) {
            line.push(',');
            if time != NEVER {
                let _ = write!(line, "{}", ms(time));
            }
        }
        line.push(',');
        if let Some(d) = rows.downtime(r) {
            let _ = write!(line, "{}", ms(d));
        }
        match rows.breakdown(r, run) {
            Some(b) => b.0[..parts].iter().for_each(|&v| {
                let _ = write!(line, ",{}", ms(v));
            }),
            None => (0..parts).for_each(|_| line.push(',')),
        }
        if with_return {
            line.push(',');
            if rows.returned[r] != NEVER {
                let _ = write!(line, "{}", ms(rows.returned[r]));
            }
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// A text cell (a topic name) as RFC 4180 wants it — quoted if it holds a comma, a quote, CR or
/// LF, quotes doubled — and defused as OWASP advises against CSV injection: a cell a spreadsheet
/// would read as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`.
/// Numbers never go through here: `-1` in a number column stays a number.
pub fn text_cell(s: &str) -> Cow<'_, str> {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = s.contains([',', '"', '\r', '\n']);
    if !formula && !quote {
        return Cow::Borrowed(s);
    }
    let mut cell = String::with_capacity(s.len() + 4);
    if quote {
        cell.push('"');
    }
    if formula {
        cell.push('\'');
    }
    for c in s.chars() {
        if c == '"' {
            cell.push('"');
        }
        cell.push(c);
    }
    if quote {
        cell.push('"');
    }
    Cow::Owned(cell)
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
        let parts: f64 = PARTS[..PARTS_WITHOUT_RESTART]
            .iter()
            .map(|p| last[col(&format!("{p}_ms"))].parse::<f64>().unwrap())
            .sum();
        assert!((parts - downtime).abs() < 1e-6, "{parts} vs {downtime}");
    }

    #[test]
    fn csv_leaves_never_empty_and_quotes_odd_topic_names() {
        // Scenarios refuse such names (Kafka's rule); a plan built directly may still hold one.
        let mut s = crate::Scenario::with_partitions(1);
        s.cluster.topics[0].isr = Some(vec![vec![1]]);
        let mut plan = s.plan().unwrap();
        plan.topics[0].0 = "a,\"b".into();
        let mut sim = crate::Simulation::from_plan(plan);
        sim.run();
        let csv = sim.csv();
        let line = csv.lines().nth(1).unwrap();
        assert!(line.starts_with("0,\"a,\"\"b\",0,,false,0,"), "{line}");
        assert!(line.ends_with(",,,,,,,"), "no downtime, no parts: {line}");
    }

    #[test]
    fn text_cells_are_quoted_and_defused() {
        let cases = [
            ("peter-test02", "peter-test02"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\rhere", "\"cr\rhere\""),
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-topic", "'-topic"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            (
                "=HYPERLINK(\"x\",\"y\")",
                "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"",
            ),
            ("a-b=c", "a-b=c"),
            ("", ""),
        ];
        for (name, cell) in cases {
            assert_eq!(text_cell(name), cell, "{name:?}");
        }
    }

    #[test]
    fn only_the_topic_column_is_defused() {
        let mut s = crate::Scenario::with_partitions(3);
        s.cluster.topics[0].name = "-leading-dash".into();
        let mut sim = crate::Simulation::new(&s).unwrap();
        sim.run();
        let csv = sim.csv();
        for (i, line) in csv.lines().skip(1).enumerate() {
            assert!(
                line.starts_with(&format!("{i},'-leading-dash,{i},")),
                "{line}"
            );
            // Every other cell is a number, a boolean or empty.
            for cell in line.split(',').filter(|c| !c.starts_with('\'')) {
                assert!(
                    cell.is_empty() || cell == "false" || cell.parse::<f64>().is_ok(),
                    "{cell:?} in {line}"
                );
            }
        }
        let mut streamed = Vec::new();
        write_csv(sim.plan(), sim.rows(), sim.run_times(), &mut streamed).unwrap();
        assert_eq!(streamed, csv.as_bytes());
    }

    #[test]
    fn rows_find_their_topic_across_topics() {
        let s = crate::Scenario::from_json(
            r#"{"cluster": {"topics": [{"name": "a", "partitions": 3}, {"name": "b", "partitions": 2}, {"name": "c", "partitions": 4}]}}"#,
        )
        .unwrap();
        let mut sim = crate::Simulation::new(&s).unwrap();
        sim.run();
        let got: Vec<String> = sim
            .csv()
            .lines()
            .skip(1)
            .map(|l| l.split(',').take(3).skip(1).collect::<Vec<_>>().join(":"))
            .collect();
        let plan = sim.plan();
        let want: Vec<String> = sim
            .rows()
            .partition
            .iter()
            .map(|&p| {
                let (t, n) = plan.topic_partition(p as usize);
                format!("{t}:{n}")
            })
            .collect();
        assert_eq!(got, want);
        assert_eq!(got.len(), 9);
    }
}
