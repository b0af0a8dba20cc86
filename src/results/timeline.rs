//! The timeline bitmap: one pixel row per group of partitions (in election order), one pixel
//! column per slice of time, coloured by the downtime part most of the group is in, with an
//! opacity that says how much of the group is down. Painted once per data or zoom change; the
//! page draws only its playhead on top each frame.

use super::{DowntimePart, Rows, RunTimes, NEVER};

/// Palette index of a partition that has no leader at all (never recovered), which is also where
/// the `Restart` part paints: a partition waiting for the failed broker's return has no leader.
pub const NO_LEADER_PART: usize = 7;
const _: () = assert!(DowntimePart::Restart as usize == NO_LEADER_PART);
/// Number of palette entries for downtime: the first seven downtime parts, then "no leader"
/// (shared by the `Restart` part).
pub const PALETTE_LEN: usize = 8;
/// Optional ninth palette entry: a partition still served by its old leader while it waits for
/// the controller to move it (controlled shutdown). Not downtime; drawn only where no partition
/// of the pixel row is down, so it never hides a switch-over.
pub const SERVED_WAITING: usize = 8;

/// How time maps to pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    pub width: usize,
    /// The time at the right edge.
    pub end_us: i64,
    /// log10(1 + t/1 ms) instead of linear.
    pub log: bool,
}

impl Axis {
    /// The x position (0..=width, fractional) of time `t`.
    pub fn x(&self, t: i64) -> f64 {
        self.mapper()(t)
    }

    /// `x` with the axis' constants computed once, for painting many segments.
    pub fn mapper(&self) -> impl Fn(i64) -> f64 {
        let end_us = self.end_us.max(1);
        let (log, width) = (self.log, self.width as f64);
        let scale = if log {
            width / (1.0 + end_us as f64 / 1000.0).ln()
        } else {
            width / end_us as f64
        };
        move |t: i64| {
            let t = t.clamp(0, end_us) as f64;
            if log {
                (t / 1000.0).ln_1p() * scale
            } else {
                t * scale
            }
        }
    }
}

