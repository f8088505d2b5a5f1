//! Notices as one phone image (`--format png`): 1080 px wide, as long as the text, for a WeChat
//! group. Large type (body 44 px), the community's name, the title, the text, the QR code to
//! the survey where configured, and the check code small at the foot; the seal's place is left
//! out (a picture is not sealed).
//!
//! The stack, chosen by measurement (issue 33): the lines are broken here, with the CJK rules
//! (禁则: no 、。，and closing brackets at a line's start, no opening bracket at its end) and
//! each character's advance from the font (skrifa); the page is then one SVG that resvg draws
//! with the system's fonts (fontdb). cosmic-text would break lines itself but not by these
//! rules, and typst is far larger; resvg was already the smallest way to draw text and the QR
//! code's path together.

use super::notice::NoticeView;
use crate::error::{Error, Result};
use resvg::usvg::fontdb;
use std::sync::Arc;

/// The image's width, in pixels.
pub const WIDTH: u32 = 1080;
const MARGIN: f32 = 80.0;
const BODY: f32 = 44.0;
const TITLE: f32 = 64.0;
const SMALL: f32 = 30.0;
const FOOT: f32 = 24.0;
const LINE: f32 = 1.6;
const QR_PX: f32 = 400.0;

/// Characters that never start a line (they stay with the one before).
const NO_START: &str = "、。，．,.：:；;！!？?）)】」』》〉”’…—～%‰·";
/// Characters that never end a line (they go down with the one after).
const NO_END: &str = "（(【「『《〈“‘";

/// A font that has Chinese, found among the system's fonts.
pub struct CjkFont {
    db: Arc<fontdb::Database>,
    id: fontdb::ID,
    family: String,
}

/// Families tried first, in order (Debian's fonts-noto-cjk first); then any face with 议.
const PREFERRED: &[&str] = &[
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "PingFang SC",
    "Microsoft YaHei",
    "SimSun",
];

impl CjkFont {
    /// The system's CJK font; a clear error when there is none.
    pub fn find() -> Result<CjkFont> {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let covers = |id: fontdb::ID| {
            db.with_face_data(id, |data, index| {
                use skrifa::MetadataProvider;
                skrifa::FontRef::from_index(data, index)
                    .map(|f| f.charmap().map('议').is_some() && f.charmap().map('。').is_some())
                    .unwrap_or(false)
            })
            .unwrap_or(false)
        };
        let family_of = |f: &fontdb::FaceInfo| f.families.first().map(|(n, _)| n.clone());
        let regular = |f: &&fontdb::FaceInfo| f.weight == fontdb::Weight::NORMAL;
        let found = PREFERRED
            .iter()
            .find_map(|want| {
                db.faces()
                    .filter(regular)
                    .find(|f| f.families.iter().any(|(n, _)| n == want) && covers(f.id))
            })
            .or_else(|| db.faces().filter(regular).find(|f| covers(f.id)))
            .and_then(|f| Some((f.id, family_of(f)?)));
        let Some((id, family)) = found else {
            return Err(Error::io_text(crate::text!("phone.no_cjk_font")));
        };
        Ok(CjkFont {
            db: Arc::new(db),
            id,
            family,
        })
    }

    /// The font's family name (Noto Sans CJK SC).
    pub fn family(&self) -> &str {
        &self.family
    }

    /// Each character's advance in em (1.0 for a character the font lacks).
    fn advances(&self, text: &str) -> Vec<f32> {
        self.db
            .with_face_data(self.id, |data, index| {
                use skrifa::MetadataProvider;
                let Ok(font) = skrifa::FontRef::from_index(data, index) else {
                    return vec![1.0; text.chars().count()];
                };
                let metrics = font.glyph_metrics(
                    skrifa::instance::Size::new(1.0),
                    skrifa::instance::LocationRef::default(),
                );
                let map = font.charmap();
                text.chars()
                    .map(|c| {
                        map.map(c)
                            .and_then(|g| metrics.advance_width(g))
                            .unwrap_or(1.0)
                    })
                    .collect()
            })
            .unwrap_or_else(|| vec![1.0; text.chars().count()])
    }
}

