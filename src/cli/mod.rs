//! The command line: global options, one module per command group, and dispatch.
//! Commands build their input, call the store, and hand results to `render`; no SQL here.

mod action;
mod args;
mod audit;
mod calendar;
mod completions;
mod council;
mod data;
mod demo;
mod demo_district;
mod dupes;
mod escalate;
mod feedback;
mod help;
mod init;
mod issue;
mod issue_import;
mod json;
mod lang;
mod ledger;
mod member;
mod minutes;
mod notice;
mod overwrite;
mod paging;
mod remind;
mod reply;
mod report;
mod resident;
mod rollup;
mod seats;
mod status;
mod values;
mod vote;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use yishi_core::Store;
use yishi_core::config::Config;
use yishi_core::domain::actor::Actor;
use yishi_core::domain::locale::Locale;
use yishi_core::error::{Error, Kind, Result};
use yishi_core::render::Output;
use yishi_core::text;

const EXAMPLES: &str = "\
Examples:
  yishi demo
  yishi init --community 汀塘社区 --population 4000
  yishi member import examples/tingtang/members.csv
  yishi member list
  yishi seats
  yishi verify

Exit codes: 0 ok, 1 refused by a rule (or verify found a problem), 2 usage, 65 bad input data,
70 internal error (a bug in yishi), 74 disk or file error (e.g. disk full), 75 database busy (try again).";

