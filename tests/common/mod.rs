//! Helpers shared by the golden test (native) and the native-vs-wasm parity test (wasm32): the
//! per-row digest both sides must compute identically, and a JSON comparison that ignores how a
//! number happens to be spelt (`10000` from JavaScript, `10000.0` from serde_json).

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]

use serde_json::Value;

/// The columns the digest covers, in order: the same as `kafka_election::results::ROW_COLUMNS`
/// (checked by the wasm test), so the page's `rowTimes()` view can be hashed the same way.
pub const DIGEST_COLUMNS: [&str; 10] = [
    "partition",
    "offline",
    "election_start",
    "elected",
    "write_issued",
    "persisted",
    "publish_sent",
    "serving",
    "client",
    "downtime",
];

/// FNV-1a (64 bit) over the little-endian bytes of each value, written as `fnv1a64:<16 hex>`.
/// Values are whole microseconds (or the partition index), -1 for "never": integers, so the
/// native `Rows` (i64 µs) and wasm's `rowTimes()` (f64 ms) hash to the same thing.
pub fn fnv1a64(values: impl IntoIterator<Item = i64>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for v in values {
        for b in v.to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("fnv1a64:{h:016x}")
}

/// Every row's digest values from the engine's own arrays, row by row, in `DIGEST_COLUMNS` order.
pub fn row_values(rows: &kafka_election::results::Rows) -> Vec<i64> {
    let mut out = Vec::with_capacity(rows.len() * DIGEST_COLUMNS.len());
    for r in 0..rows.len() {
        out.extend_from_slice(&[
            i64::from(rows.partition[r]),
            rows.offline[r],
            rows.election_start[r],
            rows.elected[r],
            rows.write_issued[r],
            rows.persisted[r],
            rows.publish_sent[r],
            rows.serving[r],
            rows.client[r],
            rows.downtime(r).unwrap_or(-1),
        ]);
    }
    out
}

/// The same values from a `rowTimes()` view (ms as f64, -1 = never).
pub fn row_values_from_ms(times: &[f64]) -> Vec<i64> {
    times
        .chunks(DIGEST_COLUMNS.len())
        .flat_map(|row| {
            row.iter().enumerate().map(|(c, &v)| {
                if c == 0 || v == -1.0 {
                    v as i64
                } else {
                    (v * 1000.0).round() as i64
                }
            })
        })
        .collect()
}

/// The first place where two JSON values differ, numbers compared as f64; `None` when equal.
pub fn first_difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => {
            (a.as_f64() != b.as_f64()).then(|| format!("{path}: expected {a}, got {b}"))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{path}: expected {} items, got {}",
                    a.len(),
                    b.len()
                ));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]")))
        }
        (Value::Object(a), Value::Object(b)) => {
            if let Some(k) = a.keys().find(|k| !b.contains_key(*k)) {
                return Some(format!("{path}.{k}: missing"));
            }
            if let Some(k) = b.keys().find(|k| !a.contains_key(*k)) {
                return Some(format!("{path}.{k}: not expected"));
            }
            a.iter()
                .find_map(|(k, x)| first_difference(x, &b[k], &format!("{path}.{k}")))
        }
        (a, b) => (a != b).then(|| format!("{path}: expected {a}, got {b}")),
    }
}
