//! End-to-end: the paperwork a community hands out. Word documents (opened with a zip and XML
//! reader and checked for their content), notices in every format, the blank sign-in sheet,
//! chat-group text, CSV for Excel and tab-separated tables in pipes.

use crate::common;
use common::Env;
use std::io::Read;

/// The paragraphs of a .docx (document.xml) and of its footers, as text; field instructions
/// (PAGE) are kept in brackets so that a test can see the page-number field.
struct Word {
    body: Vec<String>,
    footer: Vec<String>,
    document_xml: String,
}

fn paragraphs(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    let mut in_instr = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::Start(e) if e.name().as_ref() == b"w:instrText" => in_instr = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::End(e) if e.name().as_ref() == b"w:instrText" => in_instr = false,
            Event::End(e) if e.name().as_ref() == b"w:p" => {
                out.push(std::mem::take(&mut current));
            }
            Event::Text(t) if in_text => current.push_str(&t.decode().unwrap()),
            Event::Text(t) if in_instr => {
                current.push_str(&format!("[{}]", t.decode().unwrap().trim()))
            }
            Event::GeneralRef(r) if in_text => {
                let name = r.decode().unwrap();
                current.push_str(match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn word(bytes: &[u8]) -> Word {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the docx"))
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let document_xml = read("word/document.xml");
    let footer_xml = read("word/footer1.xml");
    Word {
        body: paragraphs(&document_xml),
        footer: paragraphs(&footer_xml),
        document_xml,
    }
}

impl Word {
    fn text(&self) -> String {
        self.body.join("\n")
    }
    fn has(&self, needle: &str) -> bool {
        self.body.iter().any(|p| p.contains(needle))
    }
    /// The GB/T 9704 page setup and the `— 1 —` page-number field.
    fn assert_official_layout(&self) {
        assert!(
            self.document_xml.contains(r#"w:w="11906""#)
                && self.document_xml.contains(r#"w:h="16838""#),
            "A4 page size"
        );
        assert_eq!(self.footer[0], "— [PAGE]1 —", "page number");
        assert!(
            self.footer.len() == 1
                || self.footer[1].starts_with("记录校验码 #")
                || self.footer[1].starts_with("Record check code #"),
            "under the page number only the record check code: {:?}",
            self.footer
        );
        assert!(self.document_xml.contains("仿宋"), "body in FangSong");
        assert!(self.document_xml.contains(r#"w:val="32""#), "三号 body");
    }
}

fn bytes(env: &Env, args: &[&str]) -> Vec<u8> {
    let out = env.cmd().args(args).output().expect("run yishi");
    assert!(
        out.status.success(),
        "yishi {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Contact person and phone, as yishi.toml gives them (top-level keys go before [rules]).
fn with_contact(env: &Env) {
    let path = env.path("yishi.toml");
    let old = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("contact = \"王秘书\"\ncontact_phone = \"0571-8888 1234\"\n{old}"),
    )
    .unwrap();
}

fn convened() -> Env {
    let env = Env::new();
    env.convened();
    with_contact(&env);
    env
}

fn held() -> Env {
    let env = Env::new();
    env.held();
    with_contact(&env);
    env
}

#[test]
fn tables_in_a_pipe_are_tab_separated() {
    let env = convened();
    let piped = env.ok(&["issue", "list"]);
    assert!(!piped.contains('│') && !piped.contains('─'), "{piped}");
    let lines: Vec<&str> = piped.lines().collect();
    assert_eq!(lines[0], "编号\t议题\t状态\t类别\t渠道\t日期\t提出人");
    assert!(
        lines[3].starts_with("#1\t儿童没有课外活动场所\t"),
        "newest first: {piped}"
    );
    assert!(lines.iter().all(|l| l.split('\t').count() == 7), "{piped}");
    let boxed = env.ok(&["--table", "issue", "list"]);
    assert!(boxed.contains('│') || boxed.contains('┆'), "{boxed}");
}

#[test]
fn csv_for_excel_has_a_bom_chinese_headers_and_round_trips() {
    let env = convened();
    let csv = env.ok(&["issue", "list", "--csv", "--show-contacts"]);
    assert!(csv.starts_with('\u{feff}'), "BOM for Excel");
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("编号,标题,提出人,联系电话,地址,渠道,类别,日期,详情,状态")
    );
    let first = lines.next().unwrap();
    assert!(first.contains(",线下,儿童,2026-11-03,"), "{first}");
    assert!(first.ends_with(",已列入议程"), "{first}");
    assert!(
        !csv.contains("offline") && !csv.contains("children"),
        "{csv}"
    );
    // The Chinese export imports into a fresh database as the same issues.
    let other = Env::new();
    other.write("导出.csv", &csv);
    other.ok(&["issue", "import", "导出.csv"]);
    let fields = |env: &Env| -> Vec<(String, String, String, String)> {
        let v: serde_json::Value =
            serde_json::from_str(&env.ok(&["issue", "list", "--json", "--show-contacts"])).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let s = |k: &str| i[k].as_str().unwrap_or_default().to_string();
                (s("title"), s("channel"), s("category"), s("phone"))
            })
            .collect()
    };
    assert_eq!(fields(&other), fields(&env));
    // English keys on request, without a BOM.
    let en = env.ok(&["issue", "list", "--csv", "--lang", "en"]);
    assert!(en.starts_with("id,title,submitted_by,"), "{en}");
    assert!(
        en.contains(",线下,children,"),
        "channel words stay as written: {en}"
    );
}

#[test]
fn meeting_notice_in_every_format_and_language() {
    let env = convened();
    let text = env.ok(&["council", "notice", "M1", "--date", "2026-11-26"]);
    insta::assert_snapshot!("notice_meeting_zh_text", common::unanchored(&text));
    insta::assert_snapshot!(
        "notice_meeting_en_text",
        common::unanchored(&env.ok(&[
            "council",
            "notice",
            "M1",
            "--lang",
            "en",
            "--date",
            "2026-11-26"
        ]))
    );
    insta::assert_snapshot!(
        "notice_meeting_zh_md",
        common::unanchored(&env.ok(&[
            "council",
            "notice",
            "M1",
            "--format",
            "md",
            "--date",
            "2026-11-26"
        ]))
    );
    let html = env.ok(&[
        "council",
        "notice",
        "M1",
        "--format",
        "html",
        "--date",
        "2026-11-26",
    ]);
    assert!(html.contains("<h1>会议通知</h1>"), "{html}");
    assert!(html.contains("size: A4"), "an A4 poster");
    assert!(html.contains("2026年12月1日（星期二）19:30"), "{html}");
    assert!(
        html.contains("联系人：王秘书　联系电话：0571-8888 1234"),
        "{html}"
    );
    assert!(html.contains("（盖章处）"), "{html}");
    let json: serde_json::Value = serde_json::from_str(&env.ok(&[
        "council",
        "notice",
        "M1",
        "--format",
        "json",
        "--date",
        "2026-11-26",
    ]))
    .unwrap();
    assert_eq!(json["meeting"]["number"], "第1次");
    assert_eq!(json["items"].as_array().unwrap().len(), 3);
    for lang in ["zh-CN", "en"] {
        let doc = word(&bytes(
            &env,
            &[
                "council",
                "notice",
                "M1",
                "--format",
                "docx",
                "--lang",
                lang,
                "--date",
                "2026-11-26",
            ],
        ));
        doc.assert_official_layout();
        let zh = lang == "zh-CN";
        assert_eq!(
            doc.body[0],
            if zh {
                "会议通知"
            } else {
                "Notice of meeting"
            }
        );
        for item in ["1. 儿童没有课外活动场所", "2. 小区停车难", "3. 广场舞噪音"]
        {
            assert!(doc.has(item), "{item} in\n{}", doc.text());
        }
        let closing = if zh {
            ["汀塘社区居民委员会", "2026年11月26日"]
        } else {
            ["汀塘社区 Residents' Committee", "26 November 2026"]
        };
        for c in closing {
            assert!(doc.has(c), "{c} in\n{}", doc.text());
        }
        // The seal's place prints no words on a copy to sign (only on a --draft).
        let seal = if zh { "（盖章处）" } else { "(seal)" };
        assert!(!doc.has(seal), "{}", doc.text());
        assert!(doc.has(if zh {
            "联系人：王秘书"
        } else {
            "Contact: 王秘书"
        }));
    }
}

#[test]
fn decision_and_result_notices_are_dated_and_written_to_files() {
    let env = held();
    env.ok(&[
        "notice",
        "decision",
        "M1",
        "--date",
        "2026-12-02",
        "--format",
        "docx",
        "-o",
        "决议公示.docx",
    ]);
    let path = env.path("决议公示.docx");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "a new file is private");
    }
    let doc = word(&std::fs::read(&path).unwrap());
    doc.assert_official_layout();
    assert_eq!(doc.body[0], "决议公示");
    assert!(doc.has("2026年12月1日（星期二）"), "{}", doc.text());
    assert!(
        doc.has("1. 将老村部四楼改造为儿童活动中心，并发起图书募捐（责任人：王建国；完成时限：2027年3月31日）"),
        "{}",
        doc.text()
    );
    assert!(doc.has("公示期：2026年12月2日至2026年12月8日（7天）"));
    assert!(doc.has("2026年12月2日") && !doc.has("（盖章处）"));
    let text = env.ok(&["notice", "decision", "M1", "--date", "2026-12-02"]);
    insta::assert_snapshot!("notice_decision_zh_text", common::unanchored(&text));
    insta::assert_snapshot!(
        "notice_decision_en_md",
        common::unanchored(&env.ok(&[
            "notice",
            "decision",
            "M1",
            "--date",
            "2026-12-02",
            "--lang",
            "en",
            "--format",
            "md",
        ]))
    );
    // The result notice, dated, in Word and text.
    env.ok(&[
        "action",
        "update",
        "1",
        "--progress",
        "40",
        "--note",
        "四楼已腾空",
    ]);
    let result = word(&bytes(
        &env,
        &[
            "notice",
            "result",
            "1",
            "--date",
            "2026-12-20",
            "--format",
            "docx",
        ],
    ));
    result.assert_official_layout();
    assert_eq!(result.body[0], "实施结果公开");
    assert!(
        result.has("进行中（40%），责任人王建国（2026年12月1日 40% 四楼已腾空）"),
        "{}",
        result.text()
    );
    assert!(result.has("2026年12月20日"));
    let html = env.ok(&[
        "notice",
        "result",
        "1",
        "--date",
        "2026-12-20",
        "--format",
        "html",
        "--lang",
        "en",
    ]);
    assert!(
        html.contains("<h1>Results of implementation</h1>"),
        "{html}"
    );
    assert!(html.contains("20 December 2026"), "{html}");
    // Bad dates and formats are refused before anything is written.
    let before = env.dump();
    let err = env.fails(&["notice", "decision", "M1", "--date", "2026-13-01"], 65);
    assert!(err.contains("--date \"2026-13-01\" is not a date"), "{err}");
    let err = env.fails(&["notice", "decision", "M1", "--format", "pdf"], 2);
    assert!(
        err.contains("possible values: text, md, html, docx, png, json"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
}

#[test]
fn notices_are_templates_a_community_can_override() {
    let env = convened();
    env.write(
        "my.txt.j2",
        "{{ community }}通知：{{ meeting.when }}在{{ meeting.place }}开会，联系{{ contact }}\n",
    );
    let out = env.ok(&["council", "notice", "M1", "--template", "my.txt.j2"]);
    assert_eq!(
        out,
        "汀塘社区通知：2026年12月1日（星期二）19:30在老村部三楼会议室开会，联系王秘书\n"
    );
    env.write("bad.j2", "{{ nosuchfield }}");
    let err = env.fails(&["council", "notice", "M1", "--template", "bad.j2"], 65);
    assert!(err.contains("template bad.j2 line 1"), "{err}");
}

#[test]
fn the_blank_sign_in_sheet_has_room_to_sign_and_nothing_prefilled() {
    let env = convened();
    let html = env.ok(&["council", "signin", "M1", "--blank", "4"]);
    for col in ["姓名", "席位", "签到时间", "签名", "备注"] {
        assert!(html.contains(&format!("<th>{col}</th>")), "{col}");
    }
    assert!(html.contains("汀塘社区第1次居民议事会签到表"), "{html}");
    assert!(html.contains("2026年12月1日（星期二）19:30"), "{html}");
    assert!(!html.contains("未签到") && !html.contains("草稿"), "{html}");
    // 8 members (one an observer) + 1 stakeholder invited, then 4 blank rows numbered on.
    assert_eq!(html.matches("<tr><td>").count(), 13, "{html}");
    assert!(html.contains("<tr><td>13</td><td></td>"), "{html}");
    // Seats in the configured order: the committee first, observers last.
    let wang = html.find("王建国").unwrap();
    let lin = html.find("林秀英").unwrap();
    let zhou = html.find("社工小周").unwrap();
    assert!(wang < lin && lin < zhou);
    let doc = word(&bytes(
        &env,
        &[
            "council", "signin", "M1", "--format", "docx", "--lang", "en",
        ],
    ));
    doc.assert_official_layout();
    assert_eq!(doc.body[0], "Sign-in sheet");
    assert_eq!(doc.body[1], "1st residents' council of 汀塘社区");
    for col in ["Name", "Seat", "Time", "Signature", "Notes"] {
        assert!(
            doc.body.iter().any(|p| p == col),
            "{col} in\n{}",
            doc.text()
        );
    }
    assert!(doc.body.iter().any(|p| p == "王建国"));
    assert!(
        doc.body.iter().any(|p| p == "14"),
        "blank rows numbered on (5 by default)"
    );
    assert!(!doc.text().contains("not signed in"));
}

#[test]
fn minutes_in_word_end_with_signature_lines() {
    let env = held();
    for lang in ["zh-CN", "en"] {
        let zh = lang == "zh-CN";
        let doc = word(&bytes(
            &env,
            &[
                "minutes", "export", "M1", "--format", "docx", "--lang", lang,
            ],
        ));
        doc.assert_official_layout();
        let text = doc.text();
        if zh {
            assert_eq!(doc.body[0], "汀塘社区第1次居民议事会会议纪要");
            assert!(
                doc.has("时间：2026年12月1日（星期二）19:35–21:10"),
                "{text}"
            );
            assert!(doc.has("应到"), "{text}");
            assert!(doc.has("一、出席情况") && doc.has("二、议题"), "{text}");
            assert!(doc.has("同意"), "{text}");
            assert!(
                doc.has("决议事项：将老村部四楼改造为儿童活动中心，并发起图书募捐"),
                "{text}"
            );
            assert!(
                doc.has("主持人（签名）：") && doc.has("记录人（签名）："),
                "{text}"
            );
            assert!(doc.has("附：签到表"), "{text}");
        } else {
            assert!(doc.body[0].starts_with("Minutes of the 1st residents' council"));
            assert!(doc.has("Chair (signature): ") && doc.has("Recorder (signature): "));
            assert!(doc.has("Resolution: "), "{text}");
        }
        // The signature lines come after the decisions, before the appendix.
        let sign = doc
            .body
            .iter()
            .position(|p| {
                p.contains(if zh {
                    "主持人（签名）"
                } else {
                    "Chair (signature)"
                })
            })
            .unwrap();
        let appendix = doc
            .body
            .iter()
            .position(|p| p.contains(if zh { "附：签到表" } else { "Appendix" }))
            .unwrap();
        assert!(sign < appendix);
        assert!(!text.contains("M1"), "documents say 第1次, not M1");
    }
}

#[test]
fn chat_group_text_has_no_markdown() {
    let env = held();
    let full = env.ok(&["minutes", "export", "M1", "--format", "text"]);
    let summary = env.ok(&["minutes", "export", "M1", "--format", "text", "--summary"]);
    let notice = env.ok(&["notice", "decision", "M1", "--date", "2026-12-02"]);
    for t in [&full, &summary, &notice] {
        for md in ["**", "|", "# ", "- ", "> "] {
            assert!(!t.contains(md), "{md:?} in\n{t}");
        }
    }
    insta::assert_snapshot!("minutes_zh_text", common::unanchored(&full));
    insta::assert_snapshot!("minutes_zh_summary", common::unanchored(&summary));
    insta::assert_snapshot!(
        "minutes_en_summary",
        common::unanchored(&env.ok(&[
            "minutes",
            "export",
            "M1",
            "--format",
            "text",
            "--summary",
            "--lang",
            "en"
        ]))
    );
    let err = env.fails(&["minutes", "export", "M1", "--summary"], 2);
    assert!(err.contains("--summary goes with --format text"), "{err}");
}

/// An .xlsx read back: (sheet name, rows of cell text; shared strings resolved, numbers raw),
/// and each sheet's XML for layout checks.
fn workbook(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>, String)> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the xlsx"))
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let strings_xml = read("xl/sharedStrings.xml");
    let mut strings = Vec::new();
    let mut reader = quick_xml::Reader::from_str(&strings_xml);
    let mut current = String::new();
    let mut in_t = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"t" => in_t = true,
            Event::End(e) if e.name().as_ref() == b"t" => in_t = false,
            Event::Text(t) if in_t => current.push_str(&t.decode().unwrap()),
            Event::End(e) if e.name().as_ref() == b"si" => {
                strings.push(std::mem::take(&mut current))
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let names: Vec<String> = read("xl/workbook.xml")
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect();
    let mut out = Vec::new();
    for (i, name) in names.into_iter().enumerate() {
        let xml = read(&format!("xl/worksheets/sheet{}.xml", i + 1));
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut shared = false;
        let mut in_v = false;
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) if e.name().as_ref() == b"c" => {
                    shared = e.attributes().any(|a| {
                        let a = a.unwrap();
                        a.key.as_ref() == b"t" && a.value.as_ref() == b"s"
                    });
                }
                Event::Start(e) if e.name().as_ref() == b"v" => in_v = true,
                Event::End(e) if e.name().as_ref() == b"v" => in_v = false,
                Event::Text(t) if in_v => {
                    let v = t.decode().unwrap().to_string();
                    row.push(if shared {
                        strings[v.parse::<usize>().unwrap()].clone()
                    } else {
                        v
                    });
                }
                Event::End(e) if e.name().as_ref() == b"row" => rows.push(std::mem::take(&mut row)),
                Event::Eof => break,
                _ => {}
            }
        }
        // The title row and the period line come before the table.
        assert!(rows.len() >= 3, "{name}: title, period and header rows");
        rows.drain(..2);
        out.push((name, rows, xml));
    }
    out
}

#[test]
fn the_yearly_ledger_is_a_workbook_with_one_sheet_per_table() {
    let env = Env::tingtang_demo();
    // Typed with a channel's English key: the Chinese ledger still says 线下.
    env.ok(&[
        "--db",
        "tingtang.db",
        "issue",
        "add",
        "路灯不亮",
        "--channel",
        "offline",
        "--by",
        "李大爷",
        "--category",
        "facilities",
        "--date",
        "2026-11-01",
    ]);
    env.ok(&[
        "--db",
        "tingtang.db",
        "ledger",
        "--year",
        "2026",
        "-o",
        "台账.xlsx",
    ]);
    let book = workbook(&std::fs::read(env.path("台账.xlsx")).unwrap());
    let names: Vec<&str> = book.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "议题",
            "会议",
            "表决",
            "决议",
            "落实",
            "公示",
            "评议",
            "答复",
            "答复率"
        ]
    );
    for (name, rows, xml) in &book {
        assert!(
            xml.contains(r#"ySplit="3""#) && xml.contains(r#"state="frozen""#),
            "{name}: header row frozen"
        );
        assert!(xml.contains("<cols>"), "{name}: column widths");
        assert!(!rows.is_empty());
    }
    let issues = &book[0].1;
    assert_eq!(
        issues[0],
        [
            "编号",
            "议题",
            "提出人",
            "渠道",
            "类别",
            "提出日期",
            "状态",
            "不予受理原因",
            "并入",
            "再次提出",
            "异议所指决议",
            "上报街道"
        ]
    );
    assert_eq!(issues[1][1], "儿童没有课外活动场所");
    assert_eq!(issues[1][2], "陈**", "residents masked");
    // 2026-05-12 as an Excel serial date, not text.
    assert_eq!(issues[1][5], "46154");
    let added = issues.last().unwrap();
    assert_eq!(
        [&added[1], &added[3], &added[6]],
        ["路灯不亮", "线下", "已收集"],
        "channel and status in words"
    );
    let meetings = &book[1].1;
    assert_eq!(meetings.len(), 2);
    assert_eq!(&meetings[1][..2], ["第1次", "汀塘社区第1次居民议事会"]);
    assert_eq!(
        meetings[1][2], "46185.8125",
        "2026-06-12 19:30 as an Excel date-time"
    );
    assert_eq!(&meetings[1][6..8], ["9", "8"]);
    assert_eq!(meetings[1][11], "3", "items");
    assert_eq!(meetings[1][12], "已散会");
    let resolutions = &book[3].1;
    assert_eq!(resolutions.len(), 4, "three resolutions under the header");
    assert!(resolutions[1][3].starts_with("将老村部四楼改造为儿童活动中心"));
    assert_eq!(resolutions[1][4], "王建国");
    let actions = &book[4].1;
    assert_eq!(
        actions[1][5], "1",
        "100% progress as a number formatted as percent"
    );
    assert!(book[6].1.len() > 1, "feedback rows");
    let en = workbook(&bytes(
        &env,
        &[
            "--db",
            "tingtang.db",
            "ledger",
            "--year",
            "2026",
            "--lang",
            "en",
        ],
    ));
    assert_eq!(en[3].0, "Resolutions");
    assert_eq!(en[1].1[1][0], "1st");
    assert_eq!(en[1].1[1][12], "Closed");
    let added = en[0].1.last().unwrap();
    assert_eq!([&added[3], &added[6]], ["offline", "Collected"]);
    // A year with nothing gives empty sheets with headers, not an error.
    let empty = workbook(&bytes(
        &env,
        &["--db", "tingtang.db", "ledger", "--year", "2020"],
    ));
    assert!(empty.iter().all(|s| s.1.len() == 1));
}

#[test]
fn the_report_for_print_names_its_period_and_lists_resolutions() {
    let env = Env::tingtang_demo();
    let html = env.ok(&["--db", "tingtang.db", "report", "--html"]);
    // No --from/--to: the period is the whole range of the data.
    assert!(html.contains("统计期间：2026年5月12日至"), "{html}");
    let dated = env.ok(&[
        "--db",
        "tingtang.db",
        "report",
        "--html",
        "--from",
        "2026-06-01",
        "--to",
        "2026-06-30",
    ]);
    assert!(
        dated.contains("统计期间：2026年6月1日至2026年6月30日"),
        "{dated}"
    );
    // The resolutions with owner, due date, progress and satisfaction, on their own page.
    assert!(html.contains("<h2>决议落实情况</h2>"), "{html}");
    assert!(html.contains("page-break-before: always"));
    assert!(
        html.contains("王建国") && html.contains("2026年8月31日") && html.contains("已完成"),
        "{html}"
    );
    assert!(html.contains("分（"), "satisfaction per issue: {html}");
    // A 0.19% participation rate is a label at the bar's start, not an invisible sliver;
    // rates are drawn against 100%.
    let rates = html
        .split("<figcaption>主要比率</figcaption>")
        .nth(1)
        .unwrap();
    let rates = rates.split("</figure>").next().unwrap();
    assert_eq!(rates.matches("<rect").count(), 3, "{rates}");
    assert!(rates.contains(">0.19%<"), "{rates}");
}

/// A sheet of an .xlsx as calamine reads it: rows of cells, from the table's header row on
/// (under the title row and the period line).
fn calamine_sheet(bytes: &[u8], name: &str) -> Vec<Vec<calamine::Data>> {
    calamine_all(bytes, name).split_off(2)
}

/// Every row of a sheet, the title and period lines included.
pub fn calamine_all(bytes: &[u8], name: &str) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    let range = book.worksheet_range(name).expect("the sheet");
    assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &calamine::Data) -> String {
    d.to_string()
}

