//! Help and usage errors in the user's language.
//!
//! The English texts are the doc comments and `after_help` of the clap definitions; the Chinese
//! ones are in `help.zh-CN.toml`, one table per command path (`["yishi issue add"]`) with its
//! `about`, `long_about`, `after_help` and each argument's help (`"arg.ID"`). A test checks that
//! every command and argument has its Chinese text and that the examples are the same commands.
//!
//! The tree is localised only when clap has something to show (help, or a usage error): a
//! command that parses never pays for it. clap's own fixed words (the help flag's text,
//! `[default: …]`) are replaced in the rendered text; usage errors are worded here from clap's
//! error kind and context.

use clap::Command;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use yishi_core::domain::locale::Locale;
use yishi_core::text;

/// The Chinese help texts.
const ZH: &str = include_str!("help.zh-CN.toml");

/// The catalogue of Chinese help texts, parsed.
pub fn catalogue() -> toml::Table {
    ZH.parse()
        .unwrap_or_else(|e| panic!("src/cli/help.zh-CN.toml is not valid TOML: {e}"))
}

/// `cmd` with its help in `lang` and its global options under a heading of their own.
pub fn localize(cmd: Command, lang: Locale) -> Command {
    let table = (lang == Locale::ZhCn).then(catalogue);
    walk(cmd, "yishi", table.as_ref(), lang)
}

/// `cmd` and its subcommands (at `path`, e.g. `yishi issue add`) with their help in `lang`.
fn walk(mut cmd: Command, path: &str, table: Option<&toml::Table>, lang: Locale) -> Command {
    let entry = table.and_then(|t| t.get(path)).and_then(|v| v.as_table());
    // yishi wraps help itself (`finish_help`): Chinese breaks between characters, and an
    // example command is never broken (a copied line must run).
    cmd = cmd.term_width(0);
    if lang == Locale::ZhCn {
        cmd = command_zh(cmd, entry);
    }
    cmd = arguments(cmd, entry, lang);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(&name, |s| walk(s, &sub_path, table, lang));
    }
    cmd
}

/// The text of `key` in a command's entry of the catalogue.
fn entry_text(entry: Option<&toml::Table>, key: &str) -> Option<String> {
    entry
        .and_then(|e| e.get(key))
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

/// The command's own texts in Chinese, its headings and the help and version flags.
fn command_zh(mut cmd: Command, entry: Option<&toml::Table>) -> Command {
    if let Some(about) = entry_text(entry, "about") {
        let long = entry_text(entry, "long_about").unwrap_or_else(|| about.clone());
        cmd = cmd.about(about).long_about(long);
    }
    if let Some(after) = entry_text(entry, "after_help") {
        cmd = cmd.after_help(after.clone()).after_long_help(after);
    }
    cmd.help_template("{about-with-newline}\n用法： {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("打印帮助")
                .help_heading("全局选项"),
        )
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("打印版本")
                .help_heading("全局选项"),
        )
}

/// The command's arguments with their help in `lang`, the global ones under their own heading.
fn arguments(mut cmd: Command, entry: Option<&toml::Table>, lang: Locale) -> Command {
    let ids: Vec<clap::Id> = cmd
        .get_arguments()
        .map(|a| a.get_id().clone())
        .filter(|id| id != "help" && id != "version")
        .collect();
    for id in ids {
        // `--overwrite` is added to many commands at once (overwrite.rs), its Chinese with it.
        let help = entry_text(entry, &format!("arg.{id}")).or_else(|| {
            (lang == Locale::ZhCn && id == "overwrite")
                .then(|| super::overwrite::help_zh(cmd.get_name()).to_string())
        });
        let long = entry_text(entry, &format!("arg.{id}.long"));
        cmd = cmd.mut_arg(id, |a| argument(a, help, long, lang));
    }
    cmd
}

