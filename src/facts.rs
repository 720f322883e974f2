//! One entity's facts, from JSON or TOML. Keys are vocabulary words;
//! numbers never pass through a float (serde_json's arbitrary precision and
//! toml_edit's raw text keep the digits). Every problem points into the file.
#![expect(
    clippy::result_large_err,
    reason = "errors of reading and parsing a file carry their source to render anywhere; they happen once per file, never per row"
)]

pub mod error;
pub mod value;

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

pub use error::FactsError;
pub use value::{
    DateError, Scalar, list_json, parse_date, read_date, read_rank, read_year, typed, whole_rank,
    year_json,
};

use crate::check::suggest::{did_you_mean, similar};
use crate::program::{FactId, Ty, Value, Vocab};
use crate::source::{SourceFile, Span};

/// Facts by vocabulary slot; `None` is a missing fact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// One entry per vocabulary slot.
    pub values: Vec<Option<Value>>,
    /// The facts given year by year (按年), in slot order; their slot in
    /// `values` stays empty. An evaluation reads each in its own year
    /// ([`Facts::in_year`]).
    pub years: Vec<(FactId, ByYear)>,
}

/// A fact given year by year (按年): each calendar year's value, in year
/// order. A year given as `null`, or not given, is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct ByYear(Arc<[(i32, Option<Value>)]>);

impl ByYear {
    /// A table from its years, in any order (each year once).
    pub fn new(mut years: Vec<(i32, Option<Value>)>) -> Self {
        years.sort_by_key(|y| y.0);
        ByYear(years.into())
    }

    /// The value for `year`; `None` when missing.
    pub fn get(&self, year: i32) -> Option<&Value> {
        let at = self.0.binary_search_by_key(&year, |y| y.0).ok()?;
        self.0.get(at).and_then(|y| y.1.as_ref())
    }

    /// Every year given, in order, with its value.
    pub fn years(&self) -> &[(i32, Option<Value>)] {
        &self.0
    }
}

impl Facts {
    /// No facts at all, sized for a vocabulary.
    pub fn empty(vocab: &Vocab) -> Self {
        Facts::from_values(vec![None; vocab.facts.len()])
    }

    /// Facts with one value each, none given year by year.
    pub fn from_values(values: Vec<Option<Value>>) -> Self {
        Facts {
            values,
            years: Vec::new(),
        }
    }

    /// Sets one fact (no longer year by year).
    pub fn set(&mut self, id: FactId, v: Option<Value>) {
        let Some(slot) = self.values.get_mut(id) else {
            return;
        };
        *slot = v;
        if !self.years.is_empty() {
            self.forget_years(id);
        }
    }

    #[cold]
    #[inline(never)]
    fn forget_years(&mut self, id: FactId) {
        self.years.retain(|y| y.0 != id);
    }

    /// One fact's single value, to be set in place, leaving the tables by
    /// year alone: for a CSV row's cells, which are set by the million
    /// before the row's year columns are gathered (there is no table yet
    /// to forget, and [`Facts::set`]'s check costs a sixth of the call).
    pub(crate) fn slot(&mut self, id: FactId) -> Option<&mut Option<Value>> {
        debug_assert!(self.years.is_empty(), "a CSV row has no table by year");
        self.values.get_mut(id)
    }

    /// Gives one fact year by year: its single value is cleared.
    pub fn set_years(&mut self, id: FactId, table: ByYear) {
        if let Some(slot) = self.values.get_mut(id) {
            *slot = None;
        }
        match self.years.binary_search_by_key(&id, |y| y.0) {
            Ok(at) => {
                if let Some(y) = self.years.get_mut(at) {
                    y.1 = table;
                }
            }
            Err(at) => self.years.insert(at, (id, table)),
        }
    }

    /// Sets one fact as read in `year`: that year's entry when it is
    /// given year by year, else its one value.
    pub fn set_in(&mut self, id: FactId, year: i32, v: Option<Value>) {
        let Some(table) = self.by_year(id) else {
            self.set(id, v);
            return;
        };
        let mut years: Vec<(i32, Option<Value>)> = table
            .years()
            .iter()
            .filter(|y| y.0 != year)
            .cloned()
            .collect();
        years.push((year, v));
        self.set_years(id, ByYear::new(years));
    }

