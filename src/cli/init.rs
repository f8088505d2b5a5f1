//! `yishi init`: a new database and a commented yishi.toml.

use std::path::Path;
use yishi_core::config;
use yishi_core::domain::actor::Actor;
use yishi_core::error::{Error, Result};
use yishi_core::render::Output;
use yishi_core::text;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi init --community 汀塘社区 --population 4000\n  yishi --db 南塘/yishi.db init --community 南塘社区 --survey-url https://www.wjx.cn/vm/nantang.aspx\n  yishi --db archive/tingtang.db init"
)]
pub struct Args {
    /// The community's name, used in minutes and notices.
    #[arg(long, default_value = "本社区")]
    community: String,
    /// Number of residents, for the participation rate.
    #[arg(long)]
    population: Option<u32>,
    /// The residents' satisfaction survey (问卷星, 腾讯问卷): result notices carry a QR code to it.
    #[arg(long, value_name = "URL")]
    survey_url: Option<String>,
}

pub fn run(
    args: Args,
    db: &Path,
    config_path: &Path,
    out: &Output,
    now: chrono::DateTime<chrono::Local>,
    actor: Option<String>,
) -> Result<()> {
    let community = yishi_core::domain::text::single_line("--community", &args.community)?;
    if args.population == Some(0) {
        return Err(Error::data_text(text!("init.population_zero")));
    }
    let survey_url = args.survey_url.as_deref().map(str::trim);
    if let Some(url) = survey_url {
        if !config::is_web_address(url) {
            return Err(Error::usage_text(text!("init.survey_url_bad", value = url)));
        }
        // Checked before the database is made: a refusal leaves nothing behind.
        if config_path.exists() {
            return Err(Error::refused_text(text!(
                "init.survey_url_kept",
                config = config_path.display(),
                value = url
            )));
        }
    }
    let actor = Actor {
        // --as, else the OS user: the one who creates the database (no yishi.toml yet).
        name: actor
            .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| "secretary".into()),
        command: "init".into(),
        at: yishi_core::domain::date::utc_stamp(&now),
        local: now.naive_local(),
    };
    yishi_core::ops::records::init(db, &actor, &community, args.population)?;
    out.say(&text!("init.created", db = db.display()));
    if config_path.exists() {
        out.say(&text!("init.kept_config", config = config_path.display()));
    } else {
        // Through outfile: 0600 whatever the umask, like every other file yishi writes.
        let template = config::template(&community, args.population, survey_url, out.lang);
        yishi_core::outfile::write(config_path, template.as_bytes(), false)?;
        out.say(&text!("init.wrote_config", config = config_path.display()));
    }
    out.say(&text!("init.next"));
    Ok(())
}
