//! Word (.docx) documents laid out after GB/T 9704-2012, the format of Chinese official
//! documents that street offices expect: A4; margins 37 mm top, 35 mm bottom, 28 mm left,
//! 26 mm right; faces and sizes from [`super::gbt9704`] (title 22 pt 小标宋, headings 黑体 and
//! 楷体, body 仿宋 三号 on exact 28 pt lines, page numbers 「— 1 —」 at the outside edges).
//!
//! Pagination (GB/T 9704 7.3.5: the 落款 never alone on a page): the signer and date keep
//! together and with the two body paragraphs before them; signature lines keep with the table
//! or text above; table rows never split and the header row repeats on every page. The writer
//! is docx-rs; two things it cannot say (a repeated header row, a font's alternative name) are
//! added to its XML before packing.

use super::doc::{Block, Doc, Table};
use super::gbt9704::{self as gb, Face, size};
use crate::error::{Error, Result};
use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing,
    LineSpacingType, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, TableCell, TableRow,
    VAlignType, WidthType,
};

/// Twips per millimetre (1 inch = 1440 twips = 25.4 mm).
fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

const A4_W: u32 = 11906;
const A4_H: u32 = 16838;
/// Text width: 210 − 28 − 26 mm.
const TEXT_MM: f64 = 156.0;

fn fonts(face: Face) -> RunFonts {
    RunFonts::new()
        .east_asia(face.name)
        .ascii(gb::LATIN)
        .hi_ansi(gb::LATIN)
}

fn run(text: &str, size: usize, face: Face) -> Run {
    Run::new().add_text(text).size(size).fonts(fonts(face))
}

/// Body lines on a fixed 28 pt grid. Like GB/T 9704's 22 lines a page, pages are filled to
/// the bottom: no widow/orphan control (with it, a heading kept with a two-line paragraph left
/// the lower part of the minutes' first page blank). Headings are still kept with what follows.
fn exact_lines(p: Paragraph) -> Paragraph {
    p.widow_control(false).line_spacing(
        LineSpacing::new()
            .line(gb::LINE_TWIPS)
            .line_rule(LineSpacingType::Exact),
    )
}

/// A body paragraph: justified in Chinese; flush left in English, where justifying a line of
/// long words opens wide gaps between them. First line indented two characters.
fn para(text: &str, zh: bool) -> Paragraph {
    exact_lines(
        Paragraph::new()
            .add_run(run(text, size::BODY, gb::BODY))
            .align(if zh {
                AlignmentType::Both
            } else {
                AlignmentType::Left
            })
            .indent(
                None,
                Some(SpecialIndentType::FirstLine(2 * gb::CHAR_TWIPS)),
                None,
                None,
            ),
    )
}

fn left(text: &str) -> Paragraph {
    exact_lines(Paragraph::new().add_run(run(text, size::BODY, gb::BODY)))
}

/// Hold a paragraph together and on the page of what follows it.
fn held(p: Paragraph) -> Paragraph {
    p.keep_next(true).keep_lines(true)
}

/// 「— 1 —」: a PAGE field between dashes, one character in from the outside edge (right on
/// odd pages, left on even ones); under it, in small print, the record check code when the
/// document has one (every page of a signed copy then carries it, and it never spills onto a
/// page of its own).
fn page_number_footer(anchor: Option<&str>, odd: bool) -> Footer {
    let field = Run::new()
        .size(size::SMALL)
        .fonts(fonts(gb::PAGE_NUMBER))
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    let one_char = size::SMALL as i32 * 10;
    let number = Paragraph::new()
        .add_run(run("— ", size::SMALL, gb::PAGE_NUMBER))
        .add_run(field)
        .add_run(run(" —", size::SMALL, gb::PAGE_NUMBER));
    let number = if odd {
        number
            .align(AlignmentType::Right)
            .indent(None, None, Some(one_char), None)
    } else {
        number
            .align(AlignmentType::Left)
            .indent(Some(one_char), None, None, None)
    };
    let footer = Footer::new().add_paragraph(number);
    match anchor {
        Some(a) => footer.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(a, 18, gb::BODY).color("595959")),
        ),
        None => footer,
    }
}