    /// One fact, as given once (a fact given year by year is `None`).
    pub fn get(&self, id: FactId) -> Option<&Value> {
        self.values.get(id).and_then(Option::as_ref)
    }

    /// One fact given year by year.
    pub fn by_year(&self, id: FactId) -> Option<&ByYear> {
        let at = self.years.binary_search_by_key(&id, |y| y.0).ok()?;
        self.years.get(at).map(|y| &y.1)
    }

    /// One fact as read in `year`: its single value, or that year's.
    pub fn get_in(&self, id: FactId, year: i32) -> Option<&Value> {
        match self.by_year(id) {
            Some(t) => t.get(year),
            None => self.get(id),
        }
    }

    /// Every fact as read in `year`: borrowed when none is given year by
    /// year, as in a register row.
    #[inline(always)]
    pub fn in_year(&self, year: i32) -> Cow<'_, [Option<Value>]> {
        if self.years.is_empty() {
            return Cow::Borrowed(&self.values);
        }
        self.read_in(year)
    }

    /// [`Facts::in_year`] when some fact is given year by year.
    #[inline(never)]
    fn read_in(&self, year: i32) -> Cow<'_, [Option<Value>]> {
        let mut values = self.values.clone();
        for (id, table) in &self.years {
            if let Some(slot) = values.get_mut(*id) {
                *slot = table.get(year).cloned();
            }
        }
        Cow::Owned(values)
    }
}

/// The facts a 案例 writes, as written: the few it gives, by slot. A
/// program holds hundreds of cases and most commands never run one, so a
/// case keeps these rather than a row with an entry for every fact of the
/// vocabulary (for `policies/`, 534 rows of 18 KB: 9.8 MB written and
/// dropped by every `eval`). [`CaseFacts::row`] makes the row when the
/// case runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFacts {
    values: Vec<(FactId, Value)>,
    years: Vec<(FactId, ByYear)>,
}

impl CaseFacts {
    /// Gives one fact its value (a case gives each fact once).
    pub fn set(&mut self, id: FactId, v: Value) {
        self.values.push((id, v));
    }

    /// Gives one fact year by year.
    pub fn set_years(&mut self, id: FactId, table: ByYear) {
        self.years.push((id, table));
    }

    /// The row a run of the case reads, sized for `vocab`.
    pub fn row(&self, vocab: &Vocab) -> Facts {
        let mut facts = Facts::empty(vocab);
        for (id, v) in &self.values {
            facts.set(*id, Some(v.clone()));
        }
        for (id, table) in &self.years {
            facts.set_years(*id, table.clone());
        }
        facts
    }
}

/// Reads a facts file; TOML when the name ends in `.toml`, JSON otherwise.
pub fn load(vocab: &Vocab, source: &SourceFile) -> Result<Facts, Vec<FactsError>> {
    let entries = if source.name.ends_with(".toml") {
        toml_entries(source)
    } else {
        json_entries(source)
    }
    .map_err(|e| vec![e])?;
    let mut facts = Facts::empty(vocab);
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for e in entries {
        if !seen.insert(e.key.clone()) {
            errors.push(FactsError::DuplicateKey {
                src: source.named(),
                span: e.key_span.into(),
                key: e.key,
            });
            continue;
        }
        let Some(&id) = vocab.by_name.get(&e.key) else {
            let found = similar(&e.key, vocab.by_name.keys().map(String::as_str));
            errors.push(FactsError::UnknownKey {
                src: source.named(),
                span: e.key_span.into(),
                help: did_you_mean(&found, "键必须是载入的政策词汇中的词"),
                key: e.key,
            });
            continue;
        };
        if let Some(l) = vocab.get(id).and_then(|d| d.list) {
            errors.push(FactsError::UnknownKey {
                src: source.named(),
                span: e.key_span.into(),
                help: format!(
                    "“{}”是列表“{}”每一项的字段：写在该列表的各项里，如 \"{}\": [{{\"{}\": …}}]",
                    e.key,
                    vocab.name(l),
                    vocab.name(l),
                    e.key
                ),
                key: e.key,
            });
            continue;
        }
        let Some(scalar) = e.value else { continue };
        let Some(decl) = vocab.get(id) else { continue };
        let read = match (&decl.ty, &e.json) {
            (Ty::List, Some(j)) => list_json(vocab, id, j).map(Given::Once),
            (_, Some(j @ serde_json::Value::Object(_))) => {
                year_json(&decl.ty, j).map(Given::ByYear)
            }
            _ => typed(&decl.ty, &scalar).map(Given::Once),
        };
        match read {
            Ok(Given::Once(v)) => facts.set(id, Some(v)),
            Ok(Given::ByYear(t)) => facts.set_years(id, t),
            Err(p) => errors.push(FactsError::BadValue {
                src: source.named(),
                span: e.value_span.into(),
                key: e.key,
                ty: decl.ty.describe(),
                problem: p.problem,
                help: p.help,
            }),
        }
    }
    if errors.is_empty() {
        Ok(facts)
    } else {
        Err(errors)
    }
}