#[derive(Parser, Debug)]
#[command(
    name = "yishi",
    version,
    about = "议事: records of a residents' deliberation council (6+X) in one SQLite file",
    after_help = EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    /// The database file [default: yishi.db].
    #[arg(long, global = true, env = "YISHI_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// The configuration file [default: yishi.toml beside the database].
    #[arg(long, global = true, env = "YISHI_CONFIG", value_name = "PATH")]
    config: Option<PathBuf>,
    /// Who is making the change, for the audit log [default: secretary in yishi.toml, else the OS user].
    #[arg(long = "as", global = true, value_name = "NAME")]
    actor: Option<String>,
    /// Print data as JSON with stable field names.
    #[arg(long, global = true)]
    json: bool,
    /// Print only data and errors, no messages.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// No colours (also NO_COLOR=1, TERM=dumb, or output that is not a terminal).
    #[arg(long, global = true)]
    no_color: bool,
    /// Show residents' names, phone numbers and addresses unmasked.
    #[arg(long, global = true)]
    show_contacts: bool,
    /// Draw listings as box tables even when stdout is a pipe (default there: tab-separated).
    #[arg(long, global = true)]
    table: bool,
    /// Deprecated: --overwrite replaces files, restore's --accept-loss accepts losing events.
    #[arg(long, global = true, hide = true)]
    force: bool,
    /// Language of messages, help and documents: zh-CN or en [default: YISHI_LANG, else locale in yishi.toml, else the shell's LANG, else zh-CN; documents: locale in yishi.toml].
    #[arg(long, global = true, value_name = "LANG", value_parser = lang::parser(), hide_possible_values = true)]
    lang: Option<Locale>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a database and a commented yishi.toml.
    Init(init::Args),
    /// The council's members (6+X roster).
    #[command(
        subcommand,
        after_help = "Examples:\n  yishi member import examples/tingtang/members.csv\n  yishi member add 吴芳 --seat women --phone 13800001234 --address 3栋201\n  yishi member list\n  yishi member retire 吴芳 --date 2026-12-31"
    )]
    Member(member::Command),
    /// Residents' issues (议题): intake, screening, pre-consultation, CSV import.
    #[command(
        subcommand,
        after_help = "Examples:\n  yishi issue add 儿童没有课外活动场所 --by 陈阿姨 --channel offline --stakeholder 物业公司\n  yishi issue import examples/tingtang/issues.csv --dry-run\n  yishi issue accept 7 --note 属实，涉及多方\n  yishi issue consult 7 --with 物业公司 --summary 同意开放四楼并负责保洁\n  yishi issue list --status accepted"
    )]
    Issue(issue::Command),
    /// Councils (议事会): convene, attendance, speeches, open and close.
    #[command(
        subcommand,
        after_help = "Examples:\n  yishi council convene --date \"2026-12-05 19:30\" --place 老村部三楼会议室 --issue 7 --issue 5 --observer 汀塘社工站\n  yishi council notice M1\n  yishi council attend M2 王建国 李娜 张伟\n  yishi council open M2 --at 19:35\n  yishi council close M2 --at 21:10"
    )]
    Council(council::Command),
    /// Motions and votes (表决).
    #[command(
        subcommand,
        after_help = "Examples:\n  yishi vote open M2 --item 7 \"在四楼增设图书角\" --rule majority-present\n  yishi vote cast V6 --count 4:1:0\n  yishi vote close V6 --owner 王建国 --due 2027-03-31\n  yishi vote show V6 --json"
    )]
    Vote(vote::Command),
    /// Minutes (会议纪要): Markdown, HTML or JSON, in zh-CN or English.
    #[command(
        subcommand,
        after_help = "Examples:\n  yishi minutes export M1\n  yishi minutes export M1 --format html -o 纪要.html\n  yishi minutes export M1 --lang en --format json"
    )]
    Minutes(minutes::Command),
    /// Actions that carry out resolutions (落实与督办).
    #[command(
        subcommand,
        after_help = "Examples:\n  yishi action list\n  yishi action update A4 --progress 60 --note 墙面粉刷完成，书架已到\n  yishi action done A4 --note 图书角开放"
    )]
    Action(action::Command),
    /// Public notices: 决议公示 and 实施结果公开.
    #[command(
        subcommand,
        after_help = "Examples:\n  yishi notice decision M1 --days 7 -o 公示.txt\n  yishi notice result 1"
    )]
    Notice(notice::Command),
    /// Residents' feedback on results (评议): satisfaction and awareness.
    #[command(
        subcommand,
        after_help = "Examples:\n  yishi feedback add --issue 1 --resident 陈阿姨 --satisfaction 5 --aware yes --note 孩子们很喜欢\n  yishi feedback import examples/tingtang/feedback.csv --dry-run"
    )]
    Feedback(feedback::Command),
    /// What is due in the council cycle, step by step, with the command for each (like git status).
    Status(status::Args),
    /// The council's dates as an iCalendar file: meetings, notice deadlines, 公示 periods, due dates.
    Calendar(calendar::Args),
    /// 督办: per owner, the actions overdue or due soon, as a message for the chat group.
    Remind(remind::Args),
    /// Figures to report: issues, attendance, participation, awareness, satisfaction.
    Report(report::Args),
    /// The year's ledger (台账) as an Excel workbook: issues, meetings, resolutions, actions, feedback.
    Ledger(ledger::Args),
    /// The seat categories, how many active members each has, and gaps.
    Seats(seats::Args),
    /// The audit log: every change, who made it and when.
    Log(audit::LogArgs),
    /// Check the database: integrity, the audit chain, and every row against the log.
    Verify(audit::VerifyArgs),
    /// Build the Tingtang example in a fresh database and print its council's minutes.
    Demo(demo::Args),
    /// Copy the database safely, even while it is in use (SQLite's online backup).
    Backup(data::BackupArgs),
    /// Replace the database with a verified backup.
    Restore(data::RestoreArgs),
    /// Write every table as JSON lines: a documented archive for other systems.
    Export(data::ExportArgs),
    /// Residents' personal data: `resident forget`.
    #[command(
        subcommand,
        after_help = "Example:\n  yishi resident forget 陈阿姨 --yes"
    )]
    Resident(resident::Command),
    /// The street office's roll-up of its communities' report packages (街道汇总).
    Rollup(rollup::Args),
    /// Print a shell completion script.
    Completions(completions::Args),
}

/// What every command gets: options, configuration, output, and the store (opened on demand).
pub struct Ctx {
    pub db_path: PathBuf,
    pub config_path: PathBuf,
    pub config: Config,
    pub out: Output,
    /// The time of the command, read once (`yishi_core::clock`); everything else is given it.
    pub now: chrono::DateTime<chrono::Local>,
    /// The language given with --lang, if any.
    pub lang: Option<Locale>,
    /// The language of messages (see `lang`).
    pub ui: Locale,
    /// The deprecated `--force` was given (restore still reads it as `--accept-loss`).
    pub force: bool,
    actor: Option<String>,
    store: Option<Store>,
}

