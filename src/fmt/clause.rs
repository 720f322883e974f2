//! Clauses: `[label] 对 <条件> <动作> <属性>…`. A clause that fits in
//! `WIDTH` columns stays on one line. Otherwise each attribute starts a
//! continuation line aligned under 对 (two spaces in when there is no
//! label), and so does the action unless it fits on the first line.

use super::amount::action;
use super::cond::cond;
use super::expr::{self, name};
use super::out::{Out, Place, width};
use super::trivia::Text;
use crate::ast::{
    Allow, Clause, ClauseAttr, Label, PayerShare, Period, Share, Window, WindowEnd, WindowPoint,
};
use crate::source::{Span, Spanned};

/// The widest a one-line clause may be, in display columns.
pub const WIDTH: usize = 80;

/// Emits a clause at `indent`.
///
/// One line when it fits and its comments allow: none inside it, or one
/// inside and none after it (that one then ends the line), and none right
/// after the condition. Otherwise the head, the action (on the head's line
/// when that fits, there are attributes, and no comment follows the
/// condition) and each attribute get their own lines; comments inside stay
/// inside, so that formatting again gives the same layout.
///
/// `unlabelled_next` says that the next item is a clause starting with 对:
/// a quoted grant name at the very end would then read as that clause's
/// label (`“运营资助” 对 …`), so the clause ends with `；`.
pub(super) fn emit(out: &mut Out<'_>, c: &Clause, indent: usize, unlabelled_next: bool) {
    let t = out.t;
    let mut segs = segments(t, c);
    if unlabelled_next
        && c.attrs.is_empty()
        && let Some((_, last)) = segs.last_mut()
        && last.ends_with('”')
    {
        last.push('；');
    }
    // The clause up to its last part (a `；` after it is not part of it).
    let span = Span::new(c.span.start, segs.last().map_or(c.span.end, |(s, _)| s.end));
    let head_note = segs.first().is_some_and(|(s, _)| out.note_after(s.end));
    let inside = out.comments_within(span);
    let after = out.note_after(span.end);
    let one: Vec<&str> = segs.iter().map(|(_, s)| s.as_str()).collect();
    let one = one.join(" ");
    if fits(indent, &one) && !head_note && (inside == 0 || (inside == 1 && !after)) {
        out.unit(span, indent, &one, Place::ITEM);
        return;
    }
    let cont = indent + c.label.as_ref().map_or(2, |l| width(&label(t, l)) + 1);
    let segs = if segs.len() > 2 && !head_note {
        merge_head(indent, segs)
    } else {
        segs
    };
    let last = segs.len().saturating_sub(1);
    for (i, (span, text)) in segs.iter().enumerate() {
        // Comments written inside the head go before the clause when a
        // comment ends the head's line (it stays there, so the layout is
        // stable); otherwise after the line, still inside the clause.
        let keep_inside = i < last && !(i == 0 && head_note);
        let place = Place {
            blanks: i == 0,
            inside_after: keep_inside.then_some(cont),
        };
        out.unit(*span, if i == 0 { indent } else { cont }, text, place);
    }
}

fn fits(indent: usize, line: &str) -> bool {
    !line.contains('\n') && indent + width(line) <= WIDTH
}

/// The head and the action share the first line when that fits.
fn merge_head(indent: usize, segs: Vec<(Span, String)>) -> Vec<(Span, String)> {
    let mut it = segs.into_iter();
    let (Some(head), Some(action)) = (it.next(), it.next()) else {
        return Vec::new();
    };
    let both = format!("{} {}", head.1, action.1);
    let mut merged = if fits(indent, &both) {
        vec![(Span::new(head.0.start, action.0.end), both)]
    } else {
        vec![head, action]
    };
    merged.extend(it);
    merged
}

/// The clause's parts, each with its span: the head (label, 对, condition),
/// the action, then each attribute.
fn segments(t: Text<'_>, c: &Clause) -> Vec<(Span, String)> {
    let head = match &c.label {
        Some(l) => format!("{} 对 {}", label(t, l), cond(t, &c.cond)),
        None => format!("对 {}", cond(t, &c.cond)),
    };
    // A condition in parentheses has the span of its inside.
    let head_end = t.past_close_parens(c.cond.span().end);
    let mut segs = vec![
        (Span::new(c.span.start, head_end), head),
        (c.action.span, action(t, &c.action)),
    ];
    for a in &c.attrs {
        segs.push(attr(t, a));
    }
    segs
}

