//! The `kafka-election` command line, as pure functions: arguments and stdin in, output text and
//! exit code out. `src/bin/kafka-election.rs` only does the I/O.

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

fn ok(stdout: String) -> Output {
    Output {
        code: 0,
        stdout,
        stderr: String::new(),
    }
}

fn usage_error(msg: impl std::fmt::Display) -> Output {
    Output {
        code: 2,
        stdout: String::new(),
        stderr: format!("kafka-election: {msg}\nRun `kafka-election --help` for usage.\n"),
    }
}

pub const HELP: &str = "\
kafka-election — Kafka's controller re-electing partition leaders, simulated

USAGE
  kafka-election run     [OPTIONS]   one fault: --event crash | controlled-shutdown
  kafka-election compare [OPTIONS]   the same cluster under a crash and a controlled shutdown
  kafka-election elect               one election: a JSON case on stdin, the result on stdout
  kafka-election profiles [--json]   the timing profiles, their parameters and sources
  kafka-election catalog             everything the engine names, as JSON (what the page reads)

OPTIONS (run, compare)
  --profile P                 book | kafka-1.0 | kafka-1.1 | kafka-2.5 | kraft   (default book)
  --event E                   crash | controlled-shutdown                      (default crash)
  --partitions N              partitions of the one topic (default 10000)
  --brokers N                 brokers, ids 1..N (default 3)
  --replication-factor N      default 2
  --layout L                  led-by (every partition led by the victim; default) | kafka
  --victim ID                 the broker that fails (default 1)
  --controller ID             the controller (default 2)
  --victim-is-controller      the failing broker is also the controller
  --unclean                   unclean.leader.election.enable=true
  --scenario FILE             a JSON scenario (README: scenario schema); options given after it override it
  --json                      JSON instead of a table
  --events                    also list every step of the run
  --csv                       (run) the per-partition results as CSV instead of the summary
  --<parameter> VALUE         any profile parameter, e.g. --zk-session-timeout-ms 18000
                              (`kafka-election profiles` lists them)

Exit codes: 0 success, 2 bad input (the message names the field and what is allowed).
";

/// Runs the CLI on `args` (without the program name). `read_file` and `stdin` supply input.
pub fn main(
    args: &[String],
    read_file: &dyn Fn(&str) -> Result<String, String>,
    stdin: &dyn Fn() -> Result<String, String>,
) -> Output {
    let Some(cmd) = args.first() else {
        return Output {
            code: 2,
            stdout: String::new(),
            stderr: HELP.to_string(),
        };
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "-h" | "--help" | "help" => ok(HELP.to_string()),
        "run" | "compare" if rest.iter().any(|a| a == "-h" || a == "--help") => {
            ok(HELP.to_string())
        }
        "run" | "compare" => match parse_run(rest, read_file) {
            Ok(opts) => {
                let mut out = if cmd == "run" {
                    run(&opts)
                } else {
                    compare(&opts)
                };
                // The run's table says it itself; JSON, CSV and compare's table do not.
                let table = cmd == "run" && !opts.json && !opts.csv;
                if let Some(note) = opts.note().filter(|_| !table) {
                    out.stderr = format!("kafka-election: note: {note}\n");
                }
                out
            }
            Err(e) => usage_error(e),
        },
        "elect" => match stdin().and_then(|text| elect(&text)) {
            Ok(v) => ok(format!("{v}\n")),
            Err(e) => usage_error(e),
        },
        "profiles" => ok(profiles(rest.iter().any(|a| a == "--json"))),
        "catalog" => ok(format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::catalog::catalog()).expect("serializable")
        )),
        other => usage_error(format!(
            "unknown command `{other}`; commands: run, compare, elect, profiles, catalog"
        )),
    }
}
