//! Shared by the robustness tests (`hostile.rs`, `robust_props.rs`): run a
//! source (and facts) through every stage of the library, and check that
//! each diagnostic points inside its own input on character boundaries.

use chrono::NaiveDate;
use miette::{Diagnostic, SourceSpan};
use zhengce::internals::error::Error;
use zhengce::internals::eval::{EvalConfig, evaluate};
use zhengce::internals::source::SourceFile;

/// How to evaluate an accepted program.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The facts file (name decides JSON or TOML).
    pub facts: SourceFile,
    /// The evaluation date.
    pub date: NaiveDate,
    /// The step budget.
    pub fuel: u64,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            facts: SourceFile::new("facts.json", "{}"),
            date: NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
            fuel: EvalConfig::DEFAULT_FUEL,
        }
    }
}

/// Parse, check, read facts, evaluate: the JSON report, or the diagnostics
/// of the first stage that refused.
pub fn run(source: &SourceFile, setup: &Setup) -> Result<serde_json::Value, Vec<Error>> {
    let module = zhengce::internals::syntax::parse(source).map_err(|e| vec![Error::from(e)])?;
    let checked = zhengce::internals::check::check(&[module])
        .map_err(|es| es.into_iter().map(Error::from).collect::<Vec<_>>())?;
    let facts = zhengce::internals::facts::load(&checked.program.vocab, &setup.facts)
        .map_err(|es| es.into_iter().map(Error::from).collect::<Vec<_>>())?;
    // Explaining exercises the trace and the fact values it shows.
    let config = EvalConfig {
        fuel: setup.fuel,
        explain: true,
        ..EvalConfig::on(setup.date)
    };
    let outcome = evaluate(&checked.program, &facts, &config).map_err(|e| vec![Error::from(e)])?;
    // An open clause always says why: the facts that would decide it, or
    // the window (a publication date not yet known). Never 待定 for nothing.
    for c in &outcome.clauses {
        let open = c.status == zhengce::internals::eval::Status::Undecided
            || c.verdict == Some(zhengce::internals::eval::Verdict::Undecided);
        assert!(
            !open || !c.missing.is_empty() || c.window_note.is_some(),
            "clause {} of policy {} is undecided with no missing fact and no window note:\n{}",
            c.index,
            c.policy,
            source.text
        );
    }
    // Rendering must not fail either.
    let _ = zhengce::internals::report::human(&checked.program, &outcome, false);
    let _ = zhengce::internals::report::explain(&checked.program, &facts, &outcome);
    Ok(zhengce::internals::report::json(&checked.program, &outcome))
}

/// The stable code of a diagnostic.
pub fn code(d: &dyn Diagnostic) -> String {
    d.code().map(|c| c.to_string()).unwrap_or_default()
}

/// The whole text a diagnostic carries.
fn whole_text(d: &dyn Diagnostic) -> Option<String> {
    let src = d.source_code()?;
    let contents = src
        .read_span(&SourceSpan::new(0.into(), 0), 0, usize::MAX)
        .expect("the whole source can be read");
    Some(String::from_utf8(contents.data().to_vec()).expect("diagnostic sources are UTF-8"))
}

/// Every label of `d` (and of its related diagnostics) lies inside the
/// text it carries and starts and ends on character boundaries. Returns
/// how many labels were checked.
pub fn check_spans(d: &dyn Diagnostic) -> usize {
    let mut checked = 0;
    if let Some(labels) = d.labels() {
        let text = whole_text(d).unwrap_or_else(|| {
            panic!("{}: a label without source code", code(d));
        });
        for l in labels {
            let (start, end) = (l.offset(), l.offset() + l.len());
            assert!(
                end <= text.len(),
                "{}: label {start}..{end} outside a text of {} bytes",
                code(d),
                text.len()
            );
            assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "{}: label {start}..{end} not on character boundaries",
                code(d)
            );
            checked += 1;
        }
        // The JSON form finds the same place.
        let pos = zhengce::internals::diagnostics::position(d)
            .expect("a labelled diagnostic has a position");
        assert!(pos.line >= 1 && pos.column >= 1);
    }
    if let Some(related) = d.related() {
        for r in related {
            checked += check_spans(r);
        }
    }
    checked
}

/// The codes of a refusal, after checking that every diagnostic has a
/// message and sound spans and that at least one points into the input.
pub fn refusal_codes(errors: &[Error]) -> Vec<String> {
    assert!(!errors.is_empty(), "a refusal without a diagnostic");
    let mut labelled = 0;
    for e in errors {
        assert!(!e.to_string().is_empty(), "{}: empty message", code(e));
        assert!(code(e).starts_with("zc::"), "uncoded diagnostic: {e}");
        labelled += check_spans(e);
        let _ = zhengce::internals::diagnostics::render(
            e,
            zhengce::internals::diagnostics::Style::plain(),
        );
        let _ = zhengce::internals::diagnostics::to_json(e);
    }
    assert!(
        labelled > 0,
        "no diagnostic points into the input: {:?}",
        errors.iter().map(|e| code(e)).collect::<Vec<_>>()
    );
    errors.iter().map(|e| code(e)).collect()
}