impl Ctx {
    /// The database opened for a command that writes, on first use; a missing file is an error
    /// that says how to create one. An import stopped in its index stage left indexes to
    /// build: they are built here, once, and said.
    pub fn store(&mut self) -> Result<&mut Store> {
        self.open_store(true)
    }

    /// The database for a command that may write, or for its `--dry-run`: a dry run changes
    /// nothing, so an import's unfinished index stage is left to the next command that writes
    /// (`verify` still calls it pending).
    pub fn store_for(&mut self, dry_run: bool) -> Result<&mut Store> {
        self.open_store(!dry_run)
    }

    /// The database opened for `issue reindex`, which builds whatever derived data and
    /// indexes are missing itself: an import's unfinished index stage is not completed first
    /// (what stopped it, such as a trigger put on a derived table, is what reindex mends).
    pub fn store_to_reindex(&mut self) -> Result<&mut Store> {
        self.open_store(false)
    }

    fn open_store(&mut self, complete_indexes: bool) -> Result<&mut Store> {
        if self.store.as_ref().is_none_or(Store::is_read_only) {
            self.store = None;
            let mut store = Store::open(&self.db_path)?;
            let started = std::time::Instant::now();
            if complete_indexes && store.complete_issue_indexes()? {
                self.out.say(&text!(
                    "import.indexes_completed",
                    seconds = format!("{:.1}", started.elapsed().as_secs_f64())
                ));
            }
            self.out.names = yishi_core::ops::records::names(&store, self.out.show_contacts)?;
            self.store = Some(store);
        }
        self.store
            .as_mut()
            .ok_or_else(|| Error::internal("the database could not be opened"))
    }

    /// The database opened for a command that only reads: read-only, so that a listing, the
    /// log or a report never writes the file, its schema or its indexes.
    pub fn reader(&mut self) -> Result<&Store> {
        if self.store.is_none() {
            let store = Store::open_read(&self.db_path)?;
            // The one masking rule, from the roster in the file being read.
            self.out.names = yishi_core::ops::records::names(&store, self.out.show_contacts)?;
            self.store = Some(store);
        }
        self.store
            .as_ref()
            .ok_or_else(|| Error::internal("the database could not be opened"))
    }

    /// The database and the configuration together, for operations that write.
    pub fn store_and_config(&mut self) -> Result<(&mut Store, &Config)> {
        self.store()?;
        match self.store.as_mut() {
            Some(store) => Ok((store, &self.config)),
            None => Err(Error::internal("the database could not be opened")),
        }
    }

    /// The database already opened by `reader()` or `store()`, for a read op whose output is rendered
    /// while it runs (streamed listings).
    pub fn opened(&self) -> Result<&Store> {
        self.store
            .as_ref()
            .ok_or_else(|| Error::internal("the database was not opened before reading"))
    }

    /// The language of documents and listings: --lang, else the community's `locale`.
    pub fn doc_locale(&self) -> Locale {
        self.lang.unwrap_or(self.config.locale)
    }

    /// Today in the local time zone, at the time of the command.
    pub fn today(&self) -> chrono::NaiveDate {
        self.now.date_naive()
    }

    /// The actor for the audit log: --as, else the configured secretary, else the OS user.
    pub fn actor(&self, command: &str) -> Actor {
        let name = self
            .actor
            .clone()
            .or_else(|| self.config.secretary.clone())
            .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
            .or_else(|| std::env::var("USERNAME").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| "secretary".into());
        Actor {
            name,
            command: command.into(),
            at: yishi_core::domain::date::utc_stamp(&self.now),
            local: self.now.naive_local(),
        }
    }
}

/// The configuration path: --config, else yishi.toml beside the database.
fn config_path(db: &Path, given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| {
        db.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("yishi.toml")
    })
}

