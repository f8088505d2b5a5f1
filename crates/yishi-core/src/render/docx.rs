//! Word (.docx) documents laid out after GB/T 9704-2012, the format of Chinese official
//! documents that street offices expect: A4; margins 37 mm top, 35 mm bottom, 28 mm left,
//! 26 mm right; the title in a heavy face (小标宋/黑体, 二号 22 pt) centred; the body in 仿宋 at
//! 三号 (16 pt) with fixed 28 pt lines; page numbers `— 1 —` in 宋体 四号 (14 pt) in the footer,
//! a PAGE field so that Word counts. The writer is docx-rs; no XML is written by hand.

use super::doc::{Block, Doc, Table};
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

/// Sizes in half-points, as Word counts them.
const BODY: usize = 32; // 三号 16 pt
const TITLE: usize = 44; // 二号 22 pt
const POSTER_TITLE: usize = 72; // 36 pt, readable across a corridor
const TABLE_TEXT: usize = 28; // 四号 14 pt
const FOOTER: usize = 28;

fn body_font() -> RunFonts {
    RunFonts::new()
        .east_asia("仿宋")
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn title_font() -> RunFonts {
    RunFonts::new()
        .east_asia("方正小标宋简体")
        .ascii("黑体")
        .hi_ansi("黑体")
}

fn heading_font() -> RunFonts {
    RunFonts::new()
        .east_asia("黑体")
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn run(text: &str, size: usize, fonts: RunFonts) -> Run {
    Run::new().add_text(text).size(size).fonts(fonts)
}

/// Body lines on a fixed 28 pt grid. Like GB/T 9704's 22 lines a page, pages are filled to
/// the bottom: no widow/orphan control (with it, a heading kept with a two-line paragraph left
/// the lower part of the minutes' first page blank). Headings are still kept with what follows.
fn exact_lines(p: Paragraph) -> Paragraph {
    p.widow_control(false).line_spacing(
        LineSpacing::new()
            .line(560)
            .line_rule(LineSpacingType::Exact),
    )
}

/// A body paragraph: justified in Chinese; flush left in English, where justifying a line of
/// long words opens wide gaps between them.
fn para(text: &str, zh: bool) -> Paragraph {
    exact_lines(
        Paragraph::new()
            .add_run(run(text, BODY, body_font()))
            .align(if zh {
                AlignmentType::Both
            } else {
                AlignmentType::Left
            })
            // Two characters' indent on the first line, as Chinese paragraphs are written.
            .indent(
                None,
                Some(SpecialIndentType::FirstLine(BODY as i32 * 20)),
                None,
                None,
            ),
    )
}

fn left(text: &str) -> Paragraph {
    exact_lines(Paragraph::new().add_run(run(text, BODY, body_font())))
}

/// `— 1 —`: a PAGE field between dashes, centred.
/// `— 1 —` on every page; under it, in small print, the record check code when the document
/// has one (every page of a signed copy then carries it, and it never spills onto a page of
/// its own).
fn page_number_footer(anchor: Option<&str>) -> Footer {
    let fonts = || {
        RunFonts::new()
            .east_asia("宋体")
            .ascii("宋体")
            .hi_ansi("宋体")
    };
    let field = Run::new()
        .size(FOOTER)
        .fonts(fonts())
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run("— ", FOOTER, fonts()))
            .add_run(field)
            .add_run(run(" —", FOOTER, fonts())),
    );
    match anchor {
        Some(a) => footer.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(a, 18, body_font()).color("595959")),
        ),
        None => footer,
    }
}

/// A table. Latin text runs wider than Chinese at the same size, so English tables use
/// 小四 (12 pt) where Chinese ones use 四号 (14 pt): a seat like "Social organisations" then
/// stays on one line.
fn table(t: &Table, zh: bool) -> docx_rs::Table {
    let text_size = if zh { TABLE_TEXT } else { TABLE_TEXT - 4 };
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let text_twips = mm(TEXT_MM) as u32;
    let widths: Vec<usize> = t
        .widths
        .iter()
        .map(|w| (text_twips * w / total) as usize)
        .collect();
    let cell = |text: &str, w: usize, bold: bool| {
        let mut r = run(
            text,
            text_size,
            if bold { heading_font() } else { body_font() },
        );
        if bold {
            r = r.bold();
        }
        TableCell::new()
            .width(w, WidthType::Dxa)
            .vertical_align(VAlignType::Center)
            .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(r))
    };
    let mut rows = vec![
        TableRow::new(
            t.header
                .iter()
                .zip(&widths)
                .map(|(h, w)| cell(h, *w, true))
                .collect(),
        )
        .cant_split(),
    ];
    for r in &t.rows {
        let mut row = TableRow::new(
            r.iter()
                .zip(&widths)
                .map(|(c, w)| cell(c, *w, false))
                .collect(),
        )
        .cant_split();
        if t.tall_rows {
            // 9 mm: room to sign by hand, and 15 rows with the notes and the recorder's line
            // fit on one A4 page, in English too.
            row = row.row_height(mm(9.0) as f32);
        }
        rows.push(row);
    }
    docx_rs::Table::new(rows)
        .set_grid(widths.clone())
        .width(text_twips as usize, WidthType::Dxa)
}