/// One argument: its heading (the shared options after the command's own), help and
/// placeholder in `lang`.
fn argument(
    mut a: clap::Arg,
    help: Option<String>,
    long: Option<String>,
    lang: Locale,
) -> clap::Arg {
    // The command's own arguments and options keep clap's headings (worded in
    // `finish_help`), which clap shows first; the shared options come after them.
    let heading = match (a.is_global_set(), lang) {
        (true, Locale::ZhCn) => Some("全局选项"),
        (true, Locale::En) => Some("Global options"),
        (false, _) => None,
    };
    if let Some(h) = heading {
        a = a.help_heading(h);
    }
    if let Some(h) = help {
        a = a.help(h.clone()).long_help(long.unwrap_or(h));
    }
    if lang == Locale::ZhCn {
        a = placeholder_zh(a);
    }
    a
}

/// Value placeholders in Chinese (`--channel <渠道>`); formats (YYYY-MM-DD, HH:MM), ids (R)
/// and SHELL stay as they are.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("PATH", "路径"),
    ("NAME", "姓名"),
    ("NAMES", "姓名"),
    ("LANG", "语言"),
    ("FILE", "文件"),
    ("DIR", "目录"),
    ("MEETING", "会议"),
    ("REASON", "理由"),
    ("ID", "编号"),
    ("MOTION", "表决"),
    ("FORMAT", "格式"),
    ("N", "数字"),
    ("NAME|N", "名称|序号"),
    ("MEMBER", "成员"),
    ("TEXT", "内容"),
    ("NOTE", "备注"),
    ("ACTION", "事项"),
    ("OWNER", "责任人"),
    ("ITEM", "议题"),
    ("ISSUE", "议题"),
    ("ISSUES", "议题"),
    ("FOR_ISSUE", "议题"),
    ("INTO", "目标议题"),
    ("SUMMARY", "摘要"),
    ("CHANNEL", "渠道"),
    ("PHONE", "电话"),
    ("TITLE", "标题"),
    ("SEAT", "席位"),
    ("PERIOD", "期间"),
    ("DAYS", "天数"),
    ("ENCODING", "编码"),
    ("DELIMITER", "分隔符"),
    ("COUNT", "票数"),
    ("BY", "姓名"),
    ("CATEGORY", "类别"),
    ("ADDRESS", "住址"),
    ("PACKAGE", "汇总包"),
    ("LIMIT", "条数"),
    ("YEAR", "年份"),
    ("RESOLUTION", "决议"),
    ("PROGRESS", "进度"),
    ("RULE", "规则"),
    ("DATE", "日期"),
    ("PLACE", "地点"),
    ("DETAIL", "详情"),
    ("PARTY", "相关方"),
    ("STAKEHOLDER", "相关方"),
    ("ANCHOR", "校验码"),
    ("ENTITY", "对象"),
    ("RESIDENT", "居民"),
    ("SATISFACTION", "满意度"),
    ("AWARE", "是否知晓"),
    ("YES", "赞成者"),
    ("NO", "反对者"),
    ("ABSTAIN", "弃权者"),
    ("POSITION", "立场"),
    ("MINUTES", "分钟数"),
    ("AUTHORISATION", "委托说明"),
    ("BLANK", "空行数"),
    ("CHAIR", "主持人"),
    ("RECORDER", "记录人"),
    ("INVITE", "受邀人"),
    ("OBSERVER", "列席者"),
    ("THRESHOLD", "阈值"),
    ("STATUS", "状态"),
    ("COMMUNITY", "社区"),
    ("POPULATION", "人口"),
];

/// `arg` with its value placeholder in Chinese, where the table has one.
fn placeholder_zh(arg: clap::Arg) -> clap::Arg {
    if !arg.get_action().takes_values() {
        return arg;
    }
    // clap shows the id in capitals when no value name is given.
    let names: Vec<String> = match arg.get_value_names() {
        Some(names) => names.iter().map(ToString::to_string).collect(),
        None => vec![arg.get_id().as_str().to_uppercase()],
    };
    let zh: Vec<String> = names
        .iter()
        .map(|n| {
            PLACEHOLDERS
                .iter()
                .find(|(en, _)| en == n)
                .map_or_else(|| n.clone(), |(_, zh)| zh.to_string())
        })
        .collect();
    if zh == names {
        return arg;
    }
    arg.value_names(zh)
}

