//! Residents answer back: a 问卷星 / 腾讯问卷 export imports with no flags (numbered questions,
//! the pass-through parameter column), and a result notice carries a QR code to the survey
//! with the issue's id, read back here by a QR decoder from the HTML's SVG and Word's picture.

use crate::common;
use common::Env;

/// The feedback stored, as "#issue satisfaction" lines in order.
fn feedback_of(env: &Env) -> Vec<String> {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let mut stmt = conn
        .prepare("SELECT issue_id, satisfaction FROM feedback ORDER BY issue_id, satisfaction")
        .unwrap();
    stmt.query_map([], |r| {
        Ok(format!("#{} {}", r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn survey_exports_with_numbered_questions_or_the_link_parameter_import_with_no_flags() {
    for (fixture, expected) in [
        // 2、您评议的议题编号： and #2 in a cell; 非常满意 5, 满意 4, 不满意 2.
        ("wjx-feedback.csv", vec!["#1 5", "#2 2", "#2 4"]),
        // No issue question: 自定义字段 holds what the QR code's sojumpparm carried.
        ("wjx-feedback-param.csv", vec!["#1 5", "#2 3", "#2 4"]),
        // Q2. 您评议的议题编号
        ("tencent-feedback.csv", vec!["#1 4", "#2 5"]),
    ] {
        let env = Env::new();
        env.held();
        let name = common::survey_fixture(&env, fixture);
        let (_, note) = env.ok_both(&["feedback", "import", &name]);
        assert!(
            note.contains(&format!("imported {} answer(s)", expected.len())),
            "{fixture}: {note}"
        );
        assert_eq!(feedback_of(&env), expected, "{fixture}");
    }
}

/// The dark modules of the SVG the notice embeds (`M{x},{y}h{w}v1h-{w}z` runs), as a
/// greyscale bitmap `scale` pixels a module, then decoded.
fn decode_svg(svg: &str) -> String {
    let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let n: usize = view.split(' ').next().unwrap().parse().unwrap();
    let d = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut dark = vec![false; n * n];
    for run in d.split('M').filter(|r| !r.is_empty()) {
        let (xy, rest) = run.split_once('h').unwrap();
        let (x, y) = xy.split_once(',').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let w: usize = rest.split('v').next().unwrap().parse().unwrap();
        for i in x..x + w {
            dark[y * n + i] = true;
        }
    }
    let scale = 6;
    let side = n * scale;
    decode_grey(side, side, |x, y| {
        if dark[(y / scale) * n + x / scale] {
            0
        } else {
            255
        }
    })
}

fn decode_grey(w: usize, h: usize, pixel: impl Fn(usize, usize) -> u8) -> String {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, pixel);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

fn decode_png(bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.line_size / w;
    decode_grey(w, h, |x, y| buf[y * info.line_size + x * channels])
}

fn with_survey(env: &Env) {
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    let configured = toml.replace(
        "# survey_url = \"https://www.wjx.cn/vm/XXXXXX.aspx\"",
        "survey_url = \"https://www.wjx.cn/vm/tingtang.aspx\"",
    );
    assert_ne!(configured, toml, "the template names survey_url");
    env.write("yishi.toml", configured);
}

#[test]
fn a_result_notice_carries_a_qr_code_to_the_survey_with_the_issue_id() {
    let env = Env::new();
    env.held();
    // Without a survey: no QR code.
    let html = env.ok(&["notice", "result", "1", "--format", "html", "--dry-run"]);
    assert!(!html.contains("<svg"), "{html}");
    with_survey(&env);
    env.ok(&["notice", "result", "1"]);
    let html = env.ok(&["notice", "result", "1", "--format", "html"]);
    assert!(html.contains("扫码评议"), "{html}");
    assert!(
        html.contains("<p class=\"qr-title\">儿童没有课外活动场所</p>"),
        "{html}"
    );
    let svg = &html[html.find("<svg").unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap() + 6];
    assert_eq!(
        decode_svg(svg),
        "https://www.wjx.cn/vm/tingtang.aspx?sojumpparm=1"
    );
    // The text kept as posted has no link in it: the code is a rendering.
    let text = env.ok(&["notice", "result", "1"]);
    assert!(!text.contains("wjx.cn"), "{text}");
    // Word: the picture in word/media decodes to the same link.
    env.ok(&["notice", "result", "1", "-o", "结果公开.docx"]);
    let file = std::fs::File::open(env.path("结果公开.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let media: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .map(String::from)
        .collect();
    assert_eq!(media.len(), 1, "{media:?}");
    let mut png = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name(&media[0]).unwrap(), &mut png).unwrap();
    assert_eq!(
        decode_png(&png),
        "https://www.wjx.cn/vm/tingtang.aspx?sojumpparm=1"
    );
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains("扫码评议"), "caption in Word");
    // A survey address with a query keeps it, and a bad address is refused with its key.
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    env.write(
        "yishi.toml",
        toml.replace("tingtang.aspx\"", "tingtang.aspx?source=notice\"")
            .replace("survey_param = \"sojumpparm\"", "survey_param = \"issue\""),
    );
    let html = env.ok(&["notice", "result", "1", "--format", "html"]);
    let svg = &html[html.find("<svg").unwrap()..];
    assert_eq!(
        decode_svg(&svg[..svg.find("</svg>").unwrap() + 6]),
        "https://www.wjx.cn/vm/tingtang.aspx?source=notice&issue=1"
    );
    env.write(
        "yishi.toml",
        toml.replace("https://www.wjx.cn/vm/tingtang.aspx", "javascript:alert(1)"),
    );
    let e = env.fails(&["notice", "result", "1", "--format", "html"], 65);
    assert!(e.contains("feedback.survey_url"), "{e}");
}

/// Greyscale rows of a PNG notice: (width, height, luma per pixel).
fn pixels(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.line_size / w;
    let luma = (0..w * h)
        .map(|i| {
            let p = &buf[(i / w) * info.line_size + (i % w) * channels..];
            // RGBA over white: a transparent pixel is white.
            let a = if channels == 4 { p[3] as u32 } else { 255 };
            let grey = (p[0] as u32 * 3 + p[1] as u32 * 6 + p[2] as u32) / 10;
            (255 - (255 - grey) * a / 255) as u8
        })
        .collect();
    (w, h, luma)
}

/// Bands of rows with ink, separated by white rows: one per line of text (OCR-free).
fn text_bands(w: usize, h: usize, luma: &[u8]) -> usize {
    let inked: Vec<bool> = (0..h)
        .map(|y| luma[y * w..(y + 1) * w].iter().any(|&l| l < 160))
        .collect();
    inked.windows(2).filter(|p| !p[0] && p[1]).count() + usize::from(inked[0])
}

#[test]
fn a_notice_as_a_phone_image_is_1080_wide_with_its_lines_and_qr_code() {
    let env = Env::new();
    env.held();
    env.ok(&["notice", "result", "1"]);
    let (_, said) = env.ok_both(&["notice", "result", "1", "-o", "结果.png"]);
    let lines: usize = said
        .split(" lines of text")
        .next()
        .and_then(|s| s.rsplit(", ").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    let png = std::fs::read(env.path("结果.png")).unwrap();
    let (w, h, luma) = pixels(&png);
    assert_eq!(w, 1080);
    assert!(h > 800, "{h}");
    let ink = luma.iter().filter(|&&l| l < 160).count();
    assert!(ink > w * h / 100, "not blank: {ink} dark pixels");
    // The layout's lines are the lines drawn: each a band of ink. The fixture (held M1's
    // result notice for #1, no survey): 汀塘社区 name, title, intro and the action, the note,
    // signer, date and the check code.
    assert_eq!(text_bands(w, h, &luma), lines, "{said}");
    assert!(lines >= 8, "{said}");
    // With a survey, the image carries the QR code, which decodes to the link.
    with_survey(&env);
    env.ok(&["notice", "result", "1", "-o", "结果2.png"]);
    let png = std::fs::read(env.path("结果2.png")).unwrap();
    let (w, h, luma) = pixels(&png);
    assert_eq!(
        decode_grey(w, h, |x, y| luma[y * w + x]),
        "https://www.wjx.cn/vm/tingtang.aspx?sojumpparm=1"
    );
    // A binary format on a terminal needs -o; png is refused with --template.
    env.fails(
        &[
            "notice",
            "result",
            "1",
            "--format",
            "png",
            "--template",
            "x.j2",
        ],
        2,
    );
}

/// Without a CJK font on the machine, a phone image is refused with what to install (exit 74)
/// and nothing is written. (FONTCONFIG_FILE names a configuration whose only folder is empty.)
#[test]
fn without_a_cjk_font_a_phone_image_says_what_to_install() {
    let env = Env::new();
    env.held();
    env.ok(&["notice", "result", "1"]);
    std::fs::create_dir(env.path("no-fonts")).unwrap();
    let conf = env.write(
        "fonts.conf",
        format!(
            "<?xml version=\"1.0\"?>\n<fontconfig><dir>{}</dir></fontconfig>\n",
            env.path("no-fonts").display()
        ),
    );
    let out = env
        .cmd()
        .env("FONTCONFIG_FILE", &conf)
        .args(["notice", "result", "1", "-o", "结果.png"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(74));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fonts-noto-cjk"), "{err}");
    assert!(!env.path("结果.png").exists());
}

#[test]
fn the_minutes_summary_as_a_phone_image_has_its_lines_and_only_the_summary_is_drawn() {
    let env = Env::new();
    env.held();
    let (_, said) = env.ok_both(&["minutes", "export", "M1", "--summary", "-o", "摘要.png"]);
    let lines: usize = said
        .split(" lines of text")
        .next()
        .and_then(|s| s.rsplit(", ").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    let (w, h, luma) = pixels(&std::fs::read(env.path("摘要.png")).unwrap());
    assert_eq!(w, 1080);
    // Community, title, the opening, one line or more per item, the posting note, the check
    // code: each line a band of ink.
    assert_eq!(text_bands(w, h, &luma), lines, "{said}");
    assert!(lines >= 6, "{said}");
    // The full minutes are a document, not a phone image; --summary with docx is refused too.
    let e = env.fails(&["minutes", "export", "M1", "--format", "png"], 2);
    assert!(e.contains("--summary"), "{e}");
    env.fails(
        &["minutes", "export", "M1", "--summary", "--format", "docx"],
        2,
    );
}

/// The decision notice carries one code per decided item, each with its issue's id (a code
/// for the whole meeting could not tell which item an answer is about): held M1 adopted #1
/// and #2 (two resolutions, one code) and did not adopt #3 (no code).
#[test]
fn the_decision_notice_carries_a_qr_code_per_decided_item() {
    let env = Env::new();
    env.held();
    let plain = env.ok(&["notice", "decision", "M1", "--format", "html"]);
    assert!(!plain.contains("<svg"), "no survey, no code");
    with_survey(&env);
    let html = env.ok(&["notice", "decision", "M1", "--format", "html"]);
    let urls: Vec<String> = html.split("<svg").skip(1).map(decode_svg).collect();
    assert_eq!(
        urls,
        [
            "https://www.wjx.cn/vm/tingtang.aspx?sojumpparm=1",
            "https://www.wjx.cn/vm/tingtang.aspx?sojumpparm=2",
        ]
    );
    assert_eq!(html.matches("class=\"qr-caption\">扫码评议").count(), 2);
    // The phone image carries them too: the first one decodes.
    env.ok(&["notice", "decision", "M1", "-o", "决议.png"]);
    let (w, h, luma) = pixels(&std::fs::read(env.path("决议.png")).unwrap());
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| luma[y * w + x]);
    let mut found: Vec<String> = img
        .detect_grids()
        .iter()
        .map(|g| g.decode().unwrap().1)
        .collect();
    found.sort();
    assert_eq!(found, urls, "both codes in the image");
    // The Word poster has one picture per code.
    env.ok(&["notice", "decision", "M1", "-o", "决议.docx"]);
    let bytes = std::fs::read(env.path("决议.docx")).unwrap();
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let media = zip
        .file_names()
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .count();
    assert_eq!(media, 2);
}

#[test]
fn init_writes_the_survey_it_is_given_and_refuses_what_it_cannot_write() {
    let env = Env::empty();
    // Not a web address: a usage error, and nothing is made.
    let err = env.fails(&["init", "--survey-url", "wjx.cn/vm/x.aspx"], 2);
    assert!(
        err.contains("--survey-url") && err.contains("https://"),
        "{err}"
    );
    assert!(!env.db().exists() && !env.path("yishi.toml").exists());
    env.ok(&[
        "init",
        "--community",
        "汀塘社区",
        "--survey-url",
        "https://www.wjx.cn/vm/tingtang.aspx",
    ]);
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    assert!(
        toml.contains("\nsurvey_url = \"https://www.wjx.cn/vm/tingtang.aspx\"\n"),
        "{toml}"
    );
    // A second database beside the kept yishi.toml: the address would be lost, so refused
    // before the database is made, with the line to add.
    let err = env.fails(
        &[
            "--db",
            "second.db",
            "init",
            "--survey-url",
            "https://www.wjx.cn/vm/other.aspx",
        ],
        1,
    );
    assert!(
        err.contains("survey_url = \"https://www.wjx.cn/vm/other.aspx\"")
            && err.contains("[feedback]"),
        "{err}"
    );
    assert!(!env.path("second.db").exists());
}
