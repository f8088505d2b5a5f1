//! GB/T 9704-2012 (党政机关公文格式) as one set of styles that every document uses: the Word
//! writer ([`super::docx`]) takes its faces and sizes from here, and the HTML templates' print
//! CSS names the same faces with the same fallbacks (`font_stack`).
//!
//! Faces: the title in 2号 小标宋 (22 pt), first-level headings (一、) in 3号 黑体, second-level
//! headings (（一）) in 3号 楷体, the body in 3号 仿宋 on exact 28 pt lines, page numbers
//! 「— 1 —」 in 4号 半角宋体 at the outside edges (odd pages right, even pages left, one
//! character in).
//!
//! Fonts: an office PC has 方正小标宋简体, 黑体, 楷体 and 仿宋 (Windows ships the last three as
//! SimHei, KaiTi and FangSong). Where a face is missing, Word takes the `altName` written into
//! the document's font table; LibreOffice and browsers go down the list in [`Face::fallbacks`]
//! (README says which fonts to install; scripts/fonts.conf maps the names for fontconfig).

/// A typeface by its role, with the names to try in order.
#[derive(Debug, Clone, Copy)]
pub struct Face {
    /// The name Word looks for first (as on a Chinese office PC).
    pub name: &'static str,
    /// Word's alternative (`w:altName`): the face's English name.
    pub alt: &'static str,
    /// What LibreOffice and browsers fall back to, in order (free fonts last).
    pub fallbacks: &'static [&'static str],
}

pub const TITLE: Face = Face {
    name: "方正小标宋简体",
    alt: "SimSun",
    fallbacks: &[
        "FZXiaoBiaoSong-B05S",
        "华文中宋",
        "STZhongsong",
        "Noto Serif CJK SC",
        "serif",
    ],
};
pub const HEADING1: Face = Face {
    name: "黑体",
    alt: "SimHei",
    fallbacks: &["SimHei", "Noto Sans CJK SC", "sans-serif"],
};
pub const HEADING2: Face = Face {
    name: "楷体",
    alt: "KaiTi",
    fallbacks: &[
        "楷体_GB2312",
        "KaiTi",
        "AR PL UKai CN",
        "Noto Serif CJK SC",
        "serif",
    ],
};
pub const BODY: Face = Face {
    name: "仿宋",
    alt: "FangSong",
    fallbacks: &["仿宋_GB2312", "FangSong", "Noto Serif CJK SC", "serif"],
};
pub const PAGE_NUMBER: Face = Face {
    name: "宋体",
    alt: "SimSun",
    fallbacks: &["SimSun", "Noto Serif CJK SC", "serif"],
};
/// Latin letters and digits beside the Chinese faces.
pub const LATIN: &str = "Times New Roman";

/// Every face a Word document names, for its font table.
pub const FACES: [Face; 5] = [TITLE, HEADING1, HEADING2, BODY, PAGE_NUMBER];

impl Face {
    /// A CSS `font-family` value: the face, its fallbacks, quoted.
    pub fn font_stack(&self) -> String {
        std::iter::once(&self.name)
            .chain(self.fallbacks)
            .map(|f| {
                if f.contains('-') && !f.contains(' ') || f.is_ascii() && !f.contains(' ') {
                    f.to_string()
                } else {
                    format!("\"{f}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Sizes in half-points, as Word counts them.
pub mod size {
    /// 2号: the title.
    pub const TITLE: usize = 44;
    /// 3号: body and headings.
    pub const BODY: usize = 32;
    /// 4号: tables in Chinese and page numbers.
    pub const SMALL: usize = 28;
}

/// The body's fixed line pitch: 28 pt, in twentieths of a point.
pub const LINE_TWIPS: i32 = 560;
/// One character of body text (3号, 16 pt) in twips: indents are counted in characters.
pub const CHAR_TWIPS: i32 = 320;

/// The width of `text` in body characters: a Chinese character is one, a Latin letter or
/// digit half (for 右空四字 and centring the issuer over the date).
pub fn width_in_chars(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_stacks_quote_names_with_spaces_or_chinese() {
        assert_eq!(
            BODY.font_stack(),
            "\"仿宋\", \"仿宋_GB2312\", FangSong, \"Noto Serif CJK SC\", serif"
        );
        assert_eq!(width_in_chars("2026年9月3日"), 6.0);
    }

    /// The print CSS of the built-in templates names the same faces, with the same fallbacks.
    #[test]
    fn templates_use_these_faces() {
        let notice = include_str!("../../../../templates/notice.html.j2");
        let signin = include_str!("../../../../templates/signin.html.j2");
        let minutes = include_str!("../../../../templates/minutes.html.j2");
        for t in [notice, signin] {
            assert!(t.contains(&BODY.font_stack()));
            assert!(t.contains(&TITLE.font_stack()));
        }
        for face in [TITLE, HEADING1, HEADING2] {
            assert!(minutes.contains(&face.font_stack()), "{}", face.name);
        }
    }
}