/// clap's own words in rendered help, in Chinese.
const CLAP_WORDS: &[(&str, &str)] = &[
    (
        "Print help (see more with '--help')",
        "打印帮助（--help 显示更多）",
    ),
    (
        "Print help (see a summary with '-h')",
        "打印帮助（-h 显示摘要）",
    ),
    ("Print help", "打印帮助"),
    ("Print version", "打印版本"),
    (
        "Print this message or the help of the given subcommand(s)",
        "打印本帮助，或所给子命令的帮助",
    ),
    ("[default: ", "［默认："),
    ("[possible values: ", "［可选值："),
    ("[env: ", "［环境变量："),
    ("[aliases: ", "［别名："),
    ("[alias: ", "［别名："),
    ("Possible values:", "可选值："),
    ("[OPTIONS]", "[选项]"),
];

/// Help as clap rendered it, with clap's own words in `lang`.
pub fn finish_help(rendered: String, lang: Locale) -> String {
    let mut text = rendered;
    if lang == Locale::ZhCn {
        for (en, zh) in CLAP_WORDS {
            text = text.replace(en, zh);
        }
    }
    // Each bracket opened above closes at the next `]`, which a wrapped line may have moved.
    let mut closed = String::with_capacity(text.len());
    let mut open = false;
    for c in text.chars() {
        match c {
            '［' => open = true,
            '］' => open = false,
            ']' if open => {
                closed.push('］');
                open = false;
                continue;
            }
            _ => {}
        }
        closed.push(c);
    }
    // Headings end with a Chinese colon.
    let ends_with_newline = closed.ends_with('\n');
    let mut lines: Vec<String> = closed
        .lines()
        .map(|l| match l {
            "命令:" | "全局选项:" => format!("{}：", &l[..l.len() - 1]),
            "Options:" if lang == Locale::ZhCn => "选项：".to_string(),
            "Arguments:" if lang == Locale::ZhCn => "参数：".to_string(),
            _ => l.to_string(),
        })
        .collect();
    if ends_with_newline {
        lines.push(String::new());
    }
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100);
    let mut wrapped = lines
        .iter()
        .map(|l| {
            if l.starts_with("  yishi ") {
                l.clone()
            } else {
                wrap_cjk(l, width)
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    if !wrapped.ends_with('\n') {
        wrapped.push('\n');
    }
    wrapped
}

/// `line` broken into lines of at most `width` columns (`render::wrap`), continuation lines
/// starting where the line's text does (after an option's name in `-h`).
fn wrap_cjk(line: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let lead = line.len() - line.trim_start().len();
    // In a list (options in `-h`, commands), an entry's text starts after the gap that
    // follows its name: an indented line whose first gap is two spaces or more.
    let indent = if lead > 0 {
        line[lead..]
            .find("  ")
            .map(|gap| {
                let from = lead + gap;
                from + line[from..].len() - line[from..].trim_start().len()
            })
            .map_or(lead, |at| line[..at].width())
    } else {
        lead
    };
    yishi_core::render::wrap::wrap(line, width, indent)
}

/// A usage error in Chinese: what is wrong, the usage line, and where to read more. None for
/// kinds that are not errors (help, version) or that clap words well enough already.
pub fn usage_error_zh(e: &clap::Error) -> Option<String> {
    let c = Clap(e);
    let mut msg = what_is_wrong_zh(&c)?;
    msg.push_str(&hints_zh(&c));
    let usage = usage_line_zh(e);
    let mut out = format!("{}\n", zh(text!("usage.error", what = msg)));
    if !usage.is_empty() {
        out.push_str(&format!("\n{usage}\n"));
    }
    out.push_str(&format!("\n{}\n", zh(text!("usage.more_with_help"))));
    Some(out)
}

/// The context of a clap error, read as text.
struct Clap<'a>(&'a clap::Error);

impl Clap<'_> {
    /// One value of the context (or the empty string).
    fn one(&self, k: ContextKind) -> String {
        self.maybe(k).unwrap_or_default()
    }

    fn maybe(&self, k: ContextKind) -> Option<String> {
        match self.0.get(k) {
            Some(ContextValue::String(v)) => Some(v.clone()),
            _ => None,
        }
    }

    /// Every value of the context (one or several).
    fn all(&self, k: ContextKind) -> Vec<String> {
        match self.0.get(k) {
            Some(ContextValue::Strings(v)) => v.clone(),
            Some(ContextValue::String(v)) => vec![v.clone()],
            _ => Vec::new(),
        }
    }
}