/// Break `text` into lines at most `max_em` wide (`advance` gives each character's width in
/// em), after the CJK rules: a line never starts with a character of [`NO_START`] nor ends with
/// one of [`NO_END`] (the character before goes down with it), and a run of Latin letters and
/// digits is not split unless it is longer than a line. `indent_em` is the first line's indent.
pub fn wrap(text: &str, max_em: f32, indent_em: f32, advance: &[f32]) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    // Tokens: a run of ASCII letters and digits, or one character.
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if chars[i].is_ascii_alphanumeric() {
            // A word, a number, a time (22:00), a decimal (3.5) or a date (2026-07-31) is
            // one piece: a separator between two letters or digits stays inside.
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || (matches!(chars[i], ':' | '.' | '-' | '/' | '%')
                        && chars.get(i + 1).is_some_and(char::is_ascii_alphanumeric)))
            {
                i += 1;
            }
        } else {
            i += 1;
        }
        tokens.push((start, i));
    }
    let width = |(a, b): (usize, usize)| advance[a..b].iter().sum::<f32>();
    let mut lines: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
    let mut used = indent_em;
    for t in tokens {
        let w = width(t);
        let line = lines.last_mut().expect("a line");
        if used + w <= max_em + 1e-3 || line.is_empty() {
            // A run longer than a line is cut character by character.
            if w > max_em - used + 1e-3 && t.1 - t.0 > 1 {
                for (c, &cw) in advance.iter().enumerate().take(t.1).skip(t.0) {
                    if used + cw > max_em + 1e-3 && !lines.last().expect("a line").is_empty() {
                        lines.push(Vec::new());
                        used = 0.0;
                    }
                    lines.last_mut().expect("a line").push((c, c + 1));
                    used += cw;
                }
                continue;
            }
            line.push(t);
            used += w;
            continue;
        }
        // Break before `t`; pull characters down while the rules ask it.
        let mut carried = vec![t];
        loop {
            let line = lines.last_mut().expect("a line");
            let starts_bad = NO_START.contains(chars[carried[0].0]);
            let ends_bad = line
                .last()
                .is_some_and(|&(a, b)| b - a == 1 && NO_END.contains(chars[a]));
            if (starts_bad || ends_bad) && line.len() > 1 {
                carried.insert(0, line.pop().expect("a token"));
            } else {
                break;
            }
        }
        used = carried.iter().map(|&t| width(t)).sum();
        lines.push(carried);
    }
    lines
        .into_iter()
        .map(|l| {
            l.iter()
                .map(|&(a, b)| chars[a..b].iter().collect::<String>())
                .collect::<String>()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Centre,
    Right,
}

/// The page being laid out: SVG elements and the height so far.
struct Page<'a> {
    font: &'a CjkFont,
    svg: String,
    y: f32,
    /// Lines of text laid out (for tests: the layout, counted without reading the image).
    lines: usize,
}

impl Page<'_> {
    /// A paragraph of `size` px, wrapped to the text width; `indent` em on its first line.
    fn para(&mut self, text: &str, size: f32, indent: f32, align: Align, colour: &str, bold: bool) {
        let max_em = (WIDTH as f32 - 2.0 * MARGIN) / size;
        for (n, piece) in text.split('\n').enumerate() {
            let adv = self.font.advances(piece);
            let first_indent = if n == 0 { indent } else { 0.0 };
            for (i, line) in wrap(piece, max_em, first_indent, &adv)
                .into_iter()
                .enumerate()
            {
                self.y += size * LINE;
                let x = match align {
                    Align::Left => MARGIN + if i == 0 { first_indent * size } else { 0.0 },
                    Align::Centre => WIDTH as f32 / 2.0,
                    Align::Right => WIDTH as f32 - MARGIN,
                };
                let anchor = match align {
                    Align::Left => "start",
                    Align::Centre => "middle",
                    Align::Right => "end",
                };
                self.svg.push_str(&format!(
                    "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"{size}\" fill=\"{colour}\" text-anchor=\"{anchor}\"{}>{}</text>\n",
                    self.y - size * (LINE - 1.0) / 2.0 - size * 0.12,
                    if bold { " font-weight=\"bold\"" } else { "" },
                    super::escape::xml(&line)
                ));
                self.lines += 1;
            }
        }
    }

    fn gap(&mut self, px: f32) {
        self.y += px;
    }
}