/// A table. Latin text runs wider than Chinese at the same size, so English tables use
/// 小四 (12 pt) where Chinese ones use 四号 (14 pt): a seat like "Social organisations" then
/// stays on one line. `keep_last` holds the last rows on the page of what follows (signature
/// lines under a sign-in table).
fn table(t: &Table, zh: bool, keep_last: bool) -> docx_rs::Table {
    let text_size = if zh { size::SMALL } else { size::SMALL - 4 };
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let text_twips = mm(TEXT_MM) as u32;
    let widths: Vec<usize> = t
        .widths
        .iter()
        .map(|w| (text_twips * w / total) as usize)
        .collect();
    let cell = |text: &str, w: usize, bold: bool, keep: bool| {
        let r = if bold {
            run(text, text_size, gb::HEADING1)
        } else {
            run(text, text_size, gb::BODY)
        };
        TableCell::new()
            .width(w, WidthType::Dxa)
            .vertical_align(VAlignType::Center)
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .keep_next(keep)
                    .add_run(r),
            )
    };
    // The header row is kept with the first row; it repeats on every page (see `repeat_headers`).
    let mut rows = vec![
        TableRow::new(
            t.header
                .iter()
                .zip(&widths)
                .map(|(h, w)| cell(h, *w, true, true))
                .collect(),
        )
        .cant_split(),
    ];
    let n = t.rows.len();
    for (i, r) in t.rows.iter().enumerate() {
        let keep = keep_last && i + 2 >= n;
        let mut row = TableRow::new(
            r.iter()
                .zip(&widths)
                .map(|(c, w)| cell(c, *w, false, keep))
                .collect(),
        )
        .cant_split();
        if t.tall_rows {
            // 9 mm: room to sign by hand, and 15 rows with the notes and the signature lines
            // fit on one A4 page, in English too.
            row = row.row_height(mm(9.0) as f32);
        }
        rows.push(row);
    }
    docx_rs::Table::new(rows)
        .set_grid(widths.clone())
        .width(text_twips as usize, WidthType::Dxa)
}

/// The issuer and the date (落款): the date 右空四字 (four characters in from the right margin),
/// the issuer centred over the date. Above them, room for the seal, which is pressed over both
/// (印章下压署名和日期); the words 「（盖章处）」 print only on a draft, so that a signed copy
/// shows the seal and nothing under it. Every paragraph keeps with the next: the block is
/// never split and never alone (the two body paragraphs before it keep with it too).
fn closing(d: Docx, lines: &[String], seal: Option<&str>, draft: bool, zh: bool) -> Docx {
    let mut d = d.add_paragraph(held(left("")));
    if let (Some(s), true) = (seal, draft) {
        d = d.add_paragraph(held(
            exact_lines(Paragraph::new().align(AlignmentType::Right))
                .indent(None, None, Some(4 * gb::CHAR_TWIPS), None)
                .add_run(run(s, size::SMALL, gb::BODY).color("808080")),
        ));
    } else if seal.is_some() {
        d = d.add_paragraph(held(left("")));
    }
    let date_chars = lines.last().map(|l| gb::width_in_chars(l)).unwrap_or(0.0);
    let last = lines.len().saturating_sub(1);
    for (i, l) in lines.iter().enumerate() {
        // English has no 右空四字 rule; the same indent keeps the layout.
        let chars = if i == last || !zh {
            4.0
        } else {
            (4.0 + (date_chars - gb::width_in_chars(l)) / 2.0).max(0.0)
        };
        let p = exact_lines(Paragraph::new().align(AlignmentType::Right))
            .indent(
                None,
                None,
                Some((chars * gb::CHAR_TWIPS as f64).round() as i32),
                None,
            )
            .add_run(run(l, size::BODY, gb::BODY));
        d = d.add_paragraph(if i < last { held(p) } else { p });
    }
    d
}

/// Which blocks come right before a signature block: they keep with it.
fn kept_with_signature(blocks: &[Block]) -> Vec<bool> {
    let mut keep = vec![false; blocks.len()];
    for (i, b) in blocks.iter().enumerate() {
        if matches!(b, Block::Closing { .. } | Block::Signatures(_)) {
            for k in keep.iter_mut().take(i).skip(i.saturating_sub(2)) {
                *k = true;
            }
        }
    }
    keep
}