fn number(d: &calamine::Data) -> f64 {
    match d {
        calamine::Data::Float(f) => *f,
        calamine::Data::Int(i) => *i as f64,
        other => panic!("{other:?} is not a number"),
    }
}

#[test]
fn the_report_as_a_workbook_has_the_figures_as_numbers() {
    let env = Env::tingtang_demo();
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["--db", "tingtang.db", "report", "--json"])).unwrap();
    env.ok(&[
        "--db",
        "tingtang.db",
        "report",
        "--format",
        "xlsx",
        "-o",
        "报告.xlsx",
    ]);
    let book = std::fs::read(env.path("报告.xlsx")).unwrap();
    let figures = calamine_sheet(&book, "指标");
    assert_eq!(
        figures[0].iter().map(text).collect::<Vec<_>>(),
        ["指标", "数值", "分子", "分母", "口径"]
    );
    assert_eq!(text(&figures[1][0]), "统计期间");
    assert!(text(&figures[1][4]).starts_with("2026年5月12日至"));
    let row = |label: &str| {
        figures
            .iter()
            .find(|r| text(&r[0]) == label)
            .unwrap_or_else(|| panic!("no row {label}: {figures:?}"))
    };
    assert_eq!(
        number(&row("议题总数")[1]),
        json["issues_total"].as_f64().unwrap()
    );
    assert_eq!(
        number(&row("召开议事会")[1]),
        json["meetings_held"].as_f64().unwrap()
    );
    // A rate is a number between 0 and 1 (formatted as a percentage) beside its parts.
    let attendance = row("出席率");
    assert_eq!(
        number(&attendance[1]),
        json["attendance"]["rate"].as_f64().unwrap()
    );
    assert_eq!(
        number(&attendance[2]),
        json["attendance"]["numerator"].as_f64().unwrap()
    );
    assert_eq!(
        number(&attendance[3]),
        json["attendance"]["denominator"].as_f64().unwrap()
    );
    // 四议两公开: the count of `issue show`'s checklist, as in the JSON.
    let cycle = row("四议两公开全部完成");
    assert_eq!(
        number(&cycle[2]),
        json["cycle_complete"]["numerator"].as_f64().unwrap()
    );
    assert_eq!(
        number(&cycle[3]),
        json["cycle_complete"]["denominator"].as_f64().unwrap()
    );
    assert!(json["cycle_complete"]["denominator"].as_u64().unwrap() > 0);
    let by = calamine_sheet(&book, "议题分类");
    let status_total: f64 = by
        .iter()
        .skip(1)
        .filter(|r| text(&r[0]) == "议题状态")
        .map(|r| number(&r[2]))
        .sum();
    assert_eq!(status_total, json["issues_total"].as_f64().unwrap());
    assert!(
        by.iter()
            .any(|r| text(&r[1]) == "已办结" || text(&r[1]) == "已合并")
    );
    let resolutions = calamine_sheet(&book, "决议落实");
    assert_eq!(text(&resolutions[0][3]), "责任人");
    assert_eq!(resolutions.len(), 4, "three resolutions under the header");
    assert!(text(&resolutions[1][2]).starts_with("将老村部四楼改造为儿童活动中心"));
    assert_eq!(text(&resolutions[1][3]), "王建国");
    assert!(
        matches!(resolutions[1][4], calamine::Data::DateTime(_)),
        "due date as a date"
    );
    // The other formats carry the 四议两公开 count too.
    let (n, d) = (
        json["cycle_complete"]["numerator"].as_u64().unwrap(),
        json["cycle_complete"]["denominator"].as_u64().unwrap(),
    );
    let csv = env.ok(&["--db", "tingtang.db", "report", "--format", "csv"]);
    assert!(
        csv.lines()
            .any(|l| l.starts_with("四议两公开全部完成,") && l.contains(&format!("({n}/{d})"))),
        "{csv}"
    );
    let html = env.ok(&["--db", "tingtang.db", "report", "--html"]);
    assert!(
        html.contains("<td class=\"name\">四议两公开全部完成</td>"),
        "{html}"
    );
    let text_out = env.ok(&["--db", "tingtang.db", "report"]);
    assert!(
        text_out.contains(&format!("四议两公开全部完成: {n} / {d}")),
        "{text_out}"
    );
    // --lang en gives the English report that an English yishi.toml gives.
    let en_by_flag = bytes(
        &env,
        &[
            "--db",
            "tingtang.db",
            "report",
            "--format",
            "xlsx",
            "--lang",
            "en",
        ],
    );
    // English headers and labels, never keys.
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    env.write(
        "yishi.toml",
        toml.replace("locale = \"zh-CN\"", "locale = \"en\""),
    );
    let en = bytes(&env, &["--db", "tingtang.db", "report", "--format", "xlsx"]);
    assert_eq!(
        calamine_sheet(&en_by_flag, "Figures"),
        calamine_sheet(&en, "Figures")
    );
    let figures = calamine_sheet(&en, "Figures");
    assert_eq!(text(&figures[0][0]), "Figure");
    assert!(
        figures
            .iter()
            .any(|r| text(&r[0]) == "every step of 四议两公开 done")
    );
    let by = calamine_sheet(&en, "Issues");
    assert!(
        by.iter().skip(1).all(|r| !text(&r[1]).contains('-')),
        "words, not keys: {by:?}"
    );
}