/// Build the Word file.
pub fn write(doc: &Doc) -> Result<Vec<u8>> {
    let mut d = Docx::new()
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
        .default_fonts(body_font())
        .default_size(BODY)
        .footer(page_number_footer(doc.anchor.as_deref()))
        // A fixed creation date: the same record gives the same file.
        .created_at("2026-01-01T00:00:00Z")
        .updated_at("2026-01-01T00:00:00Z");
    let title_size = if doc.poster { POSTER_TITLE } else { TITLE };
    d = d.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().after(if doc.poster { 400 } else { 300 }))
            .add_run(run(&doc.title, title_size, title_font()).bold()),
    );
    if doc.draft {
        d = d.add_paragraph(
            Paragraph::new().align(AlignmentType::Center).add_run(
                run(
                    if doc.lang_zh { "草稿" } else { "DRAFT" },
                    BODY,
                    heading_font(),
                )
                .color("C00000"),
            ),
        );
    }
    if let Some(s) = &doc.subtitle {
        d = d.add_paragraph(
            exact_lines(Paragraph::new().align(AlignmentType::Center)).add_run(run(
                s,
                BODY,
                body_font(),
            )),
        );
    }
    for block in &doc.blocks {
        d = match block {
            Block::Salutation(s) => d.add_paragraph(left(s)),
            Block::Heading(h) => d.add_paragraph(
                exact_lines(Paragraph::new().keep_next(true)).add_run(run(h, BODY, heading_font())),
            ),
            Block::Para(p) => d.add_paragraph(para(p, doc.lang_zh)),
            Block::Field(label, value) => d.add_paragraph(
                exact_lines(Paragraph::new())
                    .add_run(run(label, BODY, heading_font()))
                    .add_run(run(value, BODY, body_font())),
            ),
            Block::Note(n) => {
                d.add_paragraph(Paragraph::new().add_run(run(n, TABLE_TEXT - 4, body_font())))
            }
            Block::List(items) => {
                for (n, item) in items.iter().enumerate() {
                    d = d.add_paragraph(para(&format!("{}. {item}", n + 1), doc.lang_zh));
                }
                d
            }
            // A small gap after a table, not a whole empty 28 pt line: on the minutes' first
            // page that line, with a heading kept with the next paragraphs, left the bottom
            // of the page blank.
            Block::Table(t) => d.add_table(table(t, doc.lang_zh)).add_paragraph(
                Paragraph::new().line_spacing(
                    LineSpacing::new()
                        .line(160)
                        .line_rule(LineSpacingType::Exact),
                ),
            ),
            Block::Closing { lines, seal } => {
                // A blank line of room above the signer, where the seal goes over the name;
                // the seal note, signer and date stay together on one page.
                d = d.add_paragraph(left(""));
                if let Some(s) = seal {
                    d = d.add_paragraph(
                        exact_lines(Paragraph::new().align(AlignmentType::Right).keep_next(true))
                            .add_run(run(s, TABLE_TEXT, body_font()).color("808080")),
                    );
                }
                let last = lines.len().saturating_sub(1);
                for (i, l) in lines.iter().enumerate() {
                    d = d.add_paragraph(
                        exact_lines(
                            Paragraph::new()
                                .align(AlignmentType::Right)
                                .keep_next(i < last),
                        )
                        .add_run(run(l, BODY, body_font())),
                    );
                }
                d
            }
            Block::Signatures(lines) => {
                for l in lines {
                    d = d.add_paragraph(
                        exact_lines(Paragraph::new())
                            .line_spacing(LineSpacing::new().before(240))
                            .add_run(run(l, BODY, body_font())),
                    );
                }
                d
            }
            Block::PageBreak => {
                d.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            }
        };
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    d.build()
        .pack(&mut buf)
        .map_err(|e| Error::internal(format!("cannot build the Word document: {e}")))?;
    Ok(buf.into_inner())
}
