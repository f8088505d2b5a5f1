//! Category suggestions: `[categories]` in yishi.toml maps keywords to categories
//! (电梯 → 设施, 电动车 → 停车 ...). An imported issue with no category gets the category of a
//! keyword in its title (or, failing that, its details), marked as suggested until someone
//! accepts the issue or edits its category.

use super::issue::parse_category;
use std::collections::HashMap;

/// The keywords `yishi init` writes, and the ones used when yishi.toml has no `[categories]`.
pub const DEFAULT_KEYWORDS: &[(&str, &str)] = &[
    ("电梯", "设施"),
    ("路灯", "设施"),
    ("楼道灯", "设施"),
    ("管道", "设施"),
    ("水管", "设施"),
    ("下水道", "设施"),
    ("井盖", "设施"),
    ("路面", "设施"),
    ("门禁", "设施"),
    ("健身器材", "设施"),
    ("漏水", "设施"),
    ("停车", "停车"),
    ("车位", "停车"),
    ("电动车", "停车"),
    ("充电桩", "停车"),
    ("非机动车", "停车"),
    ("车棚", "停车"),
    ("垃圾", "环境"),
    ("卫生", "环境"),
    ("绿化", "环境"),
    ("噪音", "环境"),
    ("扰民", "环境"),
    ("异味", "环境"),
    ("污水", "环境"),
    ("老人", "养老"),
    ("助餐", "养老"),
    ("老年", "养老"),
    ("独居", "养老"),
    ("适老", "养老"),
    ("孩子", "儿童"),
    ("儿童", "儿童"),
    ("小孩", "儿童"),
    ("托育", "儿童"),
    ("放学", "儿童"),
    ("消防", "安全"),
    ("治安", "安全"),
    ("监控", "安全"),
    ("高空抛物", "安全"),
    ("飞线", "安全"),
    ("物业", "物业"),
    ("物业费", "物业"),
    ("图书", "文化"),
    ("文体", "文化"),
];

/// Keywords and the category key each suggests, found by one pass over a text.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryKeywords {
    /// In the order configured: (keyword, category key).
    words: Vec<(String, &'static str)>,
    /// By first character: indexes into `words`.
    by_first: HashMap<char, Vec<usize>>,
}

impl Default for CategoryKeywords {
    fn default() -> Self {
        let mut k = CategoryKeywords::empty();
        for (word, category) in DEFAULT_KEYWORDS {
            // The defaults name known categories.
            let key = parse_category(category).unwrap_or("other");
            k.add(word, key);
        }
        k
    }
}

/// As yishi.toml writes it: keyword → category key.
impl serde::Serialize for CategoryKeywords {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.words.len()))?;
        for (word, key) in &self.words {
            map.serialize_entry(word, key)?;
        }
        map.end()
    }
}

impl CategoryKeywords {
    pub fn empty() -> Self {
        CategoryKeywords {
            words: Vec::new(),
            by_first: HashMap::new(),
        }
    }

    /// Add a keyword for a category key (a later entry for the same word replaces it).
    pub fn add(&mut self, word: &str, key: &'static str) {
        let word = word.trim();
        let Some(first) = word.chars().next() else {
            return;
        };
        if let Some(i) = self.words.iter().position(|(w, _)| w == word) {
            self.words[i].1 = key;
            return;
        }
        self.by_first
            .entry(first)
            .or_default()
            .push(self.words.len());
        self.words.push((word.to_string(), key));
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The category of the title's keywords, else of the details'.
    pub fn suggest(&self, title: &str, detail: Option<&str>) -> Option<&'static str> {
        self.find(title)
            .or_else(|| detail.and_then(|d| self.find(d)))
    }

    /// The longest keyword in `text` decides (充电桩 over 充电); between two as long, the first
    /// in the text (the title's subject comes first: 老人助餐 in 儿童 … is 养老).
    fn find(&self, text: &str) -> Option<&'static str> {
        if self.words.is_empty() {
            return None;
        }
        let mut best: Option<(usize, &'static str)> = None;
        for (at, c) in text.char_indices() {
            let Some(candidates) = self.by_first.get(&c) else {
                continue;
            };
            for &i in candidates {
                let (word, key) = &self.words[i];
                if text[at..].starts_with(word.as_str())
                    && best.is_none_or(|(len, _)| word.len() > len)
                {
                    best = Some((word.len(), key));
                }
            }
        }
        best.map(|(_, key)| key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_titles() {
        let k = CategoryKeywords::default();
        assert_eq!(k.suggest("7栋电梯经常故障", None), Some("facilities"));
        assert_eq!(k.suggest("南门口电动车乱停", None), Some("parking"));
        assert_eq!(k.suggest("垃圾分类点太远", None), Some("environment"));
        assert_eq!(k.suggest("老人助餐点周末不开", None), Some("elderly"));
        assert_eq!(k.suggest("小区缺少儿童活动场所", None), Some("children"));
        assert_eq!(k.suggest("希望多办活动", None), None);
        assert_eq!(
            k.suggest("晚上有人唱歌", Some("噪音很大")),
            Some("environment")
        );
    }

    #[test]
    fn the_longest_keyword_decides() {
        let mut k = CategoryKeywords::empty();
        k.add("物业", "property");
        k.add("物业费", "other");
        assert_eq!(k.suggest("物业费太贵", None), Some("other"));
        assert_eq!(k.suggest("物业不管", None), Some("property"));
    }
}
