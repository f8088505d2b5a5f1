//! Adds a district-scale council history to a yishi database that already holds imported
//! issues, for the benchmark (scripts/bench.sh): by default 5,000 closed meetings with 20
//! motions each (100,000 motions), ten roll-call ballots per motion (1,000,000 ballots),
//! speeches, resolutions, 50,000 actions, decision notices, feedback, and 10,000 accepted issues
//! waiting for a council (a few of them pre-consulted, so `council convene` has an agenda).
//!
//!     cargo run --release --example gen_history -- yishi.db [meetings]
//!
//! Why not script `yishi council ...` a hundred thousand times: one process per step would take
//! hours. Instead the rows are written with plain SQL in one transaction, following the rules a
//! real council follows (roll-call tallies that add up, results the majority rule gives, issue
//! statuses that match their history), and then sealed through yishi's own audit writer: one
//! event per table, every row hashed exactly as `yishi verify` hashes it. So the result is a
//! database `yishi verify` accepts, made in seconds. Deterministic, so runs compare.

use rusqlite::{Connection, params};
use yishi_core::config::Rules;
use yishi_core::domain::rules::{self, Electorate, MajorityRule, Tally};
use yishi_core::store::audit::values_hash;
use yishi_core::store::{Actor, Store, Writer};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const MOTIONS_PER_MEETING: i64 = 20;
/// Standing members invited to each meeting; one of them is absent, so ten vote.
const INVITED: i64 = 11;
const COMMUNITIES: i64 = 50;
const ACTIONS: i64 = 50_000;
const ACCEPTED: i64 = 10_000;
/// Accepted issues with a pre-consultation: the agenda `council convene` proposes.
const CONSULTED: i64 = 12;
const FEEDBACK: i64 = 20_000;

const SEATS: [&str; 6] = [
    "committee",
    "party",
    "backbone",
    "women",
    "social-org",
    "social-resource",
];
const SURNAMES: [&str; 12] = [
    "王", "陈", "林", "李", "张", "刘", "黄", "吴", "周", "徐", "孙", "马",
];
const GIVEN: [&str; 8] = [
    "建国", "志明", "秀英", "丽华", "国强", "海燕", "文杰", "桂兰",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: gen_history DB [meetings]")?;
    let meetings: i64 = args.next().map_or(Ok(5_000), |a| a.parse())?;
    let mut store = Store::open(std::path::Path::new(&path))?;
    store.prepare_bulk_load(64)?;
    let switched = store.enter_bulk_journal();
    let actor = Actor {
        name: "bench".into(),
        command: "gen_history".into(),
        at: yishi_core::domain::date::utc_stamp(&yishi_core::clock::now()?),
        local: yishi_core::clock::now()?.naive_local(),
    };
    let issues: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM issues", [], |r| r.get(0))?;
    let decided = meetings * MOTIONS_PER_MEETING;
    if issues < decided + ACCEPTED {
        return Err(format!(
            "{path} has {issues} issues; {meetings} meetings need at least {}",
            decided + ACCEPTED
        )
        .into());
    }
    store.write(&actor, |w| {
        write_history(w.conn(), meetings).map_err(yishi_core::error::Error::from)?;
        for (table, filter) in [
            ("members", String::new()),
            ("meetings", String::new()),
            ("participants", String::new()),
            ("agenda_items", String::new()),
            ("motions", String::new()),
            ("ballots", String::new()),
            ("speeches", String::new()),
            ("resolutions", String::new()),
            ("actions", String::new()),
            ("notices", String::new()),
            ("feedback", String::new()),
            ("consultations", String::new()),
            ("issue_history", String::new()),
            ("issues", format!("WHERE id <= {}", decided + ACCEPTED)),
        ] {
            seal_table(w, table, &filter)?;
        }
        Ok(())
    })?;
    if switched {
        store.leave_bulk_journal();
    }
    eprintln!(
        "added {meetings} meetings, {} motions, {} ballots, {ACTIONS} actions; {ACCEPTED} issues accepted",
        decided,
        decided * (INVITED - 1)
    );
    Ok(())
}

