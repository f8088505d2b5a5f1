//! A roster row (`yishi member import`) as a validated member: its name and seat are needed,
//! the seat one of the council's (the caller resolves it: config), the rest checked as
//! `member add` checks them. Knows nothing of the database.

use super::members as f;
use super::{Row, RowError};
use crate::domain::member::NewMember;
use crate::domain::{contact, date, text};
use crate::error::Result;

/// The member a row describes, or why not, placed at its column. `seat` turns what the row
/// says (席位: "居民代表", "resident") into the seat's key; `today` is the joining day of a
/// row without one.
pub fn parse(
    row: &Row,
    seat: impl Fn(&str) -> Result<String>,
    today: chrono::NaiveDate,
) -> std::result::Result<NewMember, RowError> {
    row.check_width()?;
    let get = |i| row.get(i);
    let name =
        get(f::NAME)?.ok_or_else(|| row.error_text(f::NAME, crate::text!("import.row.empty")))?;
    let typed_seat =
        get(f::SEAT)?.ok_or_else(|| row.error_text(f::SEAT, crate::text!("import.row.empty")))?;
    let seat = seat(typed_seat).map_err(|e| row.error_from(f::SEAT, e.message.clone(), &e))?;
    let field =
        |i: usize, r: Result<String>| r.map_err(|e| row.error_from(i, e.message.clone(), &e));
    Ok(NewMember {
        name: field(f::NAME, text::name("name", name))?,
        seat,
        phone: get(f::PHONE)?
            .map(|p| field(f::PHONE, contact::phone(p)))
            .transpose()?,
        address: get(f::ADDRESS)?
            .map(|v| field(f::ADDRESS, text::single_line("address", v)))
            .transpose()?,
        note: get(f::NOTE)?
            .map(|v| field(f::NOTE, text::multi_line("note", v)))
            .transpose()?,
        joined_on: match get(f::JOINED)? {
            Some(v) => date::parse_date(v)
                .map(|d| d.to_string())
                .ok_or_else(|| row.error_text(f::JOINED, super::date_text(v)))?,
            None => today.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_rows;
    use crate::error::Error;

    /// A stand-in for the configuration's seat lookup: a test's helper, never shown to a
    /// user, so its error is plain English (the real one is worded by the catalogue).
    fn seat(s: &str) -> crate::error::Result<String> {
        match s {
            "居民代表" | "resident" => Ok("resident".into()),
            _ => Err(Error::data(format!("unknown seat \"{s}\""))),
        }
    }

    #[test]
    fn rows_become_members_or_errors_at_their_column() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let got = test_rows(
            "姓名,席位,电话,加入日期\n王芳,居民代表,13800000000,2026-01-05\n李四,居民代表,,\n,居民代表,,\n赵六,校长,,\n钱七,resident,,2026-13-01\n",
            super::super::members::FIELDS,
            |row| super::parse(row, seat, today),
        );
        let m = got[0].as_ref().unwrap();
        assert_eq!(
            (m.name.as_str(), m.seat.as_str(), m.joined_on.as_str()),
            ("王芳", "resident", "2026-01-05")
        );
        assert_eq!(m.phone.as_deref(), Some("13800000000"));
        assert_eq!(got[1].as_ref().unwrap().joined_on, "2026-12-07");
        let err = |i: usize| got[i].as_ref().unwrap_err().to_string();
        assert_eq!(err(2), "4: column \"姓名\": is empty");
        assert_eq!(err(3), "5: column \"席位\": unknown seat \"校长\"");
        assert!(err(4).starts_with("6: column \"加入日期\": \"2026-13-01\" is not a date"));
    }
}
