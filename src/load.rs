//! Command-line paths → source files → parsed modules → checked program.
//! Directories load every `.zc` under them in sorted path order; `引用`
//! loads a file relative to the one naming it, never outside the trees
//! given on the command line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::ast::{Item, Module};
use crate::check::{self, Checked};
use crate::error::Error as AnyError;
use crate::source::SourceFile;
use crate::syntax;

/// A loading error.
#[derive(Debug, Error, Diagnostic)]
pub enum LoadError {
    /// A file or directory that cannot be read.
    #[error("无法读取 {path}：{reason}")]
    #[diagnostic(code(zc::load::io), help("检查路径是否存在、是否有读取权限"))]
    Io {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },

    /// A file that is not UTF-8.
    ///
    /// Triggered by a file saved as GBK.
    #[error("{path} 不是 UTF-8 编码（第 {line} 行第 {column} 列起）")]
    #[diagnostic(
        code(zc::load::invalid_utf8),
        help("将文件另存为 UTF-8 编码；Windows 记事本中选择“UTF-8”")
    )]
    InvalidUtf8 {
        /// The file, decoded lossily so the position can be shown.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The first invalid byte.
        #[label("无法解码")]
        span: SourceSpan,
        /// The path.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },

    /// An `引用` that cannot be loaded.
    ///
    /// Triggered by `引用 “不存在.zc”`.
    #[error("无法引用 {path}：{reason}")]
    #[diagnostic(
        code(zc::load::include),
        help("引用的路径相对于当前文件，且必须位于命令行给出的目录之内")
    )]
    Include {
        /// The including file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The 引用.
        #[label("这里引用")]
        span: SourceSpan,
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },

    /// Nothing to load.
    #[error("{path} 中没有 .zc 文件")]
    #[diagnostic(code(zc::load::empty), help("给出 .zc 文件或包含 .zc 文件的目录"))]
    Empty {
        /// The path.
        path: String,
    },
}

/// Why a file could not be read, in Chinese for the common cases (the
/// operating system's own text is English, and differs between systems).
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件或目录不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        std::io::ErrorKind::IsADirectory => "这是一个目录，不是文件".into(),
        _ => e.to_string(),
    }
}

/// Reads one file as UTF-8.
pub fn read_source(path: &Path) -> Result<SourceFile, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LoadError::Io {
        path: name.clone(),
        reason: io_reason(&e),
    })?;
    decode(name, bytes)
}

/// Takes the bytes of a file named `name` as UTF-8, or says where they
/// stop being UTF-8.
pub fn decode(name: String, bytes: Vec<u8>) -> Result<SourceFile, LoadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let shown = SourceFile::new(name.clone(), lossy);
            let valid = String::from_utf8_lossy(e.as_bytes().get(..at).unwrap_or(&[])).into_owned();
            let (line, column) = shown.line_col(valid.len());
            // The first bad sequence is shown as U+FFFD: underline that
            // whole character, so the span ends on a character boundary.
            let len = shown
                .text
                .get(valid.len()..)
                .and_then(|r| r.chars().next())
                .map_or(0, char::len_utf8);
            Err(LoadError::InvalidUtf8 {
                src: shown.named(),
                span: SourceSpan::new(valid.len().into(), len),
                path: name,
                line,
                column,
            })
        }
    }
}

/// Appends every `.zc` file under `dir` to `out`, in sorted path order.
pub(crate) fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let io = |e: std::io::Error| LoadError::Io {
        path: dir.display().to_string(),
        reason: io_reason(&e),
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "zc") {
            out.push(p);
        }
    }
    Ok(())
}

/// Parses every file named (directories expanded) and every file they
/// include. One syntax error per file; every file is tried.
pub fn parse_paths(paths: &[PathBuf]) -> Result<Vec<Module>, Vec<AnyError>> {
    let (modules, errors) = parse_paths_with(paths, read_source);
    if errors.is_empty() {
        Ok(modules)
    } else {
        Err(errors)
    }
}

/// Like [`parse_paths`], reading each file with `read` (the language
/// server reads the editor's unsaved text this way), and keeping the
/// modules that parsed next to the errors of those that did not.
pub fn parse_paths_with(
    paths: &[PathBuf],
    read: impl Fn(&Path) -> Result<SourceFile, LoadError>,
) -> (Vec<Module>, Vec<AnyError>) {
    let mut errors: Vec<AnyError> = Vec::new();
    let mut queue: Vec<PathBuf> = Vec::new();
    let mut roots: Vec<PathBuf> = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = queue.len();
            if let Err(e) = walk(p, &mut queue) {
                errors.push(e.into());
            } else if queue.len() == before {
                errors.push(
                    LoadError::Empty {
                        path: p.display().to_string(),
                    }
                    .into(),
                );
            }
            roots.push(p.canonicalize().unwrap_or_else(|_| p.clone()));
        } else {
            queue.push(p.clone());
            let parent = p
                .parent()
                .filter(|x| !x.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            roots.push(
                parent
                    .canonicalize()
                    .unwrap_or_else(|_| parent.to_path_buf()),
            );
        }
    }
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut modules = Vec::new();
    let given = queue.len();
    let mut i = 0;
    while let Some(path) = queue.get(i).cloned() {
        i += 1;
        let canon = path.canonicalize().unwrap_or_else(|_| path.clone());
        if seen.contains(&canon) {
            continue;
        }
        seen.push(canon);
        let source = match read(&path) {
            Ok(s) => s,
            Err(e) => {
                errors.push(e.into());
                continue;
            }
        };
        match syntax::parse(&source) {
            Ok(mut m) => {
                m.included = i > given;
                for item in &m.items {
                    let Item::Include(inc) = item else { continue };
                    let base = path.parent().unwrap_or(Path::new("."));
                    let target = base.join(&inc.node);
                    let problem = match target.canonicalize() {
                        Err(e) => Some(io_reason(&e)),
                        Ok(c) if !roots.iter().any(|r| c.starts_with(r)) => {
                            Some("位于命令行给出的目录之外".into())
                        }
                        Ok(_) => None,
                    };
                    match problem {
                        Some(reason) => errors.push(
                            LoadError::Include {
                                src: source.named(),
                                span: inc.span.into(),
                                path: inc.node.clone(),
                                reason,
                            }
                            .into(),
                        ),
                        None => queue.push(target),
                    }
                }
                modules.push(m);
            }
            Err(e) => errors.push(e.into()),
        }
    }
    (modules, errors)
}

/// Loads, parses and checks: the front half of every command.
pub fn compile(paths: &[PathBuf]) -> Result<Checked, Vec<AnyError>> {
    compile_with(paths, &check::Assumptions::default())
}

/// [`compile`], with policies written `发布 未定` read with the
/// publication dates `assumptions` gives them.
pub fn compile_with(
    paths: &[PathBuf],
    assumptions: &check::Assumptions,
) -> Result<Checked, Vec<AnyError>> {
    let modules = parse_paths(paths)?;
    check::check_with(&modules, assumptions)
        .map_err(|errs| errs.into_iter().map(AnyError::from).collect())
}