/// Paints `height` pixel rows × `axis.width` columns as RGBA. `palette` holds RGBA colours
/// (0xRRGGBBAA) for the parts and "no leader", and optionally a ninth for [`SERVED_WAITING`].
pub fn paint(rows: &Rows, run: &RunTimes, axis: Axis, height: usize, palette: &[u32]) -> Vec<u8> {
    assert!(
        palette.len() >= PALETTE_LEN,
        "palette needs {PALETTE_LEN} colours"
    );
    let served = palette.get(SERVED_WAITING).copied();
    let slots = PALETTE_LEN + 1;
    let w = axis.width;
    let mut px = vec![0u8; w * height * 4];
    let n = rows.len();
    if n == 0 || w == 0 || height == 0 {
        return px;
    }
    let to_x = axis.mapper();
    // Per group: a difference array per palette entry over the columns.
    let mut diff = vec![0i32; slots * (w + 1)];
    for y in 0..height {
        let (r0, r1) = (
            y * n / height,
            ((y + 1) * n / height).max(y * n / height + 1).min(n),
        );
        if r0 >= n {
            break;
        }
        diff.iter_mut().for_each(|d| *d = 0);
        for r in r0..r1 {
            let mut add = |part: usize, s: i64, e: i64| {
                let (xs, xe) = (to_x(s).floor() as usize, (to_x(e).ceil() as usize).min(w));
                if xe > xs {
                    diff[part * (w + 1) + xs] += 1;
                    diff[part * (w + 1) + xe] -= 1;
                }
            };
            if served.is_some() && rows.offline[r] != NEVER && rows.offline[r] > run.fault_us {
                add(SERVED_WAITING, run.fault_us, rows.offline[r]);
            }
            if rows.client[r] == NEVER && rows.offline[r] != NEVER {
                add(NO_LEADER_PART, rows.offline[r], axis.end_us);
            } else {
                rows.segments(r, run, axis.end_us, |part: DowntimePart, s, e| {
                    add(part as usize, s, e)
                });
            }
        }
        let group = (r1 - r0) as i32;
        let mut count = [0i32; PALETTE_LEN + 1];
        for x in 0..w {
            let mut total = 0;
            let mut best = (0, 0usize);
            for (part, c) in count.iter_mut().enumerate() {
                *c += diff[part * (w + 1) + x];
                if part < PALETTE_LEN {
                    total += *c;
                    if *c > best.0 {
                        best = (*c, part);
                    }
                }
            }
            // Downtime wins the pixel; otherwise the pale "still served, waiting" band.
            // (Only counted when the palette has the ninth colour.)
            if total == 0 && count[SERVED_WAITING] > 0 {
                total = count[SERVED_WAITING];
                best = (total, SERVED_WAITING);
            }
            if total > 0 {
                let rgba = palette[best.1];
                let alpha = (rgba & 0xff) as i32;
                // At least a third of the colour's opacity, so a single partition stays visible.
                let a = alpha * (1 + 2 * total.min(group)) / (1 + 2 * group);
                let o = (y * w + x) * 4;
                px[o] = (rgba >> 24) as u8;
                px[o + 1] = (rgba >> 16) as u8;
                px[o + 2] = (rgba >> 8) as u8;
                px[o + 3] = a.clamp(alpha / 3, 255) as u8;
            }
        }
    }
    px
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scenario, Simulation};

    #[test]
    fn axis_maps_linear_and_log() {
        let a = Axis {
            width: 100,
            end_us: 1_000_000,
            log: false,
        };
        assert_eq!(a.x(500_000), 50.0);
        assert_eq!(a.x(2_000_000), 100.0);
        let l = Axis { log: true, ..a };
        assert!((l.x(1_000_000) - 100.0).abs() < 1e-9);
        assert!(l.x(10_000) > 30.0, "log scale spreads the early part");
    }

    #[test]
    fn crash_paints_detection_first_and_the_last_row_longest() {
        let mut s = Scenario::with_partitions(100);
        s.profile = "book".into();
        let mut sim = Simulation::new(&s).unwrap();
        sim.run();
        let palette = [
            0x1111_11ff,
            0x2222_22ff,
            0x3333_33ff,
            0x4444_44ff,
            0x5555_55ff,
            0x6666_66ff,
            0x7777_77ff,
            0x8888_88ff,
        ];
        let axis = Axis {
            width: 200,
            end_us: sim.run_times().end_us,
            log: false,
        };
        let px = paint(sim.rows(), sim.run_times(), axis, 100, &palette);
        let at = |x: usize, y: usize| px[(y * 200 + x) * 4];
        // Detection (0x11) at the left of every row; the first row is back early, the last is not.
        assert_eq!(at(0, 0), 0x11);
        assert_eq!(at(0, 99), 0x11);
        assert_eq!(at(150, 0), 0, "first partition already back");
        assert_eq!(at(150, 99), 0x33, "last partition still waiting in line");
        let lit_first = (0..200).filter(|&x| at(x, 0) != 0).count();
        let lit_last = (0..200).filter(|&x| at(x, 99) != 0).count();
        // 100 × 0.2 s after 6 s of detection: the last bar is about 26.3 / 6.3 ≈ 4 times the first.
        assert!(lit_last > 3 * lit_first, "{lit_first} vs {lit_last}");
    }

    #[test]
    fn controlled_shutdown_shows_partitions_served_while_they_wait() {
        let mut s = Scenario::with_partitions(100);
        s.event = crate::Fault::ControlledShutdown;
        let mut sim = Simulation::new(&s).unwrap();
        sim.run();
        let palette = [
            0x1111_11ff,
            0x2222_22ff,
            0x3333_33ff,
            0x4444_44ff,
            0x5555_55ff,
            0x6666_66ff,
            0x7777_77ff,
            0x8888_88ff,
            0x9999_99ff,
        ];
        let end = sim.run_times().end_us;
        let axis = Axis {
            width: 400,
            end_us: end,
            log: false,
        };
        let px = paint(sim.rows(), sim.run_times(), axis, 100, &palette);
        let at = |x: usize, y: usize| px[(y * 400 + x) * 4];
        // The last partition is still served (pale band) for most of the run, then down briefly.
        assert_eq!(at(200, 99), 0x99, "still served while waiting to move");
        let down = (0..400)
            .filter(|&x| (0x11..=0x88).contains(&at(x, 99)))
            .count();
        assert!(down >= 1, "its own election shows as downtime");
        assert!(down < 10, "and only briefly: {down} px");
        // Without the ninth colour the band is not painted.
        let px8 = paint(sim.rows(), sim.run_times(), axis, 100, &palette[..8]);
        assert_eq!(px8[(99 * 400 + 200) * 4 + 3], 0);
    }
}
