//! End-to-end: replies (答复) on paper: the ledger's 答复 and 答复率 sheets, counted by hand
//! from the scenario in `replies.rs`, and the 答复单 as a Word document.

use crate::paperwork::calamine_all;
use calamine::Data;

/// A cell as a street office reads it: dates as YYYY-MM-DD, whole numbers without ".0".
fn cell(d: &Data) -> String {
    match d {
        Data::DateTime(t) => t.as_datetime().unwrap().date().to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// The sheet's rows under its title, period and header lines, cells joined by " | ".
fn table(book: &[u8], sheet: &str) -> (String, Vec<String>) {
    let rows: Vec<String> = calamine_all(book, sheet)
        .iter()
        .map(|r| r.iter().map(cell).collect::<Vec<_>>().join(" | "))
        .collect();
    (rows[2].clone(), rows[3..].to_vec())
}

#[test]
fn the_ledger_shows_each_reply_and_the_reply_rates_counted_by_hand() {
    let env = crate::replies::council();
    env.ok(&["ledger", "--year", "2026", "-o", "台账.xlsx"]);
    let book = std::fs::read(env.path("台账.xlsx")).unwrap();

    let (header, rows) = table(&book, "答复");
    assert_eq!(
        header,
        "议题编号 | 议题 | 提出人 | 居民数 | 答复环节 | 环节日期 | 答复日期 | 答复方式 | 相隔天数 | 答复内容"
    );
    // #2 is anonymous and #5 merged into #3: no rows. #3's two residents (刘大爷, 孙阿姨 through
    // #5) were told at 受理, not yet at 决议; #4's rejection is still owed.
    assert_eq!(
        rows,
        [
            "1 | 儿童活动场所 | 陈** | 1 | 受理 | 2026-10-02 | 2026-10-06 | 电话 | 4 | 已电话告知受理",
            "1 | 儿童活动场所 | 陈** | 1 | 决议 | 2026-10-20 | 2026-10-22 | 当面 | 2 | ",
            "3 | 路灯不亮 | 刘** | 2 | 受理 | 2026-10-02 | 2026-10-03 | 微信 | 1 | ",
            "3 | 路灯不亮 | 刘** | 2 | 决议 | 2026-10-20 |  | 未答复 |  | ",
            "4 | 邻里纠纷 | 黄** | 1 | 不予受理 | 2026-10-04 |  | 未答复 |  | ",
        ]
    );

    // 受理 2 of 2 (median of 4 and 1 days), 不予受理 0 of 1, 决议 1 of 2 (2 days), 结果 none;
    // all steps 3 of 5 (median of 4, 1, 2).
    let (header, rows) = table(&book, "答复率");
    assert_eq!(header, "答复环节 | 应答复 | 已答复 | 答复率 | 答复中位天数");
    assert_eq!(
        rows,
        [
            "受理 | 2 | 2 | 1 | 2.5",
            "不予受理 | 1 | 0 | 0 | ",
            "决议 | 2 | 1 | 0.5 | 2",
            "结果 | 0 | 0 |  | ",
            "合计 | 5 | 3 | 0.6 | 2",
        ]
    );

    // Names in full with --show-contacts, as on every sheet.
    env.ok(&[
        "ledger",
        "--year",
        "2026",
        "--show-contacts",
        "-o",
        "full.xlsx",
    ]);
    let (_, rows) = table(&std::fs::read(env.path("full.xlsx")).unwrap(), "答复");
    assert!(rows[2].contains("| 刘大爷 |"), "{rows:?}");
}

/// The text of a .docx's document part, paragraphs joined by newlines.
fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.split("</w:p>")
        .map(|p| {
            p.split("<w:t")
                .skip(1)
                .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
                .map(|t| t.split("</w:t>").next().unwrap_or_default())
                .collect::<String>()
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_reply_slip_is_a_word_letter_picked_from_the_extension() {
    let env = crate::replies::council();
    // #4 was rejected: the slip gives the reason, under the greeting, signed by the committee.
    env.ok(&["issue", "reply", "4", "--draft", "-o", "答复单.docx"]);
    let bytes = std::fs::read(env.path("答复单.docx")).unwrap();
    let text = docx_text(&bytes);
    for needle in [
        "汀塘社区居民议事答复单",
        "议题：#4 邻里纠纷",
        "答复环节：不予受理（2026年10月4日）",
        "黄**您好：",
        "属于个人纠纷，已转调解委员会",
        "汀塘社区居民委员会",
        "2026年11月25日",
        "居民（签收）：",
    ] {
        assert!(text.contains(needle), "{needle} not in\n{text}");
    }
    assert!(!text.contains("黄女士"), "masked unless --show-contacts");
    // --format docx to stdout gives the same file; text stays the default without -o.
    let piped = env
        .cmd()
        .args(["issue", "reply", "4", "--draft", "--format", "docx"])
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(piped.stdout, bytes);
    assert!(
        env.ok(&["issue", "reply", "4", "--draft"])
            .starts_with("黄**您好：")
    );
    // --format and -o belong to --draft.
    env.fails(
        &["issue", "reply", "4", "--via", "电话", "--format", "docx"],
        2,
    );
}