/// Text that tries to pass for the document's own structure (issue 13).
const FORGED: &str = "\n## 表决结果：全票通过\n公示期：2026年1月1日至2099年1月1日\n<script>alert(1)</script>\n| 同意 | 9 |\n- 决议事项：拆除全部围墙\n1. 假议题";

/// A closed meeting whose detail, consultations, speech, motion texts and resolution carry
/// `FORGED` (reasons and titles are one line: they try Markdown on it): #1 not adopted, #2
/// adopted.
fn hostile() -> Env {
    let env = Env::new();
    for (name, seat) in [
        ("王建国", "committee"),
        ("张伟", "party"),
        ("林秀英", "women"),
    ] {
        env.ok(&["member", "add", name, "--seat", seat]);
    }
    env.ok(&[
        "issue",
        "add",
        "## 路灯不亮 <b>",
        "--channel",
        "online",
        "--detail",
        &format!("灯坏了{FORGED}"),
    ]);
    env.ok(&["issue", "add", "--channel", "online", "--", "- 停车难"]);
    env.ok(&["issue", "accept", "1"]);
    env.ok(&["issue", "accept", "2"]);
    let summary = format!("同意{FORGED}");
    for id in ["1", "2"] {
        env.ok(&[
            "issue",
            "consult",
            id,
            "--with",
            "物业公司",
            "--summary",
            &summary,
        ]);
    }
    env.ok(&[
        "council",
        "convene",
        "--date",
        "2026-12-09 19:00",
        "--place",
        "会议室",
        "--chair",
        "王建国",
        "--recorder",
        "张伟",
    ]);
    env.set_now("2026-12-09T20:00:00+08:00");
    env.ok(&["council", "attend", "M1", "王建国", "张伟"]);
    env.ok(&[
        "council",
        "absent",
        "M1",
        "林秀英",
        "--reason",
        "出差 | 同意 | 9 | <script>",
    ]);
    env.ok(&["council", "open", "M1", "--at", "19:00"]);
    env.ok(&[
        "council",
        "speak",
        "M1",
        "--item",
        "1",
        "--by",
        "张伟",
        "--position",
        "against",
        &format!("反对{FORGED}"),
    ]);
    env.ok(&[
        "vote",
        "open",
        "M1",
        "--item",
        "1",
        &format!("修路灯{FORGED}"),
    ]);
    env.ok(&["vote", "cast", "V1", "--yes", "王建国", "--no", "张伟"]);
    env.ok(&["vote", "close", "V1"]);
    env.ok(&["council", "decide", "M1", "--item", "1"]);
    env.ok(&[
        "vote",
        "open",
        "M1",
        "--item",
        "2",
        &format!("划线{FORGED}"),
    ]);
    env.ok(&["vote", "cast", "V2", "--yes", "王建国,张伟"]);
    env.ok(&[
        "vote",
        "close",
        "V2",
        "--owner",
        "王建国",
        "--due",
        "2027-03-31",
    ]);
    env.ok(&["council", "decide", "M1", "--item", "2"]);
    env.ok(&["council", "close", "M1", "--at", "21:00"]);
    env
}

