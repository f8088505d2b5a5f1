//! Issue 32, first part: a community's report package (`report --package`) and the street
//! office's roll-up of many (`rollup`): figures from summed parts, reproducible packages with a
//! content hash, no personal data, and the communities that sent nothing.

use crate::common::Env;
use serde_json::Value;

/// Write `env`'s package for `period` to `dir/name` and return its bytes.
fn package(env: &Env, period: &str, out: &std::path::Path) -> Vec<u8> {
    env.ok(&[
        "report",
        "--package",
        "--period",
        period,
        "-o",
        out.to_str().unwrap(),
        "--force",
    ]);
    std::fs::read(out).unwrap()
}

/// Name the community of `env` (every test Env starts as 汀塘社区).
fn rename(env: &Env, name: &str) {
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    let renamed: String = toml
        .lines()
        .map(|l| {
            if l.starts_with("community") {
                format!("community = \"{name}\"\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(env.path("yishi.toml"), renamed).unwrap();
}

fn report(env: &Env, from: &str, to: &str) -> Value {
    serde_json::from_str(&env.ok(&["report", "--json", "--from", from, "--to", to])).unwrap()
}

#[test]
fn three_communities_roll_up_from_summed_parts() {
    // 甲: a council held, with feedback; 乙: issues only; 丙: sent a package for Q3 only.
    let a = Env::new();
    a.held();
    let b = Env::new();
    rename(&b, "南塘社区");
    b.ok(&[
        "issue",
        "add",
        "路灯不亮",
        "--by",
        "陈阿姨",
        "--phone",
        "13800001234",
        "--channel",
        "线下",
    ]);
    b.ok(&[
        "issue",
        "add",
        "电梯故障",
        "--by",
        "钱先生",
        "--address",
        "3栋201",
        "--channel",
        "线上",
    ]);
    let c = Env::new();
    rename(&c, "东埔社区");
    let street = Env::empty();
    let dir = street.dir.path().join("packages");
    std::fs::create_dir_all(&dir).unwrap();
    let pa = package(&a, "2026Q4", &dir.join("a.yishi"));
    package(&b, "2026Q4", &dir.join("b.yishi"));
    package(&c, "2026Q3", &dir.join("c.yishi"));
    // Reproducible: the same database and period give the same bytes.
    let again = package(&a, "2026Q4", &street.dir.path().join("again.yishi"));
    assert_eq!(pa, again, "a package made twice differs");

    let rolled: Value = serde_json::from_str(&street.ok(&[
        "rollup",
        dir.to_str().unwrap(),
        "--period",
        "2026Q4",
        "--json",
    ]))
    .unwrap();
    let communities = rolled["communities"].as_array().unwrap();
    assert_eq!(communities.len(), 2, "{rolled}");
    // Every total is the sum of the communities' own report figures, part by part.
    let (ra, rb) = (
        report(&a, "2026-10-01", "2026-12-31"),
        report(&b, "2026-10-01", "2026-12-31"),
    );
    for rate in ["attendance", "participation", "awareness", "satisfaction"] {
        for part in ["numerator", "denominator"] {
            let sum = ra[rate][part].as_u64().unwrap() + rb[rate][part].as_u64().unwrap();
            assert_eq!(
                rolled["totals"][rate][part].as_u64().unwrap(),
                sum,
                "{rate}.{part}"
            );
        }
    }
    for count in ["meetings_held", "issues_total"] {
        let sum = ra[count].as_u64().unwrap() + rb[count].as_u64().unwrap();
        assert_eq!(rolled["totals"][count].as_u64().unwrap(), sum, "{count}");
    }
    assert!(rolled["totals"]["meetings_held"].as_u64().unwrap() >= 1);
    // 丙 sent a package, but not for this period.
    assert_eq!(rolled["missing"].as_array().unwrap().len(), 1, "{rolled}");

    // The table for people: one row per community and the street's total.
    let table = street.ok(&["rollup", dir.to_str().unwrap(), "--period", "2026Q4"]);
    assert!(table.contains("total\t"), "{table}");
    assert!(table.contains("sent nothing for this period"), "{table}");
}

#[test]
fn a_package_holds_no_personal_data_and_a_changed_byte_is_refused() {
    // A council held (members with phones, residents who raised issues, an owner, a
    // stakeholder, a proxy), then every other place a resident's name, phone or address can
    // be: a submitter with both, a merged duplicate's submitter, a phone typed into a title,
    // an action owned by a resident, feedback with a resident's name and note.
    let env = Env::new();
    env.held();
    env.ok(&[
        "issue",
        "add",
        "路灯不亮",
        "--by",
        "欧阳娜娜",
        "--phone",
        "13912345678",
        "--address",
        "5栋302",
        "--channel",
        "线下",
        "--detail",
        "住在5栋302，电话13912345678",
    ]);
    env.ok(&[
        "issue",
        "add",
        "路灯坏了请联系13700009999",
        "--by",
        "司马光明",
        "--phone",
        "13700009999",
        "--address",
        "8栋1101",
        "--channel",
        "线上",
    ]);
    env.ok(&["issue", "merge", "5", "--into", "4"]);
    env.ok(&["notice", "decision", "M1"]);
    env.ok(&[
        "action",
        "add",
        "R1",
        "--owner",
        "欧阳娜娜",
        "--due",
        "2027-01-15",
        "采购图书书架",
    ]);
    env.ok(&[
        "feedback",
        "add",
        "--issue",
        "1",
        "--resident",
        "诸葛小花",
        "--satisfaction",
        "5",
        "--aware",
        "yes",
        "--note",
        "诸葛小花住9栋0808，电话13600001111",
    ]);
    let file = env.dir.path().join("p.yishi");
    let bytes = package(&env, "2026", &file);
    let text = String::from_utf8(bytes.clone()).unwrap();
    // The record reached the package …
    let p: Value = serde_json::from_str(&text).unwrap();
    let p = &p["package"];
    assert_eq!(p["version"], 2);
    for section in [
        "issues",
        "meetings",
        "motions",
        "resolutions",
        "actions",
        "postings",
    ] {
        assert!(
            !p[section].as_array().unwrap().is_empty(),
            "{section} is empty: {p}"
        );
    }
    assert_eq!(p["feedback"]["responses"], 1, "{p}");
    // The sections count what the figures count.
    let f = &p["figures"];
    assert_eq!(
        p["issues"].as_array().unwrap().len() as u64,
        f["issues_total"]
    );
    assert_eq!(p["feedback"]["satisfaction"], f["satisfaction"]);
    assert_eq!(p["feedback"]["awareness"], f["awareness"]);
    let states = |s: &str| {
        p["actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["state"] == s)
            .count() as u64
    };
    assert_eq!(states("open"), f["actions_open"]);
    assert_eq!(states("overdue"), f["actions_overdue"]);
    assert_eq!(states("done-on-time"), f["actions_done_on_time"]);
    assert_eq!(p["motions"][2]["secret"], true);
    assert_eq!(p["motions"][2]["recounts"], 1);
    assert_eq!(p["postings"][0]["kind"], "decision");
    assert_eq!(
        p["issues"][3]["submitters"],
        serde_json::json!(["欧***", "司***"])
    );
    // … but no phone, address, member's name or resident's name (in full), nor a note.
    let members = [
        "王建国",
        "陈志明",
        "李娜",
        "张伟",
        "林秀英",
        "赵敏",
        "孙强",
        "社工小周",
    ];
    let residents = [
        "欧阳娜娜",
        "司马光明",
        "诸葛小花",
        "陈阿姨",
        "刘大爷",
        "黄女士",
    ];
    let contacts = [
        "13912345678",
        "12345678",
        "13700009999",
        "00009999",
        "13800001234",
        "13900001111",
        "13600001111",
        "5栋302",
        "8栋1101",
        "9栋0808",
    ];
    for secret in members.iter().chain(&residents).chain(&contacts) {
        assert!(!text.contains(secret), "the package holds {secret}");
    }
    for private in [
        "书面委托书",
        "家属承包改造工程",
        "出差",
        "放学后孩子只能在楼道里玩",
    ] {
        assert!(!text.contains(private), "the package holds {private}");
    }
    // One byte changed: refused, naming the file (exit 65).
    let mut bad = bytes.clone();
    let at = bad.len() / 2;
    bad[at] = if bad[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(env.path("bad.yishi"), &bad).unwrap();
    let err = env.fails(&["rollup", "bad.yishi", "--period", "2026"], 65);
    assert!(
        err.contains("bad.yishi") && err.contains("SHA-256"),
        "{err}"
    );
    let err = env.fails(&["rollup", "yishi.toml", "--period", "2026"], 65);
    assert!(err.contains("not a yishi report package"), "{err}");
    let err = env.fails(&["rollup", "p.yishi", "--period", "2026Q5"], 65);
    assert!(err.contains("2026Q3"), "{err}");
}

#[test]
fn escalated_issues_reach_the_package_and_the_rollup_with_days_waiting() {
    let a = Env::new();
    for (title, day) in [
        ("河道护栏缺失", "2026-10-03"),
        ("跨社区公交线路", "2026-10-05"),
    ] {
        a.ok(&["issue", "add", title, "--channel", "线下", "--date", day]);
    }
    a.ok(&["issue", "accept", "1"]);
    a.ok(&["issue", "accept", "2"]);
    for id in ["1", "2"] {
        a.ok(&[
            "issue",
            "escalate",
            id,
            "--to",
            "街道",
            "--reason",
            "需区级资金",
            "--date",
            "2026-10-10",
        ]);
    }
    a.ok(&[
        "issue",
        "escalate",
        "2",
        "--answer",
        "已协调公交公司",
        "--date",
        "2026-11-01",
        "--then",
        "close",
    ]);
    let b = Env::new();
    rename(&b, "南塘社区");
    let street = Env::empty();
    let dir = street.dir.path().join("packages");
    std::fs::create_dir_all(&dir).unwrap();
    package(&a, "2026Q4", &dir.join("a.yishi"));
    package(&b, "2026Q4", &dir.join("b.yishi"));
    let rolled: Value = serde_json::from_str(&street.ok(&[
        "rollup",
        dir.to_str().unwrap(),
        "--period",
        "2026Q4",
        "--json",
    ]))
    .unwrap();
    // The package's day is the last change (2026-11-25): #1 has waited 46 days, #2 waited 22.
    let escalated = rolled["escalated_issues"].as_array().unwrap();
    assert_eq!(escalated.len(), 2, "{rolled}");
    assert_eq!(escalated[0][1]["issue"], "#1");
    assert_eq!(escalated[0][1]["days_waiting"], 46);
    assert_eq!(escalated[1][1]["answered_on"], "2026-11-01");
    assert_eq!(escalated[1][1]["days_waiting"], 22);
    // The totals are the communities' own report --json counts, summed.
    let (ra, rb) = (
        report(&a, "2026-10-01", "2026-12-31"),
        report(&b, "2026-10-01", "2026-12-31"),
    );
    for part in ["raised", "answered", "waiting"] {
        let sum =
            ra["escalations"][part].as_u64().unwrap() + rb["escalations"][part].as_u64().unwrap();
        assert_eq!(
            rolled["totals"]["escalations"][part].as_u64().unwrap(),
            sum,
            "{part}"
        );
    }
    assert_eq!(rolled["totals"]["escalations"]["waiting"], 1);
    let text = street.ok(&["rollup", dir.to_str().unwrap(), "--period", "2026Q4"]);
    assert!(
        text.contains("#1 河道护栏缺失: escalated to the street on 2026-10-10, waiting 46 day(s)"),
        "{text}"
    );
}

/// `demo --district`: three communities run the cycle (汀塘 raises an issue the street
/// answers, 南塘 leaves an action overdue and waits for the street, 东埔 sends nothing for the
/// year); every figure of the street's rollup is the sum of the communities' own report --json.
#[test]
fn the_district_demo_rolls_up_three_communities_from_their_own_reports() {
    let env = Env::empty();
    let (printed, said) = env.ok_both(&["demo", "--district", "--dir", "street"]);
    assert!(printed.contains("东埔社区"), "{printed}");
    assert!(said.contains("street"), "{said}");
    let rolled: Value =
        serde_json::from_str(&env.ok(&["rollup", "street/packages", "--period", "2026", "--json"]))
            .unwrap();
    let names: Vec<&str> = rolled["communities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["community"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["南塘社区", "汀塘社区"]);
    assert_eq!(rolled["missing"], serde_json::json!(["东埔社区"]));
    // Each community's own report, on the package's day.
    env.set_now("2026-09-05T23:00:00+08:00");
    let own = |name: &str| -> Value {
        let db = format!("street/{name}/yishi.db");
        serde_json::from_str(&env.ok(&[
            "--db",
            &db,
            "report",
            "--json",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
        ]))
        .unwrap()
    };
    let reports = [own("南塘社区"), own("汀塘社区")];
    let t = &rolled["totals"];
    let sum = |f: &dyn Fn(&Value) -> &Value| -> u64 {
        reports.iter().map(|r| f(r).as_u64().unwrap_or(0)).sum()
    };
    for count in [
        "meetings_held",
        "issues_total",
        "actions_done_on_time",
        "actions_done_late",
        "actions_overdue",
        "actions_open",
    ] {
        assert_eq!(t[count].as_u64().unwrap(), sum(&|r| &r[count]), "{count}");
    }
    for rate in [
        "attendance",
        "participation",
        "awareness",
        "satisfaction",
        "cycle_complete",
    ] {
        for part in ["numerator", "denominator"] {
            assert_eq!(
                t[rate][part].as_u64().unwrap(),
                sum(&|r| &r[rate][part]),
                "{rate}.{part}"
            );
        }
    }
    for part in ["raised", "answered", "waiting"] {
        assert_eq!(
            t["escalations"][part].as_u64().unwrap(),
            sum(&|r| &r["escalations"][part]),
            "escalations.{part}"
        );
    }
    assert_eq!(
        t["issues_by_status"]["completed"].as_u64().unwrap(),
        sum(&|r| &r["issues_by_status"]["completed"])
    );
    // What makes them differ.
    assert_eq!(t["escalations"]["answered"], 1);
    assert_eq!(t["escalations"]["waiting"], 1);
    let overdue = rolled["overdue_actions"].as_array().unwrap();
    assert_eq!(overdue.len(), 1, "{rolled}");
    assert_eq!(overdue[0][0], "南塘社区");
    let escalated = rolled["escalated_issues"].as_array().unwrap();
    assert_eq!(escalated[0][0], "南塘社区");
    assert_eq!(escalated[0][1]["days_waiting"], 47);
    assert_eq!(escalated[1][1]["answered_on"], "2026-08-15");
    // A folder that is not empty is refused.
    env.fails(&["demo", "--district", "--dir", "street"], 1);
}

/// `rollup -o 街道汇总.xlsx`: the street's workbook, each sheet on A4 with the street, the
/// period and the day made on top, the header row repeated, page numbers; the figures as
/// rollup --json has them.
#[test]
fn the_street_workbook_prints_on_a4_with_its_title() {
    let env = Env::district_demo();
    env.ok(&[
        "rollup",
        "street/packages",
        "--period",
        "2026",
        "--street",
        "汀塘街道办事处",
        "--lang",
        "zh-CN",
        "-o",
        "街道汇总.xlsx",
    ]);
    let book = std::fs::read(env.path("街道汇总.xlsx")).unwrap();
    // Without -o, to a pipe (never to a terminal): the workbook's bytes on stdout.
    let piped = env
        .cmd()
        .args([
            "rollup",
            "street/packages",
            "--period",
            "2026",
            "--format",
            "xlsx",
        ])
        .output()
        .unwrap();
    assert!(
        piped.status.success() && piped.stdout.starts_with(b"PK"),
        "an xlsx on stdout"
    );
    let sheet = |name: &str| -> Vec<String> {
        crate::paperwork::calamine_all(&book, name)
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    };
    let totals = sheet("汇总");
    assert!(
        totals[0].contains("汀塘街道办事处2026年度社区议事工作汇总表"),
        "{totals:?}"
    );
    assert!(
        totals[1].contains("统计期间：2026年1月1日至2026年12月31日"),
        "{totals:?}"
    );
    assert!(totals[1].contains("制表日期：2026年11月25日"), "{totals:?}");
    assert!(
        totals[2].starts_with("社区|议事会次数|议题数|办结数|按期落实率"),
        "{totals:?}"
    );
    assert!(
        totals.iter().any(|r| r.starts_with("合计|2|16|4|")),
        "{totals:?}"
    );
    let overdue = sheet("逾期事项");
    assert!(
        overdue.iter().any(|r| r.starts_with("南塘社区|A2|#2|")),
        "{overdue:?}"
    );
    let escalated = sheet("上报事项");
    assert!(
        escalated
            .iter()
            .any(|r| r.contains("南塘社区") && r.contains("|47|") && r.contains("待答复")),
        "{escalated:?}"
    );
    let packages = sheet("报送情况");
    assert!(
        packages
            .iter()
            .any(|r| r.starts_with("东埔社区|") && r.contains("本期未报送")),
        "{packages:?}"
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&book)).unwrap();
    for n in 1..=4 {
        let mut xml = String::new();
        use std::io::Read;
        zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(xml.contains(r#"paperSize="9""#), "sheet {n} on A4");
        assert!(
            xml.contains("&amp;P") && xml.contains("&amp;N"),
            "sheet {n}: page numbers"
        );
        assert!(
            xml.contains("<oddHeader>&amp;L汀塘街道办事处"),
            "sheet {n}: the street on top"
        );
    }
    // The 合计 row (after the title rows, the header and the two communities: row 6) is bold,
    // the communities' rows are not.
    let mut bold = |cell: &str| -> bool {
        use std::io::Read;
        let (mut sheet, mut styles) = (String::new(), String::new());
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        zip.by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut styles)
            .unwrap();
        let after = |text: &str, key: &str| -> usize {
            let at = text.find(key).unwrap_or_else(|| panic!("{key} in {text}")) + key.len();
            text[at..].split('"').next().unwrap().parse().unwrap()
        };
        let at = sheet.find(&format!("<c r=\"{cell}\"")).unwrap();
        let style = after(&sheet[at..], " s=\"");
        let xfs = &styles[styles.find("<cellXfs").unwrap()..];
        let xf = xfs.split("<xf ").nth(style + 1).unwrap();
        let font = after(xf, "fontId=\"");
        let fonts = &styles[styles.find("<fonts").unwrap()..styles.find("</fonts>").unwrap()];
        fonts
            .split("<font>")
            .nth(font + 1)
            .unwrap()
            .contains("<b/>")
    };
    assert!(totals[5].starts_with("合计|"), "{totals:?}");
    for cell in ["A6", "B6", "E6"] {
        assert!(bold(cell), "{cell}: the 合计 row is bold");
    }
    for cell in ["A5", "B5", "E5"] {
        assert!(!bold(cell), "{cell}: a community's row is not bold");
    }
    let mut workbook = String::new();
    use std::io::Read;
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut workbook)
        .unwrap();
    assert_eq!(
        workbook.matches("_xlnm.Print_Titles").count(),
        4,
        "{workbook}"
    );
}
