//! Findings in the forms CI systems read: GitHub workflow commands
//! (annotations on the pull request) and SARIF 2.1.0 (code scanning).
//! `check` and `test` share them; positions are 1-based lines and columns
//! in characters, as in the human and JSON output.

use miette::Diagnostic;
use serde_json::{Value, json};

use crate::diagnostics;

/// One finding, wherever it came from (a diagnostic, a failed 案例).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `zc::check::unknown_word`, `zc::test::failed`.
    pub code: String,
    /// `error`, `warning` or `advice` (as in the JSON).
    pub severity: &'static str,
    /// The message.
    pub message: String,
    /// The help line, if any.
    pub help: Option<String>,
    /// Where, when the finding points into a file.
    pub at: Option<Region>,
}

/// A span of a file in lines and columns (characters, 1-based; the end
/// column is the one after the last character, as SARIF counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The file as it was named.
    pub file: String,
    /// First line.
    pub start_line: usize,
    /// First column.
    pub start_column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column after the last character.
    pub end_column: usize,
    /// Byte offset in the file.
    pub offset: usize,
    /// Byte length.
    pub length: usize,
}

impl Region {
    /// The region of `span` in a loaded file.
    pub fn of(file: &crate::source::SourceFile, span: crate::source::Span) -> Self {
        let (start_line, start_column) = file.line_col(span.start);
        let (end_line, end_column) = file.line_col(span.end.max(span.start));
        Region {
            file: file.name.to_string(),
            start_line,
            start_column,
            end_line,
            end_column,
            offset: span.start,
            length: span.end.saturating_sub(span.start),
        }
    }
}

impl Finding {
    /// A diagnostic as a finding, positioned at its first label.
    pub fn from_diagnostic(d: &dyn Diagnostic) -> Self {
        let at = diagnostics::position(d).and_then(|p| {
            let file = p.file.clone()?;
            let end = d.source_code().and_then(|src| {
                let upto = src
                    .read_span(
                        &miette::SourceSpan::new(0.into(), p.offset + p.length),
                        0,
                        0,
                    )
                    .ok()?;
                let text = String::from_utf8_lossy(upto.data()).into_owned();
                let line = text.matches('\n').count() + 1;
                let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                Some((line, column))
            });
            let (end_line, end_column) = end.unwrap_or((p.line, p.column));
            Some(Region {
                file,
                start_line: p.line,
                start_column: p.column,
                end_line,
                end_column,
                offset: p.offset,
                length: p.length,
            })
        });
        Finding {
            code: d
                .code()
                .map_or_else(|| "zc::error".to_string(), |c| c.to_string()),
            severity: diagnostics::severity(d),
            message: d.to_string(),
            help: d.help().map(|h| h.to_string()),
            at,
        }
    }

    fn text(&self) -> String {
        match &self.help {
            Some(h) => format!("{}\n{h}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Every diagnostic as a finding.
pub fn findings(diags: &[&dyn Diagnostic]) -> Vec<Finding> {
    diags.iter().map(|d| Finding::from_diagnostic(*d)).collect()
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value (a message's
/// escapes and `:` and `,`, which end a property).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command a line (`::error file=…,line=…,col=…,title=…::…`),
/// which GitHub Actions shows as annotations on the lines named.
pub fn github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let command = match f.severity {
            "warning" => "warning",
            "advice" => "notice",
            _ => "error",
        };
        let mut props = Vec::new();
        if let Some(r) = &f.at {
            props.push(format!("file={}", escape_property(&r.file)));
            props.push(format!("line={}", r.start_line));
            props.push(format!("col={}", r.start_column));
            props.push(format!("endLine={}", r.end_line));
            if r.end_line == r.start_line {
                props.push(format!("endColumn={}", r.end_column));
            }
        }
        props.push(format!("title={}", escape_property(&f.code)));
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            escape_data(&f.text())
        ));
    }
    out
}

/// A path as a SARIF artifact URI: a relative reference (or an absolute
/// path) with every byte outside the unreserved set percent-encoded, so
/// Chinese file names and spaces survive.
fn uri(path: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let path = path.replace('\\', "/");
    utf8_percent_encode(&path, KEEP).to_string()
}

/// A SARIF 2.1.0 log of one run: the tool's rules are the codes found,
/// columns count Unicode code points (`columnKind`).
pub fn sarif(findings: &[Finding]) -> Value {
    let mut codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes.iter().map(|c| json!({ "id": c })).collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": codes.binary_search(&f.code.as_str()).unwrap_or(0),
                "level": match f.severity {
                    "warning" => "warning",
                    "advice" => "note",
                    _ => "error",
                },
                "message": { "text": f.text() },
            });
            if let (Some(r), Some(obj)) = (&f.at, result.as_object_mut()) {
                obj.insert(
                    "locations".into(),
                    json!([{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&r.file) },
                            "region": {
                                "startLine": r.start_line,
                                "startColumn": r.start_column,
                                "endLine": r.end_line,
                                "endColumn": r.end_column,
                                "byteOffset": r.offset,
                                "byteLength": r.length,
                            },
                        },
                    }]),
                );
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "zhengce",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_data_and_properties_as_github_reads_them() {
        let f = Finding {
            code: "zc::check::x".into(),
            severity: "warning",
            message: "100% 的\r\n第二行".into(),
            help: None,
            at: Some(Region {
                file: "a,b:c.zc".into(),
                start_line: 2,
                start_column: 3,
                end_line: 2,
                end_column: 5,
                offset: 9,
                length: 6,
            }),
        };
        assert_eq!(
            github(&[f]),
            "::warning file=a%2Cb%3Ac.zc,line=2,col=3,endLine=2,endColumn=5,\
             title=zc%3A%3Acheck%3A%3Ax::100%25 的%0D%0A第二行\n"
        );
    }

    #[test]
    fn uris_encode_chinese_and_spaces_and_keep_slashes() {
        assert_eq!(
            uri("policies/词汇 表.zc"),
            "policies/%E8%AF%8D%E6%B1%87%20%E8%A1%A8.zc"
        );
    }
}
