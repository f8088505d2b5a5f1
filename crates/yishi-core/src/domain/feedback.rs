//! Residents' answers in 评议: satisfaction on a 1–5 scale and awareness (知晓).

/// 1–5, or the words survey forms use (非常满意 … 非常不满意).
pub fn parse_satisfaction(s: &str) -> Option<i64> {
    let s = s.trim();
    // "5分", "4星", "5.0" (a spreadsheet's number) are scores too.
    let number = s.trim_end_matches(['分', '星']).trim();
    let number = number.strip_suffix(".0").unwrap_or(number);
    if let Ok(n) = number.parse::<i64>() {
        return (1..=5).contains(&n).then_some(n);
    }
    let lower = s.to_ascii_lowercase().replace(['_', '-'], " ");
    Some(match lower.as_str() {
        "非常满意" | "很满意" | "very satisfied" => 5,
        "满意" | "比较满意" | "satisfied" => 4,
        "一般" | "基本满意" | "neutral" | "ok" => 3,
        "不满意" | "不太满意" | "dissatisfied" | "unsatisfied" => 2,
        "非常不满意" | "很不满意" | "very dissatisfied" | "very unsatisfied" => 1,
        _ => return None,
    })
}

/// yes/no in English or Chinese.
pub fn parse_aware(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "1" | "true" | "是" | "是的" | "知道" | "知晓" | "了解" => {
            Some(true)
        }
        "no" | "n" | "0" | "false" | "否" | "不是" | "不知道" | "不知晓" | "不了解" => {
            Some(false)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_and_numbers() {
        assert_eq!(parse_satisfaction("5"), Some(5));
        assert_eq!(parse_satisfaction("满意"), Some(4));
        assert_eq!(parse_satisfaction("非常不满意"), Some(1));
        assert_eq!(parse_satisfaction("6"), None);
        assert_eq!(parse_satisfaction("5分"), Some(5));
        assert_eq!(parse_satisfaction("4.0"), Some(4));
        assert_eq!(parse_satisfaction("Very Satisfied"), Some(5));
        assert_eq!(parse_satisfaction("very_dissatisfied"), Some(1));
        assert_eq!(parse_satisfaction("Neutral"), Some(3));
        assert_eq!(parse_aware("Yes"), Some(true));
        assert_eq!(parse_aware("NO"), Some(false));
        assert_eq!(parse_aware("是"), Some(true));
        assert_eq!(parse_aware("不知道"), Some(false));
        assert_eq!(parse_aware("maybe"), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = parse_satisfaction(&s);
            let _ = parse_aware(&s);
        }
    }
}