/// Parse arguments, run the command, print any error; returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    let args: Vec<OsString> = args.into_iter().collect();
    let ui = lang::resolve(&args, &|name| std::env::var(name).ok());
    // The command tree is left to the process's end, never dropped: freeing its thousands of
    // strings cost an eighth of a small command's instructions.
    let tree: &'static mut clap::Command = Box::leak(Box::new(command()));
    let parsed = tree
        .try_get_matches_from_mut(&args)
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, overwrite::given(&m))));
    let (cli, overwrite) = match parsed {
        Ok(parsed) => parsed,
        Err(_) => return usage(&args, ui),
    };
    match dispatch(cli, overwrite, ui) {
        Ok(()) => 0,
        Err(e) if e.kind == Kind::BrokenPipe => 0,
        Err(e) => {
            yishi_core::render::error(ui, &e.in_(ui));
            e.exit_code()
        }
    }
}

/// What clap has to say about `args` (help, the version, or a usage error), in `ui`: parsed
/// again with the localised tree, which only this path builds.
fn usage(args: &[OsString], ui: Locale) -> u8 {
    use clap::error::ErrorKind;
    use std::io::Write;
    let mut e = match help::localize(command(), ui).try_get_matches_from(args) {
        Err(e) => e,
        Ok(_) => return yishi_core::error::EXIT_USAGE,
    };
    // A value outside a fixed set: the words of the reader's language first (values.rs).
    if let Some(clap::error::ContextValue::Strings(valid)) =
        e.get(clap::error::ContextKind::ValidValue)
    {
        let listed = values::listed_for(valid, ui);
        e.insert(
            clap::error::ContextKind::ValidValue,
            clap::error::ContextValue::Strings(listed),
        );
    }
    let code = u8::try_from(e.exit_code()).unwrap_or(yishi_core::error::EXIT_USAGE);
    let shown = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            help::finish_help(e.render().to_string(), ui)
        }
        _ => match help::usage_error_zh(&e).filter(|_| ui == Locale::ZhCn) {
            Some(text) => text,
            None => {
                let _ = e.print();
                return code;
            }
        },
    };
    // Help and the version go to stdout (exit 0); errors to stderr. A closed pipe is fine.
    let _ = if e.use_stderr() {
        std::io::stderr().write_all(shown.as_bytes())
    } else {
        std::io::stdout().write_all(shown.as_bytes())
    };
    code
}

/// The command tree: the derived one, with `--overwrite` on each command that writes files.
fn command() -> clap::Command {
    overwrite::add(Cli::command())
}

fn dispatch(cli: Cli, overwrite: bool, ui: Locale) -> Result<()> {
    // The one reading of the clock: every part of the command gets this time.
    let now = yishi_core::clock::now()?;
    let db = cli.db.clone().unwrap_or_else(|| PathBuf::from("yishi.db"));
    let config_path = config_path(&db, cli.config.clone());
    check_config(&cli, &config_path)?;
    if cli.json {
        json::check(&cli.command)?;
    }
    let out = output(&cli, overwrite, ui);
    let actor = actor(&cli);
    // `init` and `completions` must work where no valid configuration exists yet.
    match cli.command {
        Command::Completions(args) => return completions::run(args, &mut command(), &out),
        Command::Init(args) => {
            return init::run(args, &db, &config_path, &out, now, actor?);
        }
        Command::Demo(args) => {
            let lang = cli.lang.unwrap_or(Locale::ZhCn);
            return demo::run(args, cli.db.as_deref(), lang, &out);
        }
        // The street office has no database: rollup reads packages only.
        Command::Rollup(args) => return rollup::run(args, &out, ui, now),
        _ => {}
    }
    let mut config = Config::load(&config_path)?;
    // --lang sets the language of documents and listings too, for this command.
    if let Some(lang) = cli.lang {
        config.locale = lang;
    }
    let actor = actor?;
    let mut ctx = Ctx {
        db_path: db,
        config_path,
        config,
        out,
        now,
        lang: cli.lang,
        ui,
        force: cli.force,
        actor,
        store: None,
    };
    if ctx.out.show_contacts
        && let Some(name) = shows_contacts(&cli.command)
    {
        let command = format!("{name} --show-contacts");
        let actor = ctx.actor(&command);
        yishi_core::ops::records::contacts_shown(ctx.store()?, &actor, &command)?;
    }
    run_command(cli.command, &mut ctx)
}