/// Seal the rows of `table` selected by `filter` as one event, hashing what is stored.
fn seal_table(w: &mut Writer, table: &'static str, filter: &str) -> yishi_core::error::Result<()> {
    let mut seal = w.begin_bulk(table);
    let mut rows = 0u64;
    {
        let mut stmt = w
            .conn()
            .prepare(&format!("SELECT * FROM \"{table}\" {filter} ORDER BY id"))?;
        let columns = stmt.column_count();
        let mut cursor = stmt.query([])?;
        while let Some(r) = cursor.next()? {
            let values = (0..columns)
                .map(|i| r.get_ref(i))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let id: i64 = r.get(0)?;
            w.bulk_seal_row(&mut seal, id, &values_hash(&values))?;
            rows += 1;
        }
    }
    if rows > 0 {
        w.finish_bulk(
            seal,
            yishi_core::domain::audit::Entity::History,
            yishi_core::domain::audit::Action::Generate,
            serde_json::json!({"table": table, "rows": rows}),
        )?;
    }
    Ok(())
}

fn name(r: &mut Lcg) -> String {
    format!(
        "{}{}",
        SURNAMES[r.below(SURNAMES.len() as u64) as usize],
        GIVEN[r.below(GIVEN.len() as u64) as usize]
    )
}

/// A day of 2026 for the n-th of `of` things spread over the year.
fn day(n: i64, of: i64) -> String {
    let ordinal = 1 + (n * 360 / of.max(1)).clamp(0, 359) as u32;
    chrono::NaiveDate::from_yo_opt(2026, ordinal)
        .map(|d| d.to_string())
        .unwrap_or_else(|| "2026-06-30".into())
}

