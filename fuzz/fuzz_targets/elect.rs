//! `elect` cases as stdin and the page's rule explorer give them: an answer, or exit 2 naming
//! the field. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let input = text.to_string();
    let out =
        kafka_election::cli::main(&["elect".to_string()], &|_| Err("no files".into()), &|| {
            Ok(input.clone())
        });
    match out.code {
        0 => assert!(out.stdout.starts_with('{') && out.stderr.is_empty()),
        2 => assert!(out.stdout.is_empty() && out.stderr.starts_with("kafka-election: ")),
        code => panic!("exit {code}"),
    }
});