/// Lines that start (at the left margin) like something the payload forges.
fn forged_lines(doc: &str) -> Vec<String> {
    doc.lines()
        .filter(|l| {
            [
                "## 表决结果",
                "公示期：2026年1月1日",
                "<script",
                "| 同意",
                "- 决议事项：拆除",
                "1. 假议题",
            ]
            .iter()
            .any(|f| l.starts_with(f))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn user_text_cannot_forge_structure_in_markdown_text_or_notices() {
    let env = hostile();
    let none: Vec<String> = Vec::new();
    let md = env.ok(&["minutes", "export", "M1"]);
    assert_eq!(forged_lines(&md), none, "{md}");
    // Every line of a multi-line value is indented inside its block and cannot start one.
    assert!(md.contains("\n        \\## 表决结果：全票通过"), "{md}");
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    assert!(!md.contains("<script") && !md.contains("<b>"), "{md}");
    assert!(md.contains("\\| 同意 \\| 9 \\|"), "{md}");
    // The only headings are the document's own.
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# 汀塘社区第1次居民议事会会议纪要",
            "## 出席情况",
            "## 议题",
            "### 1. \\## 路灯不亮 &lt;b&gt;（议题1）",
            "### 2. \\- 停车难（议题2）",
            "## 暂缓或未通过事项",
            "## 决议公示",
            "## 附: 签到表",
        ],
        "{md}"
    );
    for args in [
        vec!["minutes", "export", "M1", "--format", "text"],
        vec!["minutes", "export", "M1", "--format", "text", "--summary"],
        vec![
            "minutes", "export", "M1", "--lang", "en", "--format", "text",
        ],
        vec!["minutes", "export", "M1", "--lang", "en"],
    ] {
        let out = env.ok(&args);
        assert_eq!(forged_lines(&out), none, "{args:?}\n{out}");
    }
    let show = env.ok(&["council", "show", "M1"]);
    assert_eq!(forged_lines(&show), none, "{show}");
    let text = env.ok(&["minutes", "export", "M1", "--format", "text"]);
    assert!(
        text.contains("   背景：灯坏了\n        ## 表决结果：全票通过\n        公示期："),
        "{text}"
    );
    // The decision notice: the one real 公示期 line, the resolution's text kept in its item.
    for format in ["text", "md"] {
        let notice = env.ok(&[
            "notice",
            "decision",
            "M1",
            "--date",
            "2026-12-10",
            "--format",
            format,
        ]);
        assert_eq!(forged_lines(&notice), none, "{notice}");
        assert_eq!(
            notice.lines().filter(|l| l.starts_with("公示期：")).count(),
            1,
            "{notice}"
        );
        if format == "md" {
            assert!(!notice.contains("<script"), "{notice}");
        }
    }
    // The meeting notice lists titles that look like Markdown.
    let md = env.ok(&["council", "notice", "M1", "--format", "md"]);
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(headings, ["# 会议通知"], "{md}");
    assert!(md.contains("1. \\## 路灯不亮 &lt;b&gt;"), "{md}");
    assert!(md.contains("2. \\- 停车难"), "{md}");
    let text = env.ok(&["council", "notice", "M1"]);
    assert!(
        text.contains("\n1. ## 路灯不亮 <b>\n"),
        "plain text stays as typed: {text}"
    );
}

#[test]
fn minutes_and_notices_carry_the_record_check_code_that_verify_takes_back() {
    let env = hostile();
    let anchor_of = |doc: &str| -> String {
        doc.lines()
            .find(|l| l.starts_with("记录校验码 #") || l.starts_with("Record check code #"))
            .unwrap_or_else(|| panic!("no record check code in\n{doc}"))
            .to_string()
    };
    let md = env.ok(&["minutes", "export", "M1"]);
    let anchor = anchor_of(&md);
    // The anchor of a closed meeting is its close: later events do not change the minutes.
    env.ok(&["issue", "add", "新议题", "--channel", "online"]);
    env.ok(&["notice", "decision", "M1", "--date", "2026-12-10"]);
    assert_eq!(env.ok(&["minutes", "export", "M1"]), md);
    for format in ["text", "html"] {
        let doc = env.ok(&["minutes", "export", "M1", "--format", format]);
        assert!(doc.contains(&anchor), "{format}: {doc}");
    }
    let en = env.ok(&[
        "minutes", "export", "M1", "--lang", "en", "--format", "text",
    ]);
    assert_eq!(
        anchor_of(&en),
        anchor.replace("记录校验码", "Record check code")
    );
    let doc = word(&bytes(
        &env,
        &["minutes", "export", "M1", "--format", "docx"],
    ));
    assert_eq!(doc.footer[1], anchor, "in the footer of every page");
    // verify takes the printed line back, in either language.
    let ok = env.ok(&["verify", "--anchor", &anchor]);
    assert!(ok.contains("passes through 1 anchor(s)"), "{ok}");
    env.ok(&["verify", "--anchor", &anchor_of(&en)]);
    // One digit changed: the record does not pass through that point.
    let last = anchor.chars().last().unwrap();
    let flipped = format!(
        "{}{}",
        &anchor[..anchor.len() - 1],
        if last == '0' { '1' } else { '0' }
    );
    let out = env
        .cmd()
        .args(["verify", "--anchor", &flipped])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("does not match the anchor"), "{said}");
    // Notices print the head when they are made, in every format.
    let head = |env: &Env| {
        env.ok(&["verify"])
            .lines()
            .find(|l| l.starts_with("记录校验码"))
            .unwrap()
            .to_string()
    };
    let now = head(&env);
    let notice = env.ok(&["council", "notice", "M1", "--format", "md"]);
    assert_eq!(anchor_of(&notice), now);
    let html = env.ok(&["council", "notice", "M1", "--format", "html"]);
    assert!(html.contains(&now), "{html}");
    let doc = word(&bytes(
        &env,
        &["council", "notice", "M1", "--format", "docx"],
    ));
    assert_eq!(doc.footer[1], now);
    let before = head(&env);
    let result = env.ok(&["notice", "result", "2", "--date", "2027-01-05"]);
    assert_eq!(anchor_of(&result), before);
    env.ok(&["verify", "--anchor", &anchor_of(&result)]);
    // Deleting the tail of the log is caught against the anchor of the latest notice.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(
        "DELETE FROM seals WHERE seq >= (SELECT max(seq) - 1 FROM events);
         DELETE FROM events WHERE seq >= (SELECT max(seq) - 1 FROM events);",
    )
    .unwrap();
    drop(conn);
    env.fails(&["verify", "--anchor", &before], 1);
}