fn write_history(c: &Connection, meetings: i64) -> rusqlite::Result<()> {
    let mut r = Lcg(15);
    let now = "2026-11-25T00:00:00Z";
    let rules_json = serde_json::to_string(&Rules::default()).unwrap_or_default();

    // Members: eleven standing members in each community's council.
    let mut member = c.prepare(
        "INSERT INTO members (id, name, seat, phone, address, note, joined_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5, NULL, '2025-01-01', ?6)",
    )?;
    let first_member: i64 =
        c.query_row("SELECT coalesce(max(id), 0) + 1 FROM members", [], |r| {
            r.get(0)
        })?;
    let mut members = Vec::new();
    for i in 0..COMMUNITIES * INVITED {
        let id = first_member + i;
        // Eleven consecutive members have eleven different surnames: names are unique in
        // each council, as invitations require.
        let n = format!(
            "{}{}",
            SURNAMES[i as usize % SURNAMES.len()],
            GIVEN[(i as usize / SURNAMES.len()) % GIVEN.len()]
        );
        let seat = SEATS[(i % INVITED) as usize % SEATS.len()];
        member.execute(params![
            id,
            n,
            seat,
            format!("139{:08}", r.below(100_000_000)),
            format!("{}栋{}室", 1 + r.below(30), 101 + r.below(1500)),
            now
        ])?;
        members.push((id, n, seat));
    }

    let mut meeting = c.prepare(
        "INSERT INTO meetings (id, number, title, starts_at, place, chair, recorder, urgent, rules, status, opened_at, without_quorum, ended_at, convened_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, 'closed', '19:00', 0, '21:00', ?9)",
    )?;
    let mut participant = c.prepare(
        "INSERT INTO participants (id, meeting_id, member_id, name, seat, role, phone, attendance, absence_reason) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'standing', NULL, ?6, ?7)",
    )?;
    let mut agenda = c.prepare(
        "INSERT INTO agenda_items (id, meeting_id, issue_id, position, outcome) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut motion = c.prepare(
        "INSERT INTO motions (id, meeting_id, issue_id, text, rule, status, method, yes, no, abstain, electorate_present, electorate_invited, result, owner, due, opened_at, closed_at) \
         VALUES (?1, ?2, ?3, ?4, 'majority-present', 'closed', 'roll-call', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let mut ballot = c.prepare(
        "INSERT INTO ballots (id, motion_id, participant_id, choice) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut speech = c.prepare(
        "INSERT INTO speeches (id, meeting_id, issue_id, participant_id, position, summary, at, minutes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 2)",
    )?;
    let mut resolution = c.prepare(
        "INSERT INTO resolutions (id, issue_id, meeting_id, motion_id, text, owner, due, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut action = c.prepare(
        "INSERT INTO actions (id, resolution_id, issue_id, text, owner, due, progress, done_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut notice = c.prepare(
        "INSERT INTO notices (id, kind, meeting_id, starts_on, ends_on, text, created_at) VALUES (?1, 'decision', ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut history = c.prepare(
        "INSERT INTO issue_history (issue_id, at, actor, from_status, to_status, note) VALUES (?1, ?2, 'bench', ?3, ?4, NULL)",
    )?;
    let mut decide_issue =
        c.prepare("UPDATE issues SET status = 'decided', outcome = ?2 WHERE id = ?1")?;

    let base = |table: &str| -> rusqlite::Result<i64> {
        c.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM \"{table}\""),
            [],
            |r| r.get(0),
        )
    };
    let (meeting0, participant0, motion0, ballot0, resolution0) = (
        base("meetings")?,
        base("participants")?,
        base("motions")?,
        base("ballots")?,
        base("resolutions")?,
    );
    let (mut participant_id, mut motion_id, mut ballot_id, mut resolution_id) =
        (participant0, motion0, ballot0, resolution0);
    let mut action_id = base("actions")?;
    let mut speech_id = base("speeches")?;
    let mut agenda_id = base("agenda_items")?;
    let mut resolutions = Vec::new();
    for m in 1..=meetings {
        let id = meeting0 + m;
        let on = day(m, meetings);
        let community = (m - 1) % COMMUNITIES;
        let council =
            &members[(community * INVITED) as usize..((community + 1) * INVITED) as usize];
        meeting.execute(params![
            id,
            id,
            format!("第{id}次居民议事会"),
            format!("{on} 19:00"),
            format!("第{}社区党群服务中心", community + 1),
            council[0].1,
            council[1].1,
            rules_json,
            format!("{on}T10:00:00Z"),
        ])?;
        let absent = r.below(INVITED as u64) as usize;
        let mut voters = Vec::new();
        for (k, (mid, n, seat)) in council.iter().enumerate() {
            participant_id += 1;
            let here = k != absent;
            participant.execute(params![
                participant_id,
                id,
                mid,
                n,
                seat,
                if here { "present" } else { "absent" },
                if here { None } else { Some("因病请假") },
            ])?;
            if here {
                voters.push(participant_id);
            }
        }
        let at = format!("{on}T11:30:00Z");
        for k in 0..MOTIONS_PER_MEETING {
            let issue = (m - 1) * MOTIONS_PER_MEETING + k + 1;
            motion_id += 1;
            let mut tally = Tally {
                yes: 0,
                no: 0,
                abstain: 0,
            };
            // Most motions pass; about one in five does not.
            let against = if r.below(5) == 0 { 6 } else { r.below(3) };
            let mut choices = Vec::new();
            for (v, _) in voters.iter().enumerate() {
                let choice = if (v as u64) < against {
                    tally.no += 1;
                    "no"
                } else if r.below(10) == 0 {
                    tally.abstain += 1;
                    "abstain"
                } else {
                    tally.yes += 1;
                    "yes"
                };
                choices.push(choice);
            }
            let electorate = Electorate {
                present: voters.len() as u32,
                invited: INVITED as u32,
            };
            let outcome = rules::decide(MajorityRule::MajorityPresent, tally, electorate).key();
            let adopted = outcome == "adopted";
            let owner = adopted.then(|| "社区居委会".to_string());
            let due = adopted.then(|| day(m + 30, meetings));
            motion.execute(params![
                motion_id,
                id,
                issue,
                format!("同意议题#{issue}的处理方案"),
                tally.yes,
                tally.no,
                tally.abstain,
                electorate.present,
                electorate.invited,
                outcome,
                owner,
                due,
                "19:10",
                "20:50",
            ])?;
            for (v, choice) in voters.iter().zip(&choices) {
                ballot_id += 1;
                ballot.execute(params![ballot_id, motion_id, v, choice])?;
            }
            speech_id += 1;
            speech.execute(params![
                speech_id,
                id,
                issue,
                voters[k as usize % voters.len()],
                if k % 3 == 0 { "against" } else { "for" },
                "建议先征求楼栋居民意见，再由物业公司落实",
                "19:20",
            ])?;
            agenda_id += 1;
            agenda.execute(params![agenda_id, id, issue, k + 1, outcome])?;
            if adopted {
                resolution_id += 1;
                resolution.execute(params![
                    resolution_id,
                    issue,
                    id,
                    motion_id,
                    format!("同意议题#{issue}的处理方案，由社区居委会牵头落实"),
                    "社区居委会",
                    due,
                    at,
                ])?;
                resolutions.push((resolution_id, issue, due.unwrap_or_default(), on.clone()));
            }
            for (from, to) in [
                ("collected", "accepted"),
                ("accepted", "scheduled"),
                ("scheduled", "decided"),
            ] {
                history.execute(params![issue, at, from, to])?;
            }
            decide_issue.execute(params![issue, outcome])?;
        }
        notice.execute(params![
            id,
            id,
            on,
            day(m + 7, meetings),
            format!("第{id}次居民议事会决议公示"),
            at
        ])?;
    }

    // Actions: one for each of the first resolutions; some done on time, some late, some open.
    for (n, (res, issue, due, on)) in resolutions.iter().take(ACTIONS as usize).enumerate() {
        action_id += 1;
        let (progress, done_on) = match n % 4 {
            0 | 1 => (100, Some(due.clone())),
            2 => (100, Some(day(400, 365))),
            _ => (50, None),
        };
        action.execute(params![
            action_id,
            res,
            issue,
            "联系施工单位并完成整改",
            "社区居委会",
            due,
            progress,
            done_on,
            format!("{on}T12:00:00Z"),
        ])?;
    }

    // Feedback of residents on decided issues.
    let mut feedback = c.prepare(
        "INSERT INTO feedback (issue_id, resident, satisfaction, aware, note, channel, given_on, created_at) VALUES (?1, ?2, ?3, ?4, NULL, 'offline', ?5, ?6)",
    )?;
    for n in 0..FEEDBACK {
        let issue = 1 + r.below((meetings * MOTIONS_PER_MEETING) as u64) as i64;
        feedback.execute(params![
            issue,
            name(&mut r),
            1 + r.below(5) as i64,
            r.below(4) != 0,
            day(n, FEEDBACK),
            now
        ])?;
    }

    // Accepted issues waiting for a council; a few pre-consulted.
    let first_accepted = meetings * MOTIONS_PER_MEETING + 1;
    let mut accept = c.prepare("UPDATE issues SET status = 'accepted' WHERE id = ?1")?;
    let mut consult = c.prepare(
        "INSERT INTO consultations (issue_id, party, summary, held_on, created_at) VALUES (?1, '物业公司', '同意配合', '2026-11-20', ?2)",
    )?;
    for issue in first_accepted..first_accepted + ACCEPTED {
        accept.execute([issue])?;
        history.execute(params![issue, now, "collected", "accepted"])?;
        if (issue - first_accepted) % (ACCEPTED / CONSULTED) == 0 {
            consult.execute(params![issue, now])?;
        }
    }
    Ok(())
}