/// A configuration named on purpose (--config, YISHI_CONFIG) must exist: a typo would
/// otherwise run with the default rules (quorum, majority) and change the record. `init`
/// writes it.
fn check_config(cli: &Cli, config_path: &std::path::Path) -> Result<()> {
    if cli.config.is_some()
        && !config_path.exists()
        && !matches!(cli.command, Command::Init(_) | Command::Completions(_))
    {
        // A configuration named on purpose (--config, YISHI_CONFIG) must exist: a typo would
        // otherwise run with the default rules (quorum, majority) and change the record.
        return Err(Error::io_text(yishi_core::text!(
            "config.given_missing",
            path = config_path.display()
        )));
    }
    Ok(())
}

/// The command's output, as the global flags set it (a deprecated --force warned of).
fn output(cli: &Cli, overwrite: bool, ui: Locale) -> Output {
    let mut out = Output::new(cli.json, cli.quiet, cli.no_color, cli.show_contacts);
    out.boxed_tables = cli.table;
    out.overwrite = overwrite || cli.force;
    out.lang = ui;
    if cli.force {
        let instead = match cli.command {
            Command::Restore(_) => "--accept-loss / --overwrite",
            _ => "--overwrite",
        };
        out.warn_text(&text!("force.deprecated", instead = instead));
    }
    out
}

/// Who the log names (--as), checked as a name.
fn actor(cli: &Cli) -> Result<Option<String>> {
    cli.actor
        .as_deref()
        .map(|a| yishi_core::domain::text::name("--as", a))
        .transpose()
}

/// Run a command that needs the configuration (and, most of them, the database).
fn run_command(command: Command, ctx: &mut Ctx) -> Result<()> {
    match command {
        Command::Member(cmd) => member::run(cmd, ctx),
        Command::Issue(cmd) => issue::run(cmd, ctx),
        Command::Council(cmd) => council::run(cmd, ctx),
        Command::Vote(cmd) => vote::run(cmd, ctx),
        Command::Minutes(cmd) => minutes::run(cmd, ctx),
        Command::Action(cmd) => action::run(cmd, ctx),
        Command::Notice(cmd) => notice::run(cmd, ctx),
        Command::Feedback(cmd) => feedback::run(cmd, ctx),
        Command::Report(args) => report::run(args, ctx),
        Command::Ledger(args) => ledger::run(args, ctx),
        Command::Status(args) => status::run(args, ctx),
        Command::Remind(args) => remind::run(args, ctx),
        Command::Calendar(args) => calendar::run(args, ctx),
        Command::Backup(args) => data::backup(args, ctx),
        Command::Restore(args) => data::restore(args, ctx),
        Command::Export(args) => data::export(args, ctx),
        Command::Resident(cmd) => resident::run(cmd, ctx),
        Command::Seats(args) => seats::run(args, ctx),
        Command::Log(args) => audit::log(args, ctx),
        Command::Verify(args) => audit::verify(args, ctx),
        Command::Init(_) | Command::Completions(_) | Command::Demo(_) | Command::Rollup(_) => {
            Ok(())
        }
    }
}

