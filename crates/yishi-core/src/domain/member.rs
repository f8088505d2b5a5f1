//! The council roster: a member, a new member, a change to one.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub seat: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub note: Option<String>,
    pub joined_on: String,
    pub retired_on: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewMember {
    pub name: String,
    pub seat: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub note: Option<String>,
    pub joined_on: String,
}

/// Changed fields of a member; None leaves a field as it is.
#[derive(Debug, Default)]
pub struct MemberChanges {
    pub name: Option<String>,
    pub seat: Option<String>,
    pub phone: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub note: Option<Option<String>>,
}
