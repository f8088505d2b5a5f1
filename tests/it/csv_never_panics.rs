//! Property test: the CSV and spreadsheet readers and the issue row parser never panic,
//! whatever the bytes.

use proptest::prelude::*;
use yishi_core::import::{CsvOptions, Source, issues};

fn read_all(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fuzz.csv");
    std::fs::write(&path, bytes).unwrap();
    let defaults = issues::Defaults {
        channel: None,
        raised_on: "2026-11-25".into(),
        channels: Default::default(),
        categories: Default::default(),
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

    /// Bytes that start like a spreadsheet (zip or OLE container) go to the spreadsheet reader.
    #[test]
    fn spreadsheet_like_bytes(ole in any::<bool>(), bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let mut input = if ole {
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        } else {
            b"PK\x03\x04".to_vec()
        };
        input.extend_from_slice(&bytes);
        read_all(&input);
    }

    #[test]
    fn csv_like_text(header in "(标题|title|渠道|日期|电话|[a-z]{1,4})(,(标题|title|渠道|日期|电话|提出人|\"[^\"]{0,5}\")){0,5}",
                     body in "([^\u{0}]{0,20}[,;\n\"]){0,30}") {
        read_all(format!("{header}\n{body}").as_bytes());
    }
}