/// The image and how many lines of text it holds.
pub struct PhoneImage {
    pub png: Vec<u8>,
    pub lines: usize,
    pub height: u32,
}

/// Draw `view` as one image.
pub fn notice(view: &NoticeView, font: &CjkFont) -> Result<PhoneImage> {
    let mut p = Page {
        font,
        svg: String::new(),
        y: MARGIN * 0.6,
        lines: 0,
    };
    let grey = "#666";
    let ink = "#111";
    p.para(&view.community, SMALL, 0.0, Align::Centre, grey, false);
    p.gap(16.0);
    p.para(&view.title, TITLE, 0.0, Align::Centre, "#b00", true);
    p.gap(32.0);
    if let Some(g) = &view.greeting {
        p.para(g, BODY, 0.0, Align::Left, ink, false);
    }
    p.para(&view.intro, BODY, 2.0, Align::Left, ink, false);
    for (n, item) in view.items.iter().enumerate() {
        p.para(
            &format!("{}. {}", n + 1, item.line),
            BODY,
            0.0,
            Align::Left,
            ink,
            false,
        );
        for d in &item.details {
            p.para(d, SMALL, 2.0, Align::Left, grey, false);
        }
    }
    for n in &view.notes {
        p.para(n, BODY, 2.0, Align::Left, ink, false);
    }
    if let Some(c) = &view.contact_line {
        p.gap(12.0);
        p.para(c, SMALL, 0.0, Align::Left, ink, false);
    }
    p.gap(24.0);
    p.para(&view.signer, BODY, 0.0, Align::Right, ink, false);
    p.para(&view.date, BODY, 0.0, Align::Right, ink, false);
    for (q, code) in view.codes().filter_map(|q| Some((q, q.code.as_ref()?))) {
        p.gap(40.0);
        let scale = QR_PX / code.size() as f32;
        let x = (WIDTH as f32 - QR_PX) / 2.0;
        p.svg.push_str(&format!(
            "<g transform=\"translate({x:.1} {:.1}) scale({scale:.4})\"><rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/><path fill=\"#000\" shape-rendering=\"crispEdges\" d=\"{}\"/></g>\n",
            p.y,
            code.path(),
            n = code.size()
        ));
        p.gap(QR_PX);
        p.para(&q.caption, BODY, 0.0, Align::Centre, ink, true);
        p.para(&q.title, SMALL, 0.0, Align::Centre, grey, false);
    }
    if let Some(a) = &view.anchor {
        p.gap(40.0);
        p.para(a, FOOT, 0.0, Align::Left, "#999", false);
    }
    finish(p, font)
}

/// The minutes' chat summary (`minutes export --summary --format png`) as one image: the
/// community small on top, the 【…】 title line as the title, numbered items flush left,
/// other paragraphs indented two characters, and the check code (`anchor`) small at the foot.
pub fn summary(
    community: &str,
    text: &str,
    anchor: Option<&str>,
    font: &CjkFont,
) -> Result<PhoneImage> {
    let mut p = Page {
        font,
        svg: String::new(),
        y: MARGIN * 0.6,
        lines: 0,
    };
    let (grey, ink) = ("#666", "#111");
    p.para(community, SMALL, 0.0, Align::Centre, grey, false);
    p.gap(16.0);
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if Some(line) == anchor {
            continue;
        }
        if let Some(title) = line.strip_prefix('【').and_then(|l| l.strip_suffix('】')) {
            p.para(title, TITLE, 0.0, Align::Centre, "#b00", true);
            p.gap(32.0);
        } else if line
            .split_once(". ")
            .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        {
            p.para(line, BODY, 0.0, Align::Left, ink, false);
        } else {
            p.para(line, BODY, 2.0, Align::Left, ink, false);
        }
    }
    if let Some(a) = anchor {
        p.gap(40.0);
        p.para(a, FOOT, 0.0, Align::Left, "#999", false);
    }
    finish(p, font)
}