/// A fact as given: one value, or a table by year.
#[derive(Debug, Clone, PartialEq)]
pub enum Given {
    /// One value, whatever the year.
    Once(Value),
    /// A value for each year (按年).
    ByYear(ByYear),
}

/// One key of a facts file, before typing.
struct Entry {
    key: String,
    key_span: Span,
    /// `None`: null (an explicitly missing fact).
    value: Option<Scalar>,
    value_span: Span,
    /// An array or an object, as JSON: the items of a list fact, or a
    /// fact given year by year.
    json: Option<serde_json::Value>,
}

fn offset_in(text: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (start + part.len() <= text.len()).then_some(start)
}

/// The keys and values of a JSON object, both as raw text, so that each
/// can be located in the file (a key with escapes such as `\u7814` too).
struct Pairs<'a>(Vec<(&'a RawValue, &'a RawValue)>);

impl<'de> Deserialize<'de> for Pairs<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pairs<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("一个 JSON 对象（键为词汇中的词）")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Pairs<'de>, M::Error> {
                let mut out = Vec::new();
                while let Some(k) = m.next_key::<&'de RawValue>()? {
                    let v: &'de RawValue = m.next_value()?;
                    out.push((k, v));
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(V)
    }
}

fn json_error_span(source: &SourceFile, e: &serde_json::Error) -> Span {
    let text = &source.text;
    let line_start = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let mut at = (line_start + e.column().saturating_sub(1)).min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    let len = text
        .get(at..)
        .and_then(|r| r.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

const JSON_HELP: &str = "事实文件是 JSON 对象：每个键是词汇中的词，如 {\"研发投入\": \"800万元\"}";

fn json_entries(source: &SourceFile) -> Result<Vec<Entry>, FactsError> {
    let text: &str = &source.text;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let pairs: Pairs<'_> = serde_json::from_str(body).map_err(|e| FactsError::Syntax {
        src: source.named(),
        span: json_error_span(source, &e).into(),
        message: e.to_string(),
        help: JSON_HELP.into(),
    })?;
    let mut out = Vec::new();
    for (k, raw) in pairs.0 {
        let key_text = k.get();
        let key_span = offset_in(text, key_text)
            .map_or_else(Span::default, |o| Span::new(o, o + key_text.len()));
        let key: String = serde_json::from_str(key_text).map_err(|e| FactsError::Syntax {
            src: source.named(),
            span: key_span.into(),
            message: e.to_string(),
            help: JSON_HELP.into(),
        })?;
        let raw_text = raw.get();
        let value_span =
            offset_in(text, raw_text).map_or(key_span, |o| Span::new(o, o + raw_text.len()));
        let v: serde_json::Value =
            serde_json::from_str(raw_text).map_err(|e| FactsError::Syntax {
                src: source.named(),
                span: value_span.into(),
                message: e.to_string(),
                help: JSON_HELP.into(),
            })?;
        let (value, json) = match v {
            serde_json::Value::Null => (None, None),
            serde_json::Value::Bool(b) => (Some(Scalar::Bool(b)), None),
            serde_json::Value::Number(n) => (Some(Scalar::Num(n.to_string())), None),
            serde_json::Value::String(s) => (Some(Scalar::Str(s)), None),
            a @ serde_json::Value::Array(_) => {
                item_keys_once(source, raw_text)?;
                (Some(Scalar::Other("数组")), Some(a))
            }
            o @ serde_json::Value::Object(_) => {
                year_keys_once(source, raw_text, &key)?;
                (Some(Scalar::Other("对象")), Some(o))
            }
        };
        out.push(Entry {
            key,
            key_span,
            value,
            value_span,
            json,
        });
    }
    Ok(out)
}