/// The command group whose output `--show-contacts` unmasks (logged, see
/// `ops::records::contacts_shown`), or None for those that show no one's contacts or only
/// check and copy the file.
fn shows_contacts(command: &Command) -> Option<&'static str> {
    Some(match command {
        Command::Member(_) => "member",
        Command::Issue(_) => "issue",
        Command::Council(_) => "council",
        Command::Vote(_) => "vote",
        Command::Minutes(_) => "minutes",
        Command::Action(_) => "action",
        Command::Notice(_) => "notice",
        Command::Feedback(_) => "feedback",
        Command::Report(_) => "report",
        Command::Ledger(_) => "ledger",
        Command::Status(_) => "status",
        Command::Remind(_) => "remind",
        Command::Calendar(_) => "calendar",
        Command::Resident(_) => "resident",
        Command::Log(_) => "log",
        Command::Seats(_)
        | Command::Backup(_)
        | Command::Restore(_)
        | Command::Export(_)
        | Command::Verify(_)
        | Command::Init(_)
        | Command::Completions(_)
        | Command::Demo(_)
        | Command::Rollup(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        command().debug_assert();
    }

    /// Every command, group and argument explains itself: a description for each argument,
    /// examples after every command's help (tests/readme.rs runs each of them).
    #[test]
    fn every_command_has_examples_and_every_argument_a_description() {
        fn walk(cmd: &clap::Command, path: &str, problems: &mut Vec<String>) {
            let after = cmd
                .get_after_help()
                .or(cmd.get_after_long_help())
                .map(|s| s.to_string())
                .unwrap_or_default();
            if !after.contains("Example") {
                problems.push(format!("{path}: no examples after its help"));
            }
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" || arg.is_global_set() && path != "yishi" {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    problems.push(format!("{path}: argument {id} has no description"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_name() != "help" {
                    walk(sub, &format!("{path} {}", sub.get_name()), problems);
                }
            }
        }
        let mut problems = Vec::new();
        walk(&command(), "yishi", &mut problems);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn config_sits_beside_the_database() {
        assert_eq!(
            config_path(Path::new("yishi.db"), None),
            PathBuf::from("./yishi.toml")
        );
        assert_eq!(
            config_path(Path::new("/a/b.db"), None),
            PathBuf::from("/a/yishi.toml")
        );
    }

    /// Every command and argument has its Chinese help in help.zh-CN.toml, every entry there
    /// belongs to a command or argument that exists, and the examples after each help are the
    /// same commands in both languages (only captions and prose are translated).
    #[test]
    fn every_help_text_has_its_chinese_and_the_same_examples() {
        fn examples(text: &str) -> Vec<String> {
            text.lines()
                .filter(|l| l.starts_with("  yishi "))
                .map(|l| l.split("  #").next().unwrap_or(l).trim_end().to_string())
                .collect()
        }
        fn walk(cmd: &clap::Command, path: &str, zh: &toml::Table, problems: &mut Vec<String>) {
            let Some(entry) = zh.get(path).and_then(|v| v.as_table()) else {
                problems.push(format!("[\"{path}\"] is missing"));
                return;
            };
            let text = |key: &str| entry.get(key).and_then(|v| v.as_str()).unwrap_or_default();
            let mut expected = Vec::new();
            for (key, english) in [
                ("about", cmd.get_about()),
                ("long_about", cmd.get_long_about()),
                ("after_help", cmd.get_after_help()),
            ] {
                if let Some(english) = english {
                    expected.push(key.to_string());
                    let english = english.to_string();
                    if text(key).trim().is_empty() || text(key) == english && key != "after_help" {
                        problems.push(format!("{path}: {key} is not translated"));
                    }
                    if key == "after_help" && examples(&english) != examples(text(key)) {
                        problems.push(format!(
                            "{path}: the Chinese examples differ from the English ones"
                        ));
                    }
                }
            }
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                // --overwrite's Chinese is in overwrite.rs, added with the flag.
                if id == "help"
                    || id == "version"
                    || id == "overwrite"
                    || arg.is_global_set() && path != "yishi"
                {
                    continue;
                }
                for (key, english) in [
                    (format!("arg.{id}"), arg.get_help()),
                    (format!("arg.{id}.long"), arg.get_long_help()),
                ] {
                    if english.is_some() {
                        if text(&key).trim().is_empty() {
                            problems.push(format!("{path}: {key} is not translated"));
                        }
                        expected.push(key);
                    }
                }
            }
            for key in entry.keys() {
                if !expected.contains(key) {
                    problems.push(format!("{path}: {key} describes nothing that exists"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_name() != "help" {
                    walk(sub, &format!("{path} {}", sub.get_name()), zh, problems);
                }
            }
        }
        let zh = help::catalogue();
        let mut problems = Vec::new();
        walk(&command(), "yishi", &zh, &mut problems);
        let mut paths = Vec::new();
        fn paths_of(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
            out.push(path.to_string());
            for sub in cmd.get_subcommands() {
                paths_of(sub, &format!("{path} {}", sub.get_name()), out);
            }
        }
        paths_of(&command(), "yishi", &mut paths);
        for path in zh.keys() {
            if !paths.contains(path) {
                problems.push(format!("[\"{path}\"] is no command"));
            }
        }
        assert!(
            problems.is_empty(),
            "src/cli/help.zh-CN.toml:\n{}",
            problems.join("\n")
        );
    }
}