/// Build the Word file.
pub fn write(doc: &Doc) -> Result<Vec<u8>> {
    let mut d = title_lines(page_setup(doc), doc);
    let keep = kept_with_signature(&doc.blocks);
    for (block, &k) in doc.blocks.iter().zip(&keep) {
        d = add_block(d, block, k, doc);
    }
    let mut xml = d.build();
    xml.document = repeat_headers(&xml.document);
    xml.font_table = font_table();
    let mut buf = std::io::Cursor::new(Vec::new());
    xml.pack(&mut buf)
        .map_err(|e| Error::internal(format!("cannot build the Word document: {e}")))?;
    Ok(buf.into_inner())
}

/// The A4 page, its margins, fonts and page-number footers, with fixed dates.
fn page_setup(doc: &Doc) -> Docx {
    Docx::new()
        .page_size(A4_W, A4_H)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0))
                .header(mm(15.0))
                .footer(mm(20.0)),
        )
        .default_fonts(fonts(gb::BODY))
        .default_size(size::BODY)
        .footer(page_number_footer(doc.anchor.as_deref(), true))
        .even_footer(page_number_footer(doc.anchor.as_deref(), false))
        // A fixed creation date: the same record gives the same file.
        .created_at("2026-01-01T00:00:00Z")
        .updated_at("2026-01-01T00:00:00Z")
}

/// The title, the 草稿 mark when a draft, and the subtitle.
fn title_lines(mut d: Docx, doc: &Doc) -> Docx {
    // 小标宋 is a heavy face of its own: no bold on top of it.
    d = d.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .keep_next(true)
            .line_spacing(LineSpacing::new().after(300))
            .add_run(run(&doc.title, size::TITLE, gb::TITLE)),
    );
    if doc.draft {
        d = d.add_paragraph(
            Paragraph::new()
                .keep_next(true)
                .align(AlignmentType::Center)
                .add_run(
                    run(
                        if doc.lang_zh { "草稿" } else { "DRAFT" },
                        size::BODY,
                        gb::HEADING1,
                    )
                    .color("C00000"),
                ),
        );
    }
    if let Some(s) = &doc.subtitle {
        d = d.add_paragraph(
            exact_lines(Paragraph::new().align(AlignmentType::Center)).add_run(run(
                s,
                size::BODY,
                gb::BODY,
            )),
        );
    }
    d
}

/// One block of the body; `k` keeps it with the signature block after it.
fn add_block(mut d: Docx, block: &Block, k: bool, doc: &Doc) -> Docx {
    let maybe = |p: Paragraph| if k { held(p) } else { p };
    match block {
        Block::Salutation(s) => d.add_paragraph(maybe(left(s))),
        Block::Heading(h) => d.add_paragraph(
            exact_lines(Paragraph::new().keep_next(true)).add_run(run(h, size::BODY, gb::HEADING1)),
        ),
        Block::Subheading(h) => d.add_paragraph(
            exact_lines(Paragraph::new().keep_next(true))
                .indent(
                    None,
                    Some(SpecialIndentType::FirstLine(2 * gb::CHAR_TWIPS)),
                    None,
                    None,
                )
                .add_run(run(h, size::BODY, gb::HEADING2)),
        ),
        Block::Para(p) => d.add_paragraph(maybe(para(p, doc.lang_zh))),
        Block::Field(label, value) => d.add_paragraph(maybe(
            exact_lines(Paragraph::new())
                .add_run(run(label, size::BODY, gb::HEADING1))
                .add_run(run(value, size::BODY, gb::BODY)),
        )),
        Block::Note(n) => d.add_paragraph(maybe(Paragraph::new().add_run(run(
            n,
            size::SMALL - 4,
            gb::BODY,
        )))),
        Block::List(items) => {
            let last = items.len().saturating_sub(1);
            for (n, item) in items.iter().enumerate() {
                let p = para(&format!("{}. {item}", n + 1), doc.lang_zh);
                // The last two items carry the list's keep.
                d = d.add_paragraph(if k && n + 1 >= last { held(p) } else { p });
            }
            d
        }
        // A small gap after a table, not a whole empty 28 pt line: on the minutes' first
        // page that line, with a heading kept with the next paragraphs, left the bottom
        // of the page blank.
        Block::Table(t) => d.add_table(table(t, doc.lang_zh, k)).add_paragraph(
            maybe(Paragraph::new()).line_spacing(
                LineSpacing::new()
                    .line(160)
                    .line_rule(LineSpacingType::Exact),
            ),
        ),
        Block::Closing { lines, seal } => {
            closing(d, lines, seal.as_deref(), doc.draft, doc.lang_zh)
        }
        Block::Signatures(lines) => signatures(d, lines),
        Block::PageBreak => {
            d.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
        }
        Block::Figure {
            png,
            px,
            mm,
            caption,
        } => figure(d, png, *px, *mm, caption, k),
    }
}