/// A message of the catalogue in Chinese (clap words its usage errors in English itself).
fn zh(t: yishi_core::i18n::Text) -> String {
    t.render(Locale::ZhCn)
}

/// “a”、“b”: values quoted the Chinese way.
fn quoted_zh(v: &[String]) -> String {
    v.iter()
        .map(|x| format!("“{x}”"))
        .collect::<Vec<_>>()
        .join("、")
}

/// What is wrong, by the error's kind; None for kinds left to clap.
fn what_is_wrong_zh(c: &Clap) -> Option<String> {
    let arg = || c.one(ContextKind::InvalidArg);
    Some(match c.0.kind() {
        ErrorKind::InvalidValue => invalid_value_zh(c),
        ErrorKind::UnknownArgument => zh(text!("usage.unknown_argument", arg = arg())),
        ErrorKind::InvalidSubcommand => zh(text!(
            "usage.unknown_command",
            command = c.one(ContextKind::InvalidSubcommand)
        )),
        ErrorKind::MissingRequiredArgument => zh(text!(
            "usage.missing_arguments",
            args = c.all(ContextKind::InvalidArg).join("\n  ")
        )),
        ErrorKind::MissingSubcommand => zh(text!(
            "usage.missing_subcommand",
            command = c.one(ContextKind::InvalidSubcommand),
            commands = c.all(ContextKind::ValidSubcommand).join("、")
        )),
        ErrorKind::ArgumentConflict => conflict_zh(c),
        ErrorKind::TooManyValues => zh(text!(
            "usage.too_many_values",
            value = c.one(ContextKind::InvalidValue),
            arg = arg()
        )),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            zh(text!("usage.wrong_number_of_values", arg = arg()))
        }
        ErrorKind::ValueValidation => {
            let value = c.one(ContextKind::InvalidValue);
            match std::error::Error::source(c.0) {
                Some(why) => zh(text!(
                    "usage.invalid_value_because",
                    arg = arg(),
                    value = value,
                    why = why_invalid_zh(why)
                )),
                None => zh(text!("usage.invalid_value", arg = arg(), value = value)),
            }
        }
        ErrorKind::NoEquals => zh(text!("usage.no_equals", arg = arg())),
        ErrorKind::InvalidUtf8 => zh(text!("usage.not_utf8")),
        _ => return None,
    })
}

