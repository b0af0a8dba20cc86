//! The `kafka-election` command line, as functions of their input: arguments and stdin in, output
//! and exit code out. [`main_to`] writes stdout to any `Write` as it goes (a million-partition
//! `run --events` streams instead of building one huge string); [`main`] collects it for tests.
//! `src/bin/kafka-election.rs` only does the I/O.

use std::io::{self, Write};

use crate::election::case::elect;

mod args;
mod report;

pub use args::{parse_run, RunOptions};
pub use report::duration;
use report::{compare, profiles, run};

/// What a command produced.
#[derive(Debug, PartialEq)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// What a command produced besides its stdout, which [`main_to`] has written.
#[derive(Debug, PartialEq)]
pub struct Status {
    pub code: i32,
    pub stderr: String,
}

const OK: Status = Status {
    code: 0,
    stderr: String::new(),
};

fn usage_error(msg: impl std::fmt::Display) -> Status {
    Status {
        code: 2,
        stderr: format!("kafka-election: {msg}\nRun `kafka-election --help` for usage.\n"),
    }
}

pub const HELP: &str = "\
kafka-election — Kafka's controller re-electing partition leaders, simulated

USAGE
  kafka-election run     [OPTIONS]   one fault: --event crash | controlled-shutdown | rolling-restart
  kafka-election compare [OPTIONS]   the same cluster under a crash and a controlled shutdown
  kafka-election elect               one election: a JSON case on stdin, the result on stdout
  kafka-election profiles [--json]   the timing profiles, their parameters and sources
  kafka-election catalog             everything the engine names, as JSON (what the page reads)

OPTIONS (run, compare)
  --profile P                 book | kafka-1.0 | kafka-1.1 | kafka-2.5 | kraft   (default book)
  --event E                   crash | controlled-shutdown | rolling-restart    (default crash)
  --partitions N              partitions of the one topic (default 10000)
  --brokers N                 brokers, ids 1..N (default 3)
  --replication-factor N      default 2
  --layout L                  led-by (every partition led by the victim; default) | kafka
  --victim ID                 the broker that fails (default 1)
  --controller ID             the controller (default 2)
  --victim-is-controller      the failing broker is also the controller
  --unclean                   unclean.leader.election.enable=true
  --restart-after-ms MS       the broker comes back MS after it went down (log recovery or
                              loading, rejoin, catch-up, leadership back; docs/model.md)
  --leader-rebalance R        auto (the controller's periodic check) | immediate | off
  --rolling-stop S            (rolling-restart) controlled-shutdown (default) | crash
  --sole-isr-fraction F       this fraction of partitions has only its leader in the ISR
  --scenario FILE             a JSON scenario (README: scenario schema); options given after it override it
  --json                      JSON instead of a table
  --events                    also list every step of the run
  --csv                       (run) the per-partition results as CSV instead of the summary
  --<parameter> VALUE         any profile parameter, e.g. --zk-session-timeout-ms 18000
                              (`kafka-election profiles` lists them)

Exit codes: 0 success, 2 bad input (the message names the field and what is allowed).
";

/// Runs the CLI on `args` (without the program name) and returns everything it printed.
/// `read_file` and `stdin` supply input.
pub fn main(
    args: &[String],
    read_file: &dyn Fn(&str) -> Result<String, String>,
    stdin: &dyn Fn() -> Result<String, String>,
) -> Output {
    let mut stdout = Vec::new();
    let status = main_to(args, read_file, stdin, &mut stdout).expect("writing to a Vec");
    Output {
        code: status.code,
        stdout: String::from_utf8(stdout).expect("the CLI prints UTF-8"),
        stderr: status.stderr,
    }
}

/// Runs the CLI on `args`, writing its standard output to `stdout` as it is produced. Input is
/// validated before anything is written, so a bad-input status comes with nothing on `stdout`;
/// an `Err` is a failure to write.
pub fn main_to(
    args: &[String],
    read_file: &dyn Fn(&str) -> Result<String, String>,
    stdin: &dyn Fn() -> Result<String, String>,
    stdout: &mut dyn Write,
) -> io::Result<Status> {
    let Some(cmd) = args.first() else {
        return Ok(Status {
            code: 2,
            stderr: HELP.to_string(),
        });
    };
    let rest = &args[1..];
    let text = |stdout: &mut dyn Write, s: &str| stdout.write_all(s.as_bytes()).map(|_| OK);
    match cmd.as_str() {
        "-h" | "--help" | "help" => text(stdout, HELP),
        "run" | "compare" if rest.iter().any(|a| a == "-h" || a == "--help") => text(stdout, HELP),
        "run" | "compare" => match parse_run(rest, read_file) {
            Ok(opts) => {
                if cmd == "run" {
                    run(&opts, stdout)?;
                } else {
                    stdout.write_all(compare(&opts).as_bytes())?;
                }
                // The run's table says it itself; JSON, CSV and compare's table do not.
                let table = cmd == "run" && !opts.json && !opts.csv;
                let stderr = match opts.note.clone().filter(|_| !table) {
                    Some(note) => format!("kafka-election: note: {note}\n"),
                    None => String::new(),
                };
                Ok(Status { code: 0, stderr })
            }
            Err(e) => Ok(usage_error(e)),
        },
        "elect" => match stdin().and_then(|input| elect(&input)) {
            Ok(v) => text(stdout, &format!("{v}\n")),
            Err(e) => Ok(usage_error(e)),
        },
        "profiles" => text(stdout, &profiles(rest.iter().any(|a| a == "--json"))),
        "catalog" => text(
            stdout,
            &format!(
                "{}\n",
                serde_json::to_string_pretty(&crate::catalog::catalog()).expect("serializable")
            ),
        ),
        other => Ok(usage_error(format!(
            "unknown command `{other}`; commands: run, compare, elect, profiles, catalog"
        ))),
    }
}