/// The signature lines, kept together, each with space above for the hand.
fn signatures(mut d: Docx, lines: &[String]) -> Docx {
    let last = lines.len().saturating_sub(1);
    for (i, l) in lines.iter().enumerate() {
        d = d.add_paragraph(
            exact_lines(Paragraph::new())
                .keep_next(i < last)
                .keep_lines(true)
                .line_spacing(LineSpacing::new().before(240))
                .add_run(run(l, size::BODY, gb::BODY)),
        );
    }
    d
}

/// A centred picture and its caption lines, kept together; `k` keeps it with what follows.
fn figure(mut d: Docx, png: &[u8], px: u32, mm: u32, caption: &[String], k: bool) -> Docx {
    let maybe = |p: Paragraph| if k { held(p) } else { p };
    // 36,000 EMU to the millimetre. No exact line height here: it would clip the
    // picture to one line.
    let emu = mm * 36_000;
    let pic = docx_rs::Pic::new_with_dimensions(png.to_vec(), px, px).size(emu, emu);
    d = d.add_paragraph(
        maybe(Paragraph::new())
            .align(AlignmentType::Center)
            .keep_next(true)
            .add_run(Run::new().add_image(pic)),
    );
    let last = caption.len().saturating_sub(1);
    for (i, line) in caption.iter().enumerate() {
        d = d.add_paragraph(
            maybe(Paragraph::new())
                .align(AlignmentType::Center)
                .keep_next(i < last)
                .add_run(run(line, size::SMALL, gb::BODY)),
        );
    }
    d
}

/// Mark every table's first row as its header row (`w:tblHeader`), which Word and LibreOffice
/// repeat at the top of each page the table runs onto. docx-rs writes no such element; every
/// table here starts with its header row, whose properties are the first `<w:trPr>` after
/// `<w:tbl>`.
fn repeat_headers(document: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(document);
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest: &str = &text;
    while let Some(t) = rest.find("<w:tbl>") {
        let (before, after) = rest.split_at(t);
        out.push_str(before);
        match after.find("<w:trPr>") {
            Some(r) => {
                let at = r + "<w:trPr>".len();
                out.push_str(&after[..at]);
                out.push_str("<w:tblHeader />");
                rest = &after[at..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

/// The font table: each face with its alternative name, so that Word on a PC without
/// 方正小标宋简体 or 仿宋 takes a near face instead of its default.
fn font_table() -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    );
    xml.push_str(r#"<w:font w:name="Times New Roman"><w:charset w:val="00" /><w:family w:val="roman" /><w:pitch w:val="variable" /></w:font>"#);
    for f in gb::FACES {
        xml.push_str(&format!(
            r#"<w:font w:name="{}"><w:altName w:val="{}" /><w:charset w:val="86" /><w:family w:val="auto" /><w:pitch w:val="variable" /></w:font>"#,
            f.name, f.alt
        ));
    }
    xml.push_str("</w:fonts>");
    xml.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_gets_a_repeated_header_row() {
        let xml = b"<w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr></w:trPr></w:tr></w:tbl><w:p/><w:tbl><w:tr><w:trPr></w:trPr></w:tr></w:tbl>";
        let out = String::from_utf8(repeat_headers(xml)).unwrap();
        assert_eq!(out.matches("<w:tblHeader />").count(), 2, "{out}");
        assert!(out.starts_with("<w:tbl><w:tr><w:trPr><w:tblHeader /><w:cantSplit />"));
    }
}