#[test]
fn word_and_excel_files_follow_the_output_file_rules() {
    use std::os::unix::fs::PermissionsExt;
    let env = held();
    // Each writer is given names with its own extension (-o picks the format by name).
    for ext in ["docx", "xlsx"] {
        env.write(&format!("victim.{ext}"), "keep me");
        std::os::unix::fs::symlink(
            env.path(&format!("victim.{ext}")),
            env.path(&format!("link.{ext}")),
        )
        .unwrap();
    }
    let writers: [&[&str]; 5] = [
        &["minutes", "export", "M1", "--format", "docx", "-o"],
        &["council", "notice", "M1", "--format", "docx", "-o"],
        &["council", "signin", "M1", "--format", "docx", "-o"],
        &["ledger", "--year", "2026", "-o"],
        &["report", "--format", "xlsx", "-o"],
    ];
    for args in writers {
        let ext = if args.contains(&"docx") {
            "docx"
        } else {
            "xlsx"
        };
        let with = |target: &str, force: bool| {
            let mut a: Vec<&str> = args.to_vec();
            let target = target.replace(".docx", &format!(".{ext}"));
            a.push(&target);
            if force {
                a.push("--overwrite");
            }
            env.cmd().args(&a).output().unwrap()
        };
        // A symlink is refused even with --overwrite; an existing file needs --overwrite.
        let out = with("link.docx", true);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
        let out = with("victim.docx", false);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--overwrite"));
        assert_eq!(
            std::fs::read(env.path(&format!("victim.{ext}"))).unwrap(),
            b"keep me"
        );
        // New files are private, and no temporary file is left beside them.
        let out = with("out/new.bin", false);
        assert!(out.status.success(), "{args:?}");
        let mode = std::fs::metadata(env.path("out/new.bin"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{args:?}");
        let folder = std::fs::metadata(env.path("out"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(folder & 0o777, 0o700);
        std::fs::remove_file(env.path("out/new.bin")).unwrap();
        assert_eq!(std::fs::read_dir(env.path("out")).unwrap().count(), 0);
    }
}

/// Every number and date in the ledger and the report keeps a margin on its right (a `_0_0`
/// padding in its number format), so that a right-aligned value never touches the text of the
/// next column; text cells keep the default style.
#[test]
fn workbook_numbers_and_dates_keep_a_margin_from_the_next_column() {
    let env = Env::tingtang_demo();
    let books = [
        bytes(&env, &["--db", "tingtang.db", "ledger", "--year", "2026"]),
        bytes(&env, &["--db", "tingtang.db", "report", "--format", "xlsx"]),
    ];
    for book in books {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).expect("a zip archive");
        let mut read = |name: &str| {
            let mut s = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let styles = read("xl/styles.xml");
        // The custom formats (dates, times, percentages, decimals) and the index of each cell
        // style, in order, with its number format.
        let custom: Vec<(String, String)> = styles
            .split("<numFmt ")
            .skip(1)
            .map(|f| {
                let attr = |name: &str| {
                    f.split(&format!("{name}=\""))
                        .nth(1)
                        .and_then(|v| v.split('"').next())
                        .unwrap()
                        .to_string()
                };
                (attr("numFmtId"), attr("formatCode"))
            })
            .collect();
        assert!(!custom.is_empty(), "{styles}");
        for (_, code) in &custom {
            assert!(code.ends_with("_0_0"), "format {code} has no margin");
        }
        let cell_xfs = styles.split("<cellXfs").nth(1).unwrap();
        let xf_formats: Vec<String> = cell_xfs
            .split("<xf ")
            .skip(1)
            .map(|x| {
                x.split("numFmtId=\"")
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                    .unwrap()
                    .to_string()
            })
            .collect();
        let padded = |style: usize| custom.iter().any(|(id, _)| *id == xf_formats[style]);
        let mut numbers = 0;
        for i in 1.. {
            let Ok(mut file) = zip.by_name(&format!("xl/worksheets/sheet{i}.xml")) else {
                break;
            };
            let mut xml = String::new();
            file.read_to_string(&mut xml).unwrap();
            for cell in xml.split("<c ").skip(1) {
                let head = cell.split('>').next().unwrap();
                if head.contains("t=\"s\"") || !cell.contains("<v>") {
                    continue;
                }
                numbers += 1;
                let style: usize = head
                    .split("s=\"")
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                    .map_or(0, |s| s.parse().unwrap());
                assert!(
                    padded(style),
                    "sheet{i}: number cell <c {head}> has no margin"
                );
            }
        }
        assert!(numbers > 10, "numbers and dates found: {numbers}");
    }
}

/// One part of a .docx as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the docx"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn word_documents_follow_gbt9704_styles() {
    let env = held();
    let minutes = bytes(&env, &["minutes", "export", "M1", "--format", "docx"]);
    let xml = part(&minutes, "word/document.xml");
    // Title: 2号 (22 pt = 44 half-points) 小标宋, not bold.
    let face = xml.find("方正小标宋简体").expect("the title face");
    let title_run = &xml[xml[..face].rfind("<w:r>").unwrap()..];
    let title_run = &title_run[..title_run.find("</w:r>").unwrap()];
    assert!(title_run.contains(r#"<w:sz w:val="44" />"#), "{title_run}");
    assert!(!title_run.contains("<w:b />"), "{title_run}");
    // First-level headings 黑体, second-level 楷体, body 仿宋 on exact 28 pt lines.
    for face in ["黑体", "楷体", "仿宋"] {
        assert!(
            xml.contains(&format!(r#"w:eastAsia="{face}""#)),
            "{face} in the minutes"
        );
    }
    assert!(xml.contains(r#"<w:spacing w:line="560" w:lineRule="exact" />"#));
    let body = word(&minutes);
    let sub = body.body.iter().find(|p| p.starts_with("（一）")).unwrap();
    let at = xml.find(sub.as_str()).unwrap_or(0);
    assert!(
        xml[..at]
            .rfind("w:eastAsia=")
            .map(|i| &xml[i..at])
            .unwrap()
            .contains("楷体"),
        "（一） in 楷体"
    );
    // 「— 1 —」 at the outside edges: odd pages right, even pages left.
    let odd = part(&minutes, "word/footer1.xml");
    let even = part(&minutes, "word/footer2.xml");
    assert!(odd.contains(r#"<w:jc w:val="right" />"#) && odd.contains("PAGE"));
    assert!(even.contains(r#"<w:jc w:val="left" />"#) && even.contains("PAGE"));
    assert!(part(&minutes, "word/settings.xml").contains("evenAndOddHeaders"));
    // The fonts carry their alternatives for a PC without the GB faces.
    let fonts = part(&minutes, "word/fontTable.xml");
    assert!(fonts.contains(r#"<w:font w:name="仿宋"><w:altName w:val="FangSong" />"#));
    // The signature lines keep with what is above them.
    let sign = xml.find("主持人（签名）").unwrap();
    let before = &xml[..sign];
    let para = &before[before.rfind("<w:p ").unwrap()..];
    assert!(para.contains("<w:keepNext />"), "{para}");

    // The sign-in sheet: the header row repeats, rows never split, chair and recorder sign.
    let signin = bytes(
        &env,
        &[
            "council", "signin", "M1", "--format", "docx", "--blank", "30",
        ],
    );
    let xml = part(&signin, "word/document.xml");
    assert_eq!(
        xml.matches("<w:tblHeader />").count(),
        1,
        "one table, one header row"
    );
    assert!(xml.contains("<w:cantSplit />"));
    let sheet = word(&signin);
    assert!(sheet.has("主持人（签名）") && sheet.has("记录人（签名）"));

    // The decision notice: 22 pt title (not a 36 pt poster), the date 右空四字, and the
    // seal's place worded only on a draft.
    let notice = bytes(
        &env,
        &[
            "notice",
            "decision",
            "M1",
            "--date",
            "2026-12-02",
            "--format",
            "docx",
        ],
    );
    let xml = part(&notice, "word/document.xml");
    assert!(!xml.contains(r#"<w:sz w:val="72" />"#));
    let date = xml.rfind("2026年12月2日").unwrap();
    let p = &xml[xml[..date].rfind("<w:p ").unwrap()..date];
    assert!(p.contains(r#"w:right="1280""#), "右空四字: {p}");
    assert!(!word(&notice).has("（盖章处）"));
    let draft = bytes(
        &env,
        &["notice", "decision", "M1", "--format", "docx", "--draft"],
    );
    assert!(word(&draft).has("（盖章处）") && word(&draft).has("草稿"));
}
