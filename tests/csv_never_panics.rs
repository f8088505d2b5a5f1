//! Property test: the CSV reader and the issue row parser never panic, whatever the bytes.

use proptest::prelude::*;
use yishi::import::{CsvOptions, Source, issues};

fn read_all(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fuzz.csv");
    std::fs::write(&path, bytes).unwrap();
    let defaults = issues::Defaults {
        channel: None,
        raised_on: "2026-11-25".into(),
    };
    for opts in [
        CsvOptions {
            ignore_unknown: true,
            ..Default::default()
        },
        CsvOptions {
            ignore_unknown: true,
            encoding: "gb18030".into(),
            delimiter: Some(";".into()),
            ..Default::default()
        },
    ] {
        // Errors are fine; panics are not.
        if let Ok(mut source) = Source::open(&path, &opts, issues::FIELDS) {
            let _ = source.for_each(|row| -> Result<(), ()> {
                let _ = issues::parse(row, &defaults);
                let _ = row.raw_fields();
                Ok(())
            });
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        read_all(&bytes);
    }

    #[test]
    fn csv_like_text(header in "(标题|title|渠道|日期|电话|[a-z]{1,4})(,(标题|title|渠道|日期|电话|提出人|\"[^\"]{0,5}\")){0,5}",
                     body in "([^\u{0}]{0,20}[,;\n\"]){0,30}") {
        read_all(format!("{header}\n{body}").as_bytes());
    }
}
