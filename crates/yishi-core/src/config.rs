//! yishi.toml: the community, its seat categories and the council's rules.
//!
//! The file is read once per command. The rules in force are later copied into each meeting
//! when it is convened, so editing the file never rewrites history.

use crate::domain::channel::ChannelWords;
use crate::domain::issue::Channel;
use crate::domain::rules::{Fraction, MajorityRule, QuorumBase};
use crate::domain::seat::{self, SeatCategory, SeatKind, StakeholdersVote};
use crate::domain::suggest::CategoryKeywords;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use crate::domain::locale::Locale;

/// The council's rules; snapshotted into each meeting as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    pub quorum: Fraction,
    pub quorum_base: QuorumBase,
    pub majority: MajorityRule,
    pub stakeholders_vote: StakeholdersVote,
    pub notice_days: u32,
    pub public_notice_days: u32,
    pub speeches_per_motion: u32,
    pub speech_minutes: u32,
    /// Nantang order (chair's neutrality, alternating sides): a warning or a refusal.
    #[serde(default)]
    pub nantang: NantangMode,
}

/// How the Nantang speaking order is enforced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NantangMode {
    #[default]
    Warn,
    Refuse,
}

impl std::str::FromStr for NantangMode {
    type Err = crate::i18n::Text;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim() {
            "warn" => Ok(NantangMode::Warn),
            "refuse" => Ok(NantangMode::Refuse),
            other => Err(crate::text!("rules.not_a_nantang_mode", value = other)),
        }
    }
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            quorum: Fraction::TWO_THIRDS,
            quorum_base: QuorumBase::Standing,
            majority: MajorityRule::MajorityPresent,
            stakeholders_vote: StakeholdersVote::OwnItems,
            notice_days: 3,
            public_notice_days: 7,
            speeches_per_motion: 2,
            speech_minutes: 2,
            nantang: NantangMode::Warn,
        }
    }
}

/// When things fall due for `yishi status`, `remind` and `calendar` (the `[reminders]` section).
/// Days are calendar days; the defaults follow common practice (PRACTICE.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminders {
    /// Days an issue may wait to be screened (受理 or 不予受理) after it was raised.
    pub screen_days: u32,
    /// Days after acceptance by which the pre-consultation (会前协商) should be held.
    pub consult_days: u32,
    /// Days after a meeting by which its decisions should be posted (决议公示).
    pub decision_notice_days: u32,
    /// Days after an issue is completed by which its results should be published (实施结果公开).
    pub result_notice_days: u32,
    /// Days after an issue is completed by which residents' feedback (评议) should be collected.
    pub feedback_days: u32,
    /// How far `status` and `remind` look ahead when --within is not given.
    pub within_days: u32,
    /// Days the residents who raised an issue may wait for a reply (答复) after it reaches a
    /// step (受理 or 不予受理, 决议, 结果).
    pub reply_days: u32,
}

impl Default for Reminders {
    fn default() -> Self {
        Reminders {
            screen_days: 5,
            consult_days: 14,
            decision_notice_days: 2,
            result_notice_days: 7,
            feedback_days: 14,
            within_days: 7,
            reply_days: 7,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub community: String,
    pub population: Option<u32>,
    pub locale: Locale,
    /// Recorded as the actor of changes when --as is not given.
    pub secretary: Option<String>,
    /// Who residents ask about a notice (联系人), printed on notices and posters.
    pub contact: Option<String>,
    /// The residents' committee's phone (联系电话); an office number, so shown unmasked.
    pub contact_phone: Option<String>,
    pub rules: Rules,
    pub seats: Vec<SeatCategory>,
    /// The community's words for channels and the report group of each (`[channels]`).
    pub channels: ChannelWords,
    /// The channel of a survey export's rows that name none (`[channels] survey`, 线上).
    pub survey_channel: String,
    /// Keywords that suggest an imported issue's category (`[categories]`).
    pub categories: CategoryKeywords,
    pub reminders: Reminders,
    /// Where residents give their verdict (`[feedback]`): the survey a result notice's QR
    /// code opens.
    pub feedback: Feedback,
}

/// The `[feedback]` section: the satisfaction survey (问卷星, 腾讯问卷) a result notice links to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feedback {
    /// The survey's address (https://...); none: notices carry no QR code.
    pub survey_url: Option<String>,
    /// The survey tool's pass-through parameter that carries the issue's id (问卷星:
    /// `sojumpparm`), so the export's custom-parameter column maps each answer to its issue.
    pub survey_param: String,
}

impl Default for Feedback {
    fn default() -> Self {
        Feedback {
            survey_url: None,
            survey_param: "sojumpparm".into(),
        }
    }
}

impl Feedback {
    /// The survey link for one issue: the address with `param=ID` added.
    pub fn link(&self, issue: i64) -> Option<String> {
        let url = self.survey_url.as_deref()?;
        let sep = if url.contains('?') { '&' } else { '?' };
        let url = url.trim_end_matches(['?', '&']);
        Some(format!("{url}{sep}{}={issue}", self.survey_param))
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            community: "本社区".into(),
            population: None,
            locale: Locale::ZhCn,
            secretary: None,
            contact: None,
            contact_phone: None,
            rules: Rules::default(),
            seats: seat::default_seats(),
            channels: ChannelWords::default(),
            survey_channel: SURVEY_CHANNEL.into(),
            categories: CategoryKeywords::default(),
            reminders: Reminders::default(),
            feedback: Feedback::default(),
        }
    }
}

