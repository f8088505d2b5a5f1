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