/// A label as written, with canonical punctuation: `第三条`, `（一）`, `3.`,
/// `十三-1`, `“二-1”`.
pub(super) fn label(t: Text<'_>, l: &Label) -> String {
    let written = t.slice(l.span);
    let quoted = if written.is_empty() {
        !plain_label(&l.text)
    } else {
        written.starts_with(['“', '"', '‘', '\''])
    };
    if quoted {
        format!("“{}”", l.text)
    } else {
        l.text.clone()
    }
}

/// Whether `text` reads as a label without quotation marks.
fn plain_label(text: &str) -> bool {
    let cn = |c: char| "零〇一二三四五六七八九十百两".contains(c);
    let digits =
        |s: &str| !s.is_empty() && (s.chars().all(cn) || s.chars().all(|c| c.is_ascii_digit()));
    if let Some(inner) = text.strip_prefix('第').and_then(|s| s.strip_suffix('条')) {
        return inner.chars().all(|c| cn(c) || c.is_ascii_digit()) && !inner.is_empty();
    }
    if let Some(inner) = text.strip_prefix('（').and_then(|s| s.strip_suffix('）')) {
        return digits(inner);
    }
    if let Some(inner) = text.strip_suffix('.') {
        return !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit());
    }
    let (main, sub) = text.split_once('-').unwrap_or((text, "1"));
    !main.is_empty()
        && main.chars().all(cn)
        && sub.chars().all(|c| c.is_ascii_digit())
        && !sub.is_empty()
}

fn attr(t: Text<'_>, a: &ClauseAttr) -> (Span, String) {
    match a {
        ClauseAttr::Source(s) => (s.span, format!("原文 「{}」", s.node)),
        ClauseAttr::Matter(n) => (n.span, format!("事项 {}", name(n))),
        ClauseAttr::Window(w) => (w.span, format!("施行 {}", window(&w.node))),
        ClauseAttr::Share(s) => (s.span, format!("分担 {}", share(t, s))),
        ClauseAttr::Application(w) => (w.span, format!("申报 {}", window(&w.node))),
        ClauseAttr::AcceptingBody(n) => (n.span, format!("受理 {}", name(n))),
        ClauseAttr::Material(m) => (m.span, format!("材料 「{}」", m.node)),
        ClauseAttr::Allow(a) => (a.span(), format!("允许 {}", allow(a))),
    }
}

/// `a、b 「理由」` of `允许 a、b 「理由」`.
pub(super) fn allow(a: &Allow) -> String {
    let w: Vec<&str> = a.names.iter().map(|w| w.node.as_str()).collect();
    let names = w.join("、");
    match &a.reason {
        Some(r) => format!("{names} 「{}」", r.node),
        None => names,
    }
}

/// `2024年1月1日 至 2025年12月31日`, `发布后30日 起 3年`.
pub(super) fn window(w: &Window) -> String {
    let start = point(&w.start);
    match &w.end {
        WindowEnd::At(p) => format!("{start} 至 {}", point(p)),
        WindowEnd::Open => format!("{start} 起"),
        WindowEnd::For(p) => format!("{start} 起 {}", period(&p.node)),
    }
}

fn point(p: &WindowPoint) -> String {
    match p {
        WindowPoint::Date(d) => expr::date(*d),
        WindowPoint::Published(None) => "发布".into(),
        WindowPoint::Published(Some(p)) => format!("发布后{}", period(&p.node)),
    }
}

fn period(p: &Period) -> String {
    expr::period(p)
}

/// `市 50% 区县 50%` or `按财政体制`.
pub(super) fn share(t: Text<'_>, s: &Spanned<Share>) -> String {
    match &s.node {
        Share::BySystem => "按财政体制".into(),
        Share::Payers(payers) => {
            let parts: Vec<String> = payers
                .iter()
                .enumerate()
                .map(|(i, (n, share))| match share {
                    PayerShare::Ratio(r) => {
                        let end = payers.get(i + 1).map_or(s.span.end, |(m, _)| m.span.start);
                        let permille = t.between(n.span.end, end).contains('‰');
                        format!("{} {}", name(n), expr::ratio(*r, permille))
                    }
                    PayerShare::Fraction(f) => format!("{} {}", name(n), f.written),
                })
                .collect();
            parts.join(" ")
        }
    }
}