/// Why a typed value is invalid, in Chinese where the reason is a number's (clap and the
/// standard library word those in English); any other reason is yishi's own, already worded.
fn why_invalid_zh(why: &(dyn std::error::Error + 'static)) -> String {
    use std::num::IntErrorKind;
    if let Some(e) = why.downcast_ref::<std::num::ParseIntError>() {
        return zh(match e.kind() {
            IntErrorKind::Empty => yishi_core::text!("usage.why.empty"),
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => {
                yishi_core::text!("usage.why.too_large")
            }
            _ => yishi_core::text!("usage.why.not_a_whole_number"),
        });
    }
    let said = why.to_string();
    // clap's ranged parsers: "3000 is not in 2000..=2200", "0 is not in 1..18446744073709551615"
    // (no upper bound: the type's largest value, given after `..`).
    let bounds = said.split_once(" is not in ").map(|(_, b)| b);
    let Some((low, high)) = bounds.and_then(|b| b.split_once("..")) else {
        return said;
    };
    let last = match high.strip_prefix('=') {
        Some(last) => last.parse::<i128>().ok(),
        None => high.parse::<i128>().ok().map(|end| end - 1),
    };
    match last {
        Some(last) if last >= i128::from(i64::MAX) - 1 => {
            zh(yishi_core::text!("usage.why.at_least", low = low))
        }
        Some(last) => zh(yishi_core::text!(
            "usage.why.between",
            low = low,
            high = last
        )),
        None => said,
    }
}

/// A value that is not allowed (or missing), with the values that are.
fn invalid_value_zh(c: &Clap) -> String {
    let arg = c.one(ContextKind::InvalidArg);
    let value = c.one(ContextKind::InvalidValue);
    let mut m = if value.is_empty() {
        zh(text!("usage.value_missing", arg = arg))
    } else {
        zh(text!("usage.value_not_allowed", arg = arg, value = value))
    };
    let valid = c.all(ContextKind::ValidValue);
    if !valid.is_empty() {
        m.push_str("\n  ");
        m.push_str(&zh(text!(
            "usage.allowed_values",
            values = valid.join("、")
        )));
    }
    m
}

/// An argument given twice, or with one it excludes.
fn conflict_zh(c: &Clap) -> String {
    let arg = c.one(ContextKind::InvalidArg);
    let prior = c.all(ContextKind::PriorArg);
    if prior.len() == 1 && prior[0] == arg {
        zh(text!("usage.given_twice", arg = arg))
    } else if prior.is_empty() {
        zh(text!("usage.conflict_unnamed", arg = arg))
    } else {
        zh(text!("usage.conflict", arg = arg, with = quoted_zh(&prior)))
    }
}

/// clap's suggestions (the argument, command or value meant; a value to put after --).
fn hints_zh(c: &Clap) -> String {
    let mut hints = Vec::new();
    if let Some(arg) = c.maybe(ContextKind::SuggestedArg) {
        hints.push(text!("usage.did_you_mean_argument", arg = arg));
    }
    let subs = c.all(ContextKind::SuggestedSubcommand);
    if !subs.is_empty() {
        hints.push(text!(
            "usage.did_you_mean_command",
            commands = quoted_zh(&subs)
        ));
    }
    if let Some(v) = c.maybe(ContextKind::SuggestedValue) {
        hints.push(text!("usage.did_you_mean_value", value = v));
    }
    if let Some(trailing) = c.maybe(ContextKind::TrailingArg) {
        hints.push(text!("usage.after_double_dash", value = trailing));
    }
    hints
        .into_iter()
        .map(|h| format!("\n  {}", zh(h)))
        .collect()
}

/// The usage line of the command, its headings in Chinese (empty when clap gives none).
fn usage_line_zh(e: &clap::Error) -> String {
    match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(u)) => u
            .to_string()
            .replacen("Usage:", "用法：", 1)
            .replace("[OPTIONS]", "[选项]")
            .trim()
            .to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn chinese_wraps_between_characters_keeping_words_and_punctuation() {
        let line = format!(
            "{}来源渠道：offline（线下）、interview（访谈）、online（线上），或 yishi.toml 中 [channels] 设定的本社区叫法",
            " ".repeat(35)
        );
        let wrapped = wrap_cjk(&line, 80);
        for l in wrapped.lines() {
            assert!(l.width() <= 80, "{l}");
            let text = l.trim_start();
            assert!(
                !"、。，；：？！）".contains(text.chars().next().unwrap()),
                "{wrapped}"
            );
        }
        assert!(wrapped.contains("yishi.toml"), "{wrapped}");
    }

    /// A Chinese placeholder in an option's name (`<语言>`) keeps the gap clap aligned: the
    /// gap is not taken for the spaces left at a break.
    #[test]
    fn a_chinese_placeholder_keeps_its_column() {
        let line = format!(
            "      --lang <语言>    {}",
            "消息、帮助和文书的语言".repeat(8)
        );
        let wrapped = wrap_cjk(&line, 80);
        assert!(
            wrapped.starts_with("      --lang <语言>    消息"),
            "{wrapped}"
        );
        let second = wrapped.lines().nth(1).unwrap_or_default();
        assert_eq!(
            second.width() - second.trim_start().width(),
            23,
            "{wrapped}"
        );
    }
}