/// `[[项目]]` tables, or an array of inline tables, as a JSON array of
/// objects: numbers keep their digits, dates are read as their text.
fn toml_items(text: &str, item: &toml_edit::Item) -> Option<serde_json::Value> {
    let scalar = |v: &toml_edit::Value| -> serde_json::Value {
        let raw = v
            .span()
            .and_then(|r| text.get(r.start..r.end))
            .unwrap_or("")
            .replace('_', "");
        match v {
            toml_edit::Value::String(s) => serde_json::Value::String(s.value().clone()),
            toml_edit::Value::Integer(_) | toml_edit::Value::Float(_) => {
                serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw))
            }
            toml_edit::Value::Boolean(b) => serde_json::Value::Bool(*b.value()),
            toml_edit::Value::Datetime(d) => serde_json::Value::String(d.value().to_string()),
            // Nothing nests in an item: refused as the field's value.
            toml_edit::Value::Array(_) | toml_edit::Value::InlineTable(_) => {
                serde_json::Value::Array(vec![])
            }
        }
    };
    let object = |pairs: Vec<(String, serde_json::Value)>| {
        serde_json::Value::Object(pairs.into_iter().collect())
    };
    match item {
        toml_edit::Item::ArrayOfTables(tables) => Some(serde_json::Value::Array(
            tables
                .iter()
                .map(|t| {
                    object(
                        t.iter()
                            .filter_map(|(k, i)| Some((k.to_string(), scalar(i.as_value()?))))
                            .collect(),
                    )
                })
                .collect(),
        )),
        // A fact given year by year: `[指标]` with `2024 = …`, or inline.
        toml_edit::Item::Table(t) => Some(object(
            t.iter()
                .map(|(k, i)| {
                    let v = i
                        .as_value()
                        .map_or(serde_json::Value::Array(vec![]), scalar);
                    (k.to_string(), v)
                })
                .collect(),
        )),
        toml_edit::Item::Value(toml_edit::Value::InlineTable(t)) => Some(object(
            t.iter().map(|(k, v)| (k.to_string(), scalar(v))).collect(),
        )),
        toml_edit::Item::Value(toml_edit::Value::Array(a)) => Some(serde_json::Value::Array(
            a.iter()
                .map(|v| match v {
                    toml_edit::Value::InlineTable(t) => {
                        object(t.iter().map(|(k, v)| (k.to_string(), scalar(v))).collect())
                    }
                    other => scalar(other),
                })
                .collect(),
        )),
        _ => None,
    }
}

/// A key written twice in one item of a list (a JSON array of objects,
/// as written): the key as written and its index from 1. A parsed JSON
/// value keeps only the last, so the readers refuse it as a repeated fact.
pub(crate) fn repeated_item_key(raw: &str) -> Option<(&str, usize)> {
    let items = serde_json::from_str::<Vec<&RawValue>>(raw).ok()?;
    for (i, item) in items.into_iter().enumerate() {
        let Ok(pairs) = serde_json::from_str::<Pairs<'_>>(item.get()) else {
            continue;
        };
        let mut seen = HashSet::new();
        for (k, _) in pairs.0 {
            let key: String = serde_json::from_str(k.get()).unwrap_or_default();
            if !seen.insert(key.trim().to_string()) {
                return Some((k.get(), i + 1));
            }
        }
    }
    None
}

