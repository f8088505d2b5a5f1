//! End-to-end: the yearly ledger (台账) holds what a street office files — rejection reasons,
//! merges, re-raises, objections, attendance and quorum, votes with recounts, due dates in
//! force and their changes, overdue rows, postings — and every workbook prints on A4 with a
//! title, repeated header rows and page numbers.

use crate::common;
use common::Env;
use std::io::Read;

fn rows(bytes: &[u8], sheet: &str) -> Vec<String> {
    crate::paperwork::calamine_all(bytes, sheet)
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

fn has(rows: &[String], needles: &[&str]) -> bool {
    rows.iter().any(|r| needles.iter().all(|n| r.contains(n)))
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_ledger_holds_every_fact_in_its_sheet() {
    let env = Env::new();
    env.held();
    env.ok(&["notice", "decision", "M1", "--from", "2026-12-02"]);
    // #4 objects to M1's decisions, #5 raises #2 again, #6 is merged into #1, #7 is rejected.
    env.ok(&[
        "issue",
        "add",
        "反对改造四楼",
        "--by",
        "周先生",
        "--channel",
        "线下",
        "--objection-to",
        "R1",
        "--date",
        "2026-12-04",
    ]);
    env.ok(&[
        "issue",
        "add",
        "停车位仍然不够",
        "--channel",
        "online",
        "--reraise",
        "2",
    ]);
    env.ok(&["issue", "add", "四楼改造要快", "--channel", "线下"]);
    env.ok(&["issue", "merge", "6", "--into", "1"]);
    env.ok(&["issue", "add", "小区外马路修缮", "--channel", "线下"]);
    env.ok(&["issue", "reject", "7", "--reason", "属市政道路，已转交街道"]);
    env.ok(&[
        "action",
        "add",
        "R1",
        "--owner",
        "李娜",
        "--due",
        "2026-12-20",
        "发起图书募捐",
    ]);
    env.ok(&[
        "action",
        "edit",
        "A3",
        "--due",
        "2027-01-31",
        "--reason",
        "捐赠方年底才到位",
    ]);
    let out = env
        .cmd()
        .env("YISHI_NOW", "2027-02-15T10:00:00+08:00")
        .args(["ledger", "--year", "2026", "-o", "台账.xlsx"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book = std::fs::read(env.path("台账.xlsx")).unwrap();

    let issues = rows(&book, "议题");
    assert!(issues[0].contains("汀塘社区居民委员会") && issues[0].contains("2026年度居民议事台账"));
    assert!(
        issues[1].contains("制表日期：2027年2月15日"),
        "{}",
        issues[1]
    );
    assert!(has(
        &issues,
        &["小区外马路修缮", "| 属市政道路，已转交街道"]
    ));
    // A column each: 不予受理原因, 并入, 再次提出, 异议所指决议 (the resolution it names).
    assert!(
        issues[2].contains("不予受理原因 | 并入 | 再次提出 | 异议所指决议"),
        "{}",
        issues[2]
    );
    assert!(has(&issues, &["四楼改造要快", "| 议题1"]));
    assert!(has(&issues, &["停车位仍然不够", "| 议题2"]));
    assert!(
        has(
            &issues,
            &[
                "反对改造四楼",
                "第1次会议决议R1「将老村部四楼改造为儿童活动中心"
            ]
        ),
        "{issues:?}"
    );
    assert!(has(&issues, &["未分类"]), "a missing category reads 未分类");
    let meetings = rows(&book, "会议");
    assert!(has(&meetings, &["第1次", "已达到（"]), "{meetings:?}");
    let votes = rows(&book, "表决");
    assert!(has(&votes, &["复核：原", "漏计一票"]), "{votes:?}");
    let actions = rows(&book, "落实");
    assert!(
        has(
            &actions,
            &[
                "发起图书募捐",
                "已逾期15天",
                "2026-12-20 → 2027-01-31（捐赠方年底才到位）"
            ]
        ),
        "{actions:?}"
    );
    let postings = rows(&book, "公示");
    assert!(has(&postings, &["决议公示", "第1次"]), "{postings:?}");

    // Printed: A4, the header row on every page, unit and page numbers in header and footer.
    let sheet = part(&book, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"paperSize="9""#), "A4");
    assert!(
        sheet.contains("&amp;P") && sheet.contains("&amp;N"),
        "page numbers"
    );
    assert!(
        sheet.contains("<oddHeader>&amp;L汀塘社区居民委员会"),
        "unit in the header"
    );
    let workbook = part(&book, "xl/workbook.xml");
    assert!(
        workbook.contains(
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">'议题'!$3:$3</definedName>"#
        ) || workbook.contains("议题!$3:$3"),
        "{workbook}"
    );
}

#[test]
fn the_report_workbook_prints_on_a4_with_a_title() {
    let env = Env::new();
    env.held();
    env.ok(&["report", "-o", "报告.xlsx"]);
    let book = std::fs::read(env.path("报告.xlsx")).unwrap();
    let figures = rows(&book, "指标");
    assert!(figures[0].contains("居民议事工作统计报表"), "{figures:?}");
    assert!(
        !figures.iter().any(|r| r.contains("yishi")),
        "口径 speaks to the reader"
    );
    for n in 1..=3 {
        let sheet = part(&book, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(sheet.contains(r#"paperSize="9""#), "sheet {n} on A4");
        assert!(sheet.contains("<oddFooter>"), "sheet {n} has page numbers");
    }
    assert!(part(&book, "xl/workbook.xml").contains("_xlnm.Print_Titles"));
}