/// The page drawn so far, closed and rasterised.
fn finish(p: Page<'_>, font: &CjkFont) -> Result<PhoneImage> {
    let height = (p.y + MARGIN * 0.6).ceil() as u32;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-family=\"{}\" xml:space=\"preserve\">\n<rect width=\"{WIDTH}\" height=\"{height}\" fill=\"#fff\"/>\n{}</svg>\n",
        super::escape::xml(&font.family),
        p.svg
    );
    let options = resvg::usvg::Options {
        fontdb: font.db.clone(),
        font_family: font.family.clone(),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(&svg, &options)
        .map_err(|e| Error::internal(format!("the notice's image: {e}")))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, height)
        .ok_or_else(|| Error::internal("the notice's image is too large"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    let png = pixmap
        .encode_png()
        .map_err(|e| Error::internal(format!("the notice's image: {e}")))?;
    Ok(PhoneImage {
        png,
        lines: p.lines,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CJK one em, ASCII half.
    fn adv(s: &str) -> Vec<f32> {
        s.chars()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .collect()
    }

    #[test]
    fn lines_fill_the_width_and_no_line_starts_with_a_stop() {
        // Ten characters a line; the comma would start line 2: 话 goes down with it.
        let text = "一二三四五六七八九话，十一二三";
        let lines = wrap(text, 10.0, 0.0, &adv(text));
        assert_eq!(lines, ["一二三四五六七八九", "话，十一二三"]);
        // An opening bracket does not end a line.
        let text = "一二三四五六七八九（十）";
        let lines = wrap(text, 10.0, 0.0, &adv(text));
        assert_eq!(lines, ["一二三四五六七八九", "（十）"]);
        // The first line's indent takes two em.
        let text = "一二三四五六七八九十";
        assert_eq!(wrap(text, 10.0, 2.0, &adv(text)).len(), 2);
    }

    #[test]
    fn latin_words_stay_whole_unless_longer_than_a_line() {
        let text = "请访问 https 网址";
        let lines = wrap(text, 5.0, 0.0, &adv(text));
        assert!(lines.iter().any(|l| l.contains("https")), "{lines:?}");
        // A time is not split at its colon.
        let text = "一二三四五六七八22:00后禁止";
        let lines = wrap(text, 10.0, 0.0, &adv(text));
        assert!(lines.iter().any(|l| l.contains("22:00")), "{lines:?}");
        let long = "a".repeat(30);
        let lines = wrap(&long, 5.0, 0.0, &adv(&long));
        assert_eq!(lines.len(), 3);
        for l in &lines {
            assert!(!l.starts_with(['，', '。', '、']));
        }
    }

    #[test]
    fn a_fixture_paragraph_takes_the_lines_counted_by_hand() {
        // 45 characters at 20 a line with a 2-em indent: 18 + 20 + 7 = 3 lines; the 。 at
        // position 39 would open line 3, so 活 goes down with it: 18, 19, 8.
        let text = "关于儿童没有课外活动场所的问题，议事会决议改造老村部四楼为儿童活动中心，由物业公司负责日常保洁。";
        let lines = wrap(text, 20.0, 2.0, &adv(text));
        assert_eq!(lines.len(), 3, "{lines:?}");
        for l in &lines[1..] {
            assert!(!NO_START.contains(l.chars().next().unwrap()), "{lines:?}");
        }
    }
}
