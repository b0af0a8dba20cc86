//! The `kafka-election` command: I/O around `kafka_election::cli`.

use std::io::{BufWriter, ErrorKind, Read, Write};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read_file = |path: &str| std::fs::read_to_string(path).map_err(|e| e.to_string());
    let stdin = || {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map(|_| s)
            .map_err(|e| format!("reading stdin: {e}"))
    };
    // Output is streamed: a million-partition `run --events` never sits in memory whole.
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let status = kafka_election::cli::main_to(&args, &read_file, &stdin, &mut out)
        .and_then(|status| out.flush().map(|_| status));
    let (code, stderr) = match status {
        Ok(s) => (s.code, s.stderr),
        // A closed pipe (e.g. `| head`) ends the output early; it is not an error worth a word.
        Err(e) if e.kind() == ErrorKind::BrokenPipe => (0, String::new()),
        Err(e) => (1, format!("kafka-election: writing the output: {e}\n")),
    };
    let _ = std::io::stderr().write_all(stderr.as_bytes());
    std::process::exit(code);
}