/// A year written twice in a fact given year by year (a JSON object, as
/// written; `2024` and `2024年` are one year): the key as written.
pub(crate) fn repeated_year_key(raw: &str) -> Option<&str> {
    let pairs = serde_json::from_str::<Pairs<'_>>(raw).ok()?;
    let mut seen = HashSet::new();
    for (k, _) in pairs.0 {
        let key: String = serde_json::from_str(k.get()).unwrap_or_default();
        let year = read_year(&key).map_or_else(|| key.trim().to_string(), |y| y.to_string());
        if !seen.insert(year) {
            return Some(k.get());
        }
    }
    None
}

fn item_keys_once(source: &SourceFile, raw: &str) -> Result<(), FactsError> {
    let Some((k, _)) = repeated_item_key(raw) else {
        return Ok(());
    };
    duplicate_at(source, k)
}

/// A year given twice for fact `fact`: named `事实.年份` as a JSON Lines
/// row names it.
fn year_keys_once(source: &SourceFile, raw: &str, fact: &str) -> Result<(), FactsError> {
    let Some(k) = repeated_year_key(raw) else {
        return Ok(());
    };
    let year: String = serde_json::from_str(k).unwrap_or_default();
    let mut e = duplicate_at(source, k);
    if let Err(FactsError::DuplicateKey { key, .. }) = &mut e {
        *key = format!("{fact}.{}", year.trim());
    }
    e
}

fn duplicate_at(source: &SourceFile, k: &str) -> Result<(), FactsError> {
    let span = offset_in(&source.text, k).map_or_else(Span::default, |o| Span::new(o, o + k.len()));
    Err(FactsError::DuplicateKey {
        src: source.named(),
        span: span.into(),
        key: serde_json::from_str(k).unwrap_or_default(),
    })
}

fn toml_syntax(source: &SourceFile, e: &toml_edit::TomlError, span: Span) -> FactsError {
    FactsError::Syntax {
        src: source.named(),
        span: span.into(),
        message: e.message().to_string(),
        help: if e.message().contains("unquoted key") {
            "TOML 中的中文键要加引号，如 \"研发投入\" = \"800万元\"".into()
        } else {
            "事实文件是 TOML 表：每个键是词汇中的词，如 \"研发投入\" = \"800万元\"".into()
        },
    }
}

fn toml_entries(source: &SourceFile) -> Result<Vec<Entry>, FactsError> {
    let text: &str = &source.text;
    let doc = toml_edit::Document::parse(text).map_err(|e| {
        let span = e
            .span()
            .map_or_else(Span::default, |r| Span::new(r.start, r.end));
        // toml_edit refuses a repeated key while parsing; report it as the
        // same error a repeated JSON key gets.
        if e.message() == "duplicate key" {
            return FactsError::DuplicateKey {
                src: source.named(),
                span: span.into(),
                key: source.slice(span).trim_matches(['"', '\'']).to_string(),
            };
        }
        toml_syntax(source, &e, span)
    })?;
    let table = doc.as_table();
    let mut out = Vec::new();
    for (k, item) in table.iter() {
        let key_span = table
            .key(k)
            .and_then(toml_edit::Key::span)
            .map_or_else(Span::default, |r| Span::new(r.start, r.end));
        let value_span = item.span().map_or(key_span, |r| Span::new(r.start, r.end));
        let raw = text.get(value_span.start..value_span.end).unwrap_or("");
        let value = match item.as_value() {
            Some(toml_edit::Value::String(s)) => Scalar::Str(s.value().clone()),
            Some(toml_edit::Value::Integer(_) | toml_edit::Value::Float(_)) => {
                Scalar::Num(raw.replace('_', ""))
            }
            Some(toml_edit::Value::Boolean(b)) => Scalar::Bool(*b.value()),
            Some(toml_edit::Value::Datetime(d)) => Scalar::Str(d.value().to_string()),
            Some(toml_edit::Value::Array(_)) => Scalar::Other("数组"),
            Some(toml_edit::Value::InlineTable(_)) | None => Scalar::Other("表"),
        };
        out.push(Entry {
            key: k.to_string(),
            key_span,
            value: Some(value),
            value_span,
            json: toml_items(text, item),
        });
    }
    Ok(out)
}