/// The file as written; strings are checked and turned into typed values in `validate`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    community: Option<String>,
    population: Option<i64>,
    locale: Option<String>,
    secretary: Option<String>,
    contact: Option<String>,
    contact_phone: Option<String>,
    #[serde(default)]
    rules: RawRules,
    seats: Option<Vec<SeatCategory>>,
    /// word = "offline" | "interview" | "online" (or 线下 / 访谈 / 线上)
    #[serde(default)]
    channels: std::collections::BTreeMap<String, String>,
    /// keyword = category (key or Chinese name); absent: the built-in keywords
    categories: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    reminders: RawReminders,
    #[serde(default)]
    feedback: RawFeedback,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFeedback {
    survey_url: Option<String>,
    survey_param: Option<String>,
}

/// A survey address yishi can put in a QR code: http(s), something after the scheme, no
/// spaces or control characters.
pub fn is_web_address(u: &str) -> bool {
    (u.starts_with("https://") || u.starts_with("http://"))
        && u.len() > "https://".len()
        && !u.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl RawFeedback {
    fn validate(self) -> Result<Feedback> {
        let d = Feedback::default();
        let survey_url = match self.survey_url.filter(|u| !u.trim().is_empty()) {
            None => None,
            Some(u) => {
                let u = u.trim().to_string();
                if !is_web_address(&u) {
                    return Err(bad_text(
                        "feedback.survey_url",
                        crate::text!("config.not_a_web_address", value = &u),
                    ));
                }
                Some(u)
            }
        };
        let survey_param = match self.survey_param {
            None => d.survey_param,
            Some(p)
                if !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
            {
                p
            }
            Some(p) => {
                return Err(bad_text(
                    "feedback.survey_param",
                    crate::text!("config.not_a_parameter", value = &p),
                ));
            }
        };
        Ok(Feedback {
            survey_url,
            survey_param,
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReminders {
    screen_days: Option<i64>,
    consult_days: Option<i64>,
    decision_notice_days: Option<i64>,
    result_notice_days: Option<i64>,
    feedback_days: Option<i64>,
    within_days: Option<i64>,
    reply_days: Option<i64>,
}

impl RawReminders {
    fn validate(self) -> Result<Reminders> {
        let d = Reminders::default();
        Ok(Reminders {
            screen_days: days(
                "reminders.screen_days",
                self.screen_days,
                d.screen_days,
                365,
            )?,
            consult_days: days(
                "reminders.consult_days",
                self.consult_days,
                d.consult_days,
                365,
            )?,
            decision_notice_days: days(
                "reminders.decision_notice_days",
                self.decision_notice_days,
                d.decision_notice_days,
                365,
            )?,
            result_notice_days: days(
                "reminders.result_notice_days",
                self.result_notice_days,
                d.result_notice_days,
                365,
            )?,
            feedback_days: days(
                "reminders.feedback_days",
                self.feedback_days,
                d.feedback_days,
                365,
            )?,
            within_days: days(
                "reminders.within_days",
                self.within_days,
                d.within_days,
                366,
            )?,
            reply_days: days("reminders.reply_days", self.reply_days, d.reply_days, 365)?,
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    quorum: Option<String>,
    quorum_base: Option<String>,
    majority: Option<String>,
    stakeholders_vote: Option<RawStakeholdersVote>,
    notice_days: Option<i64>,
    public_notice_days: Option<i64>,
    speeches_per_motion: Option<i64>,
    speech_minutes: Option<i64>,
    nantang: Option<String>,
}

impl RawRules {
    /// `[rules]` checked key by key, a missing key taking the default.
    fn validate(self) -> Result<Rules> {
        let r = self;
        let dr = Rules::default();
        Ok(Rules {
            quorum: match r.quorum {
                None => dr.quorum,
                Some(q) => q.parse().map_err(|e| bad_text("rules.quorum", e))?,
            },
            quorum_base: match r.quorum_base {
                None => dr.quorum_base,
                Some(q) => q.parse().map_err(|e| bad_text("rules.quorum_base", e))?,
            },
            majority: match r.majority {
                None => dr.majority,
                Some(m) => m.parse().map_err(|e| bad_text("rules.majority", e))?,
            },
            stakeholders_vote: match r.stakeholders_vote {
                None => dr.stakeholders_vote,
                Some(RawStakeholdersVote::Flag(true)) => StakeholdersVote::All,
                Some(RawStakeholdersVote::Flag(false)) => StakeholdersVote::None,
                Some(RawStakeholdersVote::Key(k)) => k
                    .parse()
                    .map_err(|e| bad_text("rules.stakeholders_vote", e))?,
            },
            notice_days: days("rules.notice_days", r.notice_days, dr.notice_days, 60)?,
            public_notice_days: days(
                "rules.public_notice_days",
                r.public_notice_days,
                dr.public_notice_days,
                90,
            )?,
            speeches_per_motion: days(
                "rules.speeches_per_motion",
                r.speeches_per_motion,
                dr.speeches_per_motion,
                100,
            )?,
            speech_minutes: days(
                "rules.speech_minutes",
                r.speech_minutes,
                dr.speech_minutes,
                120,
            )?,
            nantang: match r.nantang {
                None => dr.nantang,
                Some(n) => n.parse().map_err(|e| bad_text("rules.nantang", e))?,
            },
        })
    }
}

/// `stakeholders_vote = "own-items"`; older files wrote `true` (every item) or `false` (none).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawStakeholdersVote {
    Flag(bool),
    Key(String),
}

/// A value of yishi.toml that is wrong, with a detail worded elsewhere (the same in both
/// languages).
fn bad_value(key: &str, e: Error) -> Error {
    match &e.text {
        Some(t) => bad_text(key, t.clone()),
        None => Error::data_text(crate::text!("config.bad_value", key = key, msg = e)),
    }
}

/// A value of yishi.toml that is wrong, the detail worded by the catalogue.
fn bad_text(key: &str, msg: crate::i18n::Text) -> Error {
    Error::data_text(crate::text!("config.bad_value", key = key).text("msg", &msg))
}

fn days(key: &str, value: Option<i64>, default: u32, max: i64) -> Result<u32> {
    match value {
        None => Ok(default),
        Some(v) if (0..=max).contains(&v) => Ok(v as u32),
        Some(v) => Err(bad_text(
            key,
            crate::text!("config.out_of_range", value = v, max = max),
        )),
    }
}

impl Config {
    /// Read the file at `path`; a missing file means the defaults.
    pub fn load(path: &Path) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(Error::data_text(
                    crate::text!("config.unreadable", path = path.display()).os_error("error", &e),
                ));
            }
        };
        Config::parse(&text).map_err(|e| e.context(path.display()))
    }

    pub fn parse(text: &str) -> Result<Config> {
        // toml's message names the line and column and shows it (in Chinese, worded by the
        // catalogue); the hint says what to do.
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (zh, en) = crate::i18n::toml_error::words(text, &e);
            Error::data_text(crate::text!("config.toml_error").pair("error", zh, en))
        })?;
        Config::validate(raw)
    }

    fn validate(raw: RawConfig) -> Result<Config> {
        let d = Config::default();
        let community = match raw.community {
            Some(c) => crate::domain::text::single_line("community", &c)
                .map_err(|e| bad_value("community", e))?,
            None => d.community,
        };
        let population = population(raw.population)?;
        let locale = match raw.locale {
            None => d.locale,
            Some(l) => locale(&l)?,
        };
        let secretary = raw.secretary.filter(|s| !s.trim().is_empty());
        let optional_line = |key: &str, v: Option<String>| -> Result<Option<String>> {
            match v.filter(|s| !s.trim().is_empty()) {
                None => Ok(None),
                Some(s) => crate::domain::text::single_line(key, &s)
                    .map(Some)
                    .map_err(|e| bad_value(key, e)),
            }
        };
        let contact = optional_line("contact", raw.contact)?;
        let contact_phone = optional_line("contact_phone", raw.contact_phone)?;
        let rules = raw.rules.validate()?;
        let seats = raw.seats.unwrap_or(d.seats);
        validate_seats(&seats)?;
        let (channels, survey_channel) = channels(raw.channels)?;
        let categories = match raw.categories {
            Some(table) => categories(table)?,
            None => CategoryKeywords::default(),
        };
        let reminders = raw.reminders.validate()?;
        let feedback = raw.feedback.validate()?;
        Ok(Config {
            community,
            population,
            locale,
            secretary,
            contact,
            contact_phone,
            rules,
            seats,
            channels,
            survey_channel,
            categories,
            reminders,
            feedback,
        })
    }

    /// Find a seat by key, Chinese or English name ("women", "妇女代表", "Women").
    pub fn seat(&self, wanted: &str) -> Result<(SeatCategory, SeatKind)> {
        let w = wanted.trim();
        let specials = special_seats();
        let found = self
            .seats
            .iter()
            .map(|s| (s, SeatKind::Standing))
            .chain(specials.iter().map(|(s, k)| (s, *k)))
            .find(|(s, _)| {
                s.key.eq_ignore_ascii_case(w)
                    || s.zh == w
                    || s.en.eq_ignore_ascii_case(w)
                    || s.zh.trim_end_matches("代表") == w
            })
            .map(|(s, k)| (s.clone(), k));
        found.ok_or_else(|| {
            let zh: Vec<String> = self
                .seats
                .iter()
                .chain(specials.iter().map(|(s, _)| s))
                .map(|s| s.zh.clone())
                .collect();
            Error::data_text(
                crate::text!(
                    "seat.unknown",
                    seat = w,
                    keys = self.all_seat_keys().join(", ")
                )
                .pair("zh_list", zh.join("、"), zh.join(", ")),
            )
        })
    }

    /// The kind of member `name`'s stored seat key. A key that yishi.toml does not list is
    /// an error naming the member and the seat, never a standing seat by default: counting it
    /// would change who is invited and the quorum without anyone deciding so.
    pub fn seat_kind(&self, name: &str, key: &str) -> Result<SeatKind> {
        match key {
            seat::STAKEHOLDER => Ok(SeatKind::Stakeholder),
            seat::OBSERVER => Ok(SeatKind::Observer),
            k if self.seats.iter().any(|s| s.key == k) => Ok(SeatKind::Standing),
            _ => Err(Error::data_text(crate::text!(
                "config.seat_not_configured",
                name = name,
                seat = key,
                keys = self.all_seat_keys().join(", "),
            ))),
        }
    }

    /// The display name of a seat key in the configured locale.
    pub fn seat_label(&self, key: &str, locale: Locale) -> String {
        let specials = special_seats();
        let found = self
            .seats
            .iter()
            .chain(specials.iter().map(|(s, _)| s))
            .find(|s| s.key == key);
        match (found, locale) {
            (Some(s), Locale::ZhCn) => s.zh.clone(),
            (Some(s), Locale::En) => s.en.clone(),
            (None, _) => key.to_string(),
        }
    }

    pub fn all_seat_keys(&self) -> Vec<String> {
        self.seats
            .iter()
            .map(|s| s.key.clone())
            .chain([seat::STAKEHOLDER.to_string(), seat::OBSERVER.to_string()])
            .collect()
    }
}

// Built once per call; two entries, so no need for a static.
fn special_seats() -> Vec<(SeatCategory, SeatKind)> {
    let [s, o] = seat::special_seats();
    vec![(s, SeatKind::Stakeholder), (o, SeatKind::Observer)]
}

/// The channel of a survey export's rows when `[channels]` has no `survey` key.
const SURVEY_CHANNEL: &str = "线上";

/// The defaults with the community's `[channels]` added or regrouped, and the channel of
/// survey rows (`survey = "线上"`: a channel word, not a group).
fn channels(
    mut table: std::collections::BTreeMap<String, String>,
) -> Result<(ChannelWords, String)> {
    let mut words = ChannelWords::default();
    let survey = table.remove("survey");
    for (word, group) in table {
        let key = format!("channels.{word}");
        let w = crate::domain::text::single_line(&key, &word).map_err(|e| bad_value(&key, e))?;
        let g = match group.trim() {
            "offline" | "线下" => Channel::Offline,
            "interview" | "访谈" => Channel::Interview,
            "online" | "线上" => Channel::Online,
            other => {
                return Err(bad_text(
                    &key,
                    crate::text!("config.not_a_channel_group", value = other),
                ));
            }
        };
        words.set(&w, g);
    }
    let survey = match survey {
        None => SURVEY_CHANNEL.to_string(),
        Some(word) => match words.resolve(&word) {
            Some((w, _)) => w,
            None => return Err(bad_text("channels.survey", words.unknown_text(&word))),
        },
    };
    Ok((words, survey))
}

/// `[categories]`: keyword = category, the category by its key or Chinese name.
fn categories(table: std::collections::BTreeMap<String, String>) -> Result<CategoryKeywords> {
    let mut keywords = CategoryKeywords::empty();
    for (word, category) in table {
        let key = format!("categories.{word}");
        let w = crate::domain::text::single_line(&key, &word).map_err(|e| bad_value(&key, e))?;
        // By its key, name or a word of it exactly (parse_category also finds a word inside a
        // longer one: 交通局 would be 停车).
        let c = crate::domain::issue::CATEGORIES
            .iter()
            .find(|(k, zh, words)| {
                let c = category.trim();
                *k == c.to_ascii_lowercase() || *zh == c || words.contains(&c)
            })
            .map(|c| c.0);
        let c = c.ok_or_else(|| {
            bad_text(
                &key,
                crate::text!(
                    "config.not_a_category",
                    value = &category,
                    allowed = crate::domain::issue::CATEGORIES
                        .iter()
                        .map(|c| c.1)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        keywords.add(&w, c);
    }
    Ok(keywords)
}

/// `population`: 0 or missing is unknown; otherwise a plausible number of residents.
fn population(population: Option<i64>) -> Result<Option<u32>> {
    match population {
        None | Some(0) => Ok(None),
        Some(p) if (1..=100_000_000).contains(&p) => Ok(Some(p as u32)),
        Some(p) => Err(bad_text(
            "population",
            crate::text!("config.not_a_population", value = p),
        )),
    }
}

/// `locale`: one of the languages the tool speaks.
fn locale(l: &str) -> Result<Locale> {
    Locale::parse(l).ok_or_else(|| {
        bad_text(
            "locale",
            crate::text!(
                "config.locale_unsupported",
                value = l,
                allowed = Locale::ALL.join(", ")
            ),
        )
    })
}

/// The `[categories]` section `init` writes: the built-in keywords, grouped by category.
fn validate_seats(seats: &[SeatCategory]) -> Result<()> {
    if seats.is_empty() {
        return Err(bad_text("seats", crate::text!("config.no_standing_seat")));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, s) in seats.iter().enumerate() {
        let key = format!("seats[{i}].key");
        if !seat::valid_key(&s.key) {
            return Err(bad_text(
                &key,
                crate::text!("config.not_a_seat_key", value = &s.key),
            ));
        }
        if s.key == seat::STAKEHOLDER || s.key == seat::OBSERVER {
            return Err(bad_text(
                &key,
                crate::text!("config.seat_built_in", value = &s.key),
            ));
        }
        if !seen.insert(s.key.as_str()) {
            return Err(bad_text(
                &key,
                crate::text!("config.seat_twice", value = &s.key),
            ));
        }
        if s.zh.trim().is_empty() || s.en.trim().is_empty() {
            return Err(bad_text(
                &format!("seats[{i}]"),
                crate::text!("config.seat_names_empty"),
            ));
        }
    }
    Ok(())
}

/// The commented yishi.toml that `init` writes, its comments in `locale` (the catalogue's
/// `config_template.*`); the settings are the same in every language.
pub fn template(
    community: &str,
    population: Option<u32>,
    survey_url: Option<&str>,
    locale: Locale,
) -> String {
    // A catalogue entry as TOML comment lines.
    let c = |text: crate::i18n::Text| comment(text, locale);
    let mut out = c(crate::text!("config_template.header"));
    out.push('\n');
    out.push_str(&format!("community = {}\n", toml_string(community)));
    out.push_str(&c(crate::text!("config_template.population")));
    out.push_str(&format!("population = {}\n", population.unwrap_or(0)));
    out.push_str(&c(crate::text!("config_template.locale")));
    out.push_str("locale = \"zh-CN\"\n");
    out.push_str(&c(crate::text!("config_template.secretary")));
    out.push_str("# secretary = \"王秘书\"\n");
    out.push_str(&c(crate::text!("config_template.contact")));
    out.push_str("# contact = \"王秘书\"\n# contact_phone = \"0571-8888 1234\"\n\n");
    out.push_str(&template_rules(locale));
    out.push_str(&template_channels_categories(locale));
    out.push_str(&template_reminders(locale));
    out.push('\n');
    out.push_str(&template_feedback_seats(survey_url, locale));
    out
}

/// A catalogue entry as TOML comment lines.
fn comment(text: crate::i18n::Text, locale: Locale) -> String {
    text.render(locale)
        .lines()
        .map(|l| format!("# {l}\n"))
        .collect()
}

/// The template's `[rules]` table with the defaults and their comments.
fn template_rules(locale: Locale) -> String {
    let c = |text: crate::i18n::Text| comment(text, locale);
    let r = Rules::default();
    let mut out = String::new();
    out.push_str("[rules]\n");
    out.push_str(&c(crate::text!("config_template.quorum")));
    out.push_str(&format!("quorum = \"{}\"\n", r.quorum));
    out.push_str(&c(crate::text!("config_template.quorum_base")));
    out.push_str("quorum_base = \"standing\"\n");
    out.push_str(&c(crate::text!(
        "config_template.majority",
        rules = MajorityRule::ALL.join(" | ")
    )));
    out.push_str(&format!("majority = \"{}\"\n", r.majority));
    out.push_str(&c(crate::text!("config_template.stakeholders_vote")));
    out.push_str(&format!(
        "stakeholders_vote = \"{}\"\n",
        r.stakeholders_vote.key()
    ));
    out.push_str(&c(crate::text!("config_template.notice_days")));
    out.push_str(&format!("notice_days = {}\n", r.notice_days));
    out.push_str(&c(crate::text!("config_template.public_notice_days")));
    out.push_str(&format!("public_notice_days = {}\n", r.public_notice_days));
    out.push_str(&c(crate::text!("config_template.speeches")));
    out.push_str(&format!(
        "speeches_per_motion = {}\nspeech_minutes = {}\n",
        r.speeches_per_motion, r.speech_minutes
    ));
    out.push_str(&c(crate::text!("config_template.nantang")));
    out.push_str("nantang = \"warn\"\n\n");
    out
}

/// The template's `[channels]` (examples only) and `[categories]` (the default keywords).
fn template_channels_categories(locale: Locale) -> String {
    let c = |text: crate::i18n::Text| comment(text, locale);
    let mut out = String::new();
    out.push_str("[channels]\n");
    out.push_str(&c(crate::text!("config_template.channels")));
    out.push_str("# \"楼长转达\" = \"offline\"\n");
    out.push_str(&c(crate::text!("config_template.survey")));
    out.push_str(&format!("# survey = \"{SURVEY_CHANNEL}\"\n\n"));
    out.push_str("[categories]\n");
    out.push_str(&c(crate::text!("config_template.categories")));
    for (word, category) in crate::domain::suggest::DEFAULT_KEYWORDS {
        out.push_str(&format!(
            "{} = {}\n",
            toml_string(word),
            toml_string(category)
        ));
    }
    out
}

/// The template's `[reminders]` table with the default days.
fn template_reminders(locale: Locale) -> String {
    let c = |text: crate::i18n::Text| comment(text, locale);
    let mut out = String::new();
    out.push('\n');
    out.push_str("[reminders]\n");
    out.push_str(&c(crate::text!("config_template.reminders")));
    let d = Reminders::default();
    for (key, days) in [
        ("screen_days", d.screen_days),
        ("consult_days", d.consult_days),
        ("decision_notice_days", d.decision_notice_days),
        ("result_notice_days", d.result_notice_days),
        ("feedback_days", d.feedback_days),
        ("within_days", d.within_days),
        ("reply_days", d.reply_days),
    ] {
        out.push_str(&c(crate::i18n::Text::new(reminder_key(key))));
        out.push_str(&format!("{key} = {days}\n"));
    }
    out
}

/// The template's `[feedback]` table and the default `[[seats]]`.
fn template_feedback_seats(survey_url: Option<&str>, locale: Locale) -> String {
    let c = |text: crate::i18n::Text| comment(text, locale);
    let mut out = String::new();
    out.push_str("[feedback]\n");
    out.push_str(&c(crate::text!("config_template.feedback")));
    match survey_url {
        Some(url) => out.push_str(&format!("survey_url = {}\n", toml_string(url))),
        None => out.push_str("# survey_url = \"https://www.wjx.cn/vm/XXXXXX.aspx\"\n"),
    }
    out.push_str("survey_param = \"sojumpparm\"\n\n");
    out.push_str(&c(crate::text!("config_template.seats")));
    for s in seat::default_seats() {
        out.push_str(&format!(
            "\n[[seats]]\nkey = {}\nzh = {}\nen = {}\nmin = {}\n",
            toml_string(&s.key),
            toml_string(&s.zh),
            toml_string(&s.en),
            s.min
        ));
    }
    out
}

/// The catalogue key of the comment above a `[reminders]` setting.
fn reminder_key(setting: &str) -> &'static str {
    match setting {
        "screen_days" => "config_template.screen_days",
        "consult_days" => "config_template.consult_days",
        "decision_notice_days" => "config_template.decision_notice_days",
        "result_notice_days" => "config_template.result_notice_days",
        "feedback_days" => "config_template.feedback_days",
        "reply_days" => "config_template.reply_days",
        _ => "config_template.within_days",
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_reads_back_as_defaults() {
        let c = Config::parse(&template("汀塘社区", Some(4000), None, Locale::En)).unwrap();
        assert_eq!(c.community, "汀塘社区");
        assert_eq!(c.feedback, Feedback::default());
        assert_eq!(c.population, Some(4000));
        assert_eq!(c.rules, Rules::default());
        assert_eq!(c.seats, seat::default_seats());
        assert_eq!(c.channels, ChannelWords::default());
    }

    #[test]
    fn a_survey_given_to_init_is_written_live_and_reads_back() {
        let url = "https://www.wjx.cn/vm/tingtang.aspx";
        let c = Config::parse(&template("汀塘社区", None, Some(url), Locale::ZhCn)).unwrap();
        assert_eq!(c.feedback.survey_url.as_deref(), Some(url));
        assert_eq!(
            c.feedback.link(7).as_deref(),
            Some("https://www.wjx.cn/vm/tingtang.aspx?sojumpparm=7")
        );
        assert!(!is_web_address("www.wjx.cn/vm/x.aspx") && !is_web_address("https://a b"));
    }

    #[test]
    fn categories_replace_the_keywords_and_name_a_bad_category() {
        let c =
            Config::parse("[categories]\n\"加装电梯\" = \"养老\"\n\"车棚\" = \"parking\"").unwrap();
        assert_eq!(c.categories.len(), 2);
        assert_eq!(c.categories.suggest("3栋加装电梯", None), Some("elderly"));
        assert_eq!(c.categories.suggest("路灯不亮", None), None);
        // Without the section, the built-in keywords.
        let d = Config::parse("").unwrap();
        assert_eq!(d.categories.suggest("路灯不亮", None), Some("facilities"));
        assert_eq!(d.survey_channel, "线上");
        let e = Config::parse("[categories]\n\"电梯\" = \"交通局\"").unwrap_err();
        assert!(
            e.message.contains("categories.电梯")
                && e.message.contains("\"交通局\" is not a category"),
            "{e}"
        );
        // The file `init` writes reads back with the built-in keywords.
        let t = Config::parse(&template("汀塘社区", None, None, Locale::ZhCn)).unwrap();
        // (In another order: the order of keywords decides nothing.)
        assert_eq!(
            serde_json::to_value(&t.categories).unwrap(),
            serde_json::to_value(CategoryKeywords::default()).unwrap()
        );
    }

    #[test]
    fn channels_add_words_and_name_a_bad_group() {
        let c =
            Config::parse("[channels]\n\"楼长转达\" = \"offline\"\n\"走访\" = \"访谈\"").unwrap();
        assert_eq!(c.channels.group("楼长转达"), Some(Channel::Offline));
        assert_eq!(c.channels.group("走访"), Some(Channel::Interview));
        let e = Config::parse("[channels]\n\"网格\" = \"street\"").unwrap_err();
        assert!(
            e.message.contains("channels.网格") && e.message.contains("interview"),
            "{e}"
        );
        assert_eq!(c.reminders, Reminders::default());
    }

    #[test]
    fn reminders_are_read_and_checked() {
        let c = Config::parse("[reminders]\nscreen_days = 2\nwithin_days = 14").unwrap();
        assert_eq!(c.reminders.screen_days, 2);
        assert_eq!(c.reminders.within_days, 14);
        assert_eq!(
            c.reminders.feedback_days,
            Reminders::default().feedback_days
        );
        let e = Config::parse("[reminders]\nfeedback_days = -3").unwrap_err();
        assert!(e.message.contains("reminders.feedback_days"), "{e}");
        let e = Config::parse("[reminders]\nscreen_day = 3").unwrap_err();
        assert!(e.message.contains("screen_day"), "{e}");
    }

    #[test]
    fn bad_values_name_the_key_and_the_choices() {
        let e = Config::parse("[rules]\nmajority = \"most\"").unwrap_err();
        assert!(e.message.contains("rules.majority"), "{e}");
        assert!(e.message.contains("two-thirds"), "{e}");
        let e = Config::parse("locale = \"fr\"").unwrap_err();
        assert!(
            e.message.contains("locale") && e.message.contains("zh-CN"),
            "{e}"
        );
        let e = Config::parse("[rules]\nquorum = \"3/2\"").unwrap_err();
        assert!(e.message.contains("rules.quorum"), "{e}");
        let e = Config::parse("[rules]\nnotice_days = -1").unwrap_err();
        assert!(e.message.contains("rules.notice_days"), "{e}");
        let e = Config::parse("[rules]\nstakeholders_vote = \"some\"").unwrap_err();
        assert!(e.message.contains("rules.stakeholders_vote"), "{e}");
        assert!(e.message.contains("own-items"), "{e}");
        let e = Config::parse("[rules]\nnantang = \"maybe\"").unwrap_err();
        assert!(e.message.contains("rules.nantang"), "{e}");
        let e = Config::parse("colour = 1").unwrap_err();
        assert!(e.message.contains("colour"), "{e}");
        let e = Config::parse("[[seats]]\nkey = \"observer\"\nzh = \"x\"\nen = \"x\"").unwrap_err();
        assert!(e.message.contains("seats[0].key"), "{e}");
    }

    #[test]
    fn stakeholders_vote_accepts_the_old_yes_no() {
        let rule = |t: &str| Config::parse(t).unwrap().rules.stakeholders_vote;
        assert_eq!(rule(""), StakeholdersVote::OwnItems);
        assert_eq!(
            rule("[rules]\nstakeholders_vote = true"),
            StakeholdersVote::All
        );
        assert_eq!(
            rule("[rules]\nstakeholders_vote = false"),
            StakeholdersVote::None
        );
        assert_eq!(
            rule("[rules]\nstakeholders_vote = \"all\""),
            StakeholdersVote::All
        );
        // A meeting convened before the rule had three values still reads.
        let mut old = serde_json::to_value(Rules::default()).unwrap();
        old["stakeholders_vote"] = serde_json::Value::Bool(true);
        old.as_object_mut().unwrap().remove("nantang");
        let r: Rules = serde_json::from_value(old).unwrap();
        assert_eq!(r.stakeholders_vote, StakeholdersVote::All);
        assert_eq!(r.nantang, NantangMode::Warn);
    }

    #[test]
    fn seats_by_any_name() {
        let c = Config::default();
        assert_eq!(c.seat("women").unwrap().0.key, "women");
        assert_eq!(c.seat("妇女代表").unwrap().0.key, "women");
        assert_eq!(c.seat("妇女").unwrap().0.key, "women");
        assert_eq!(c.seat("observer").unwrap().1, SeatKind::Observer);
        // The English names, and the keys in any case ("Stakeholder" was the name once).
        assert_eq!(c.seat("Observers").unwrap().1, SeatKind::Observer);
        assert_eq!(c.seat("Stakeholder").unwrap().1, SeatKind::Stakeholder);
        assert_eq!(c.seat("Party members").unwrap().0.key, "party");
        let e = c.seat("mayor").unwrap_err();
        assert!(e.message.contains("social-org"));
    }
}
