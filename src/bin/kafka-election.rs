//! The `kafka-election` command: I/O around `kafka_election::cli`.

use std::io::{Read, Write};

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
    let out = kafka_election::cli::main(&args, &read_file, &stdin);
    // A closed pipe (e.g. `| head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::exit(out.code);
}
