//! Command-line paths → source files → parsed modules → checked program.
//! Directories load every `.zc` under them in sorted path order; `引用`
//! loads a file relative to the one naming it, never outside the trees
//! given on the command line.
#![expect(
    clippy::result_large_err,
    reason = "errors of reading and parsing a file carry their source to render anywhere; they happen once per file, never per row"
)]

use std::collections::HashSet;
use std::io::Read;
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
        /// The file, each invalid byte shown as `?` (offsets are the
        /// file's).
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

    /// A file longer than [`MAX_FILE_BYTES`], read whole.
    ///
    /// Triggered by `--facts /dev/zero`.
    #[error("{path} 超过 {limit_mib} MiB，不予读取")]
    #[diagnostic(
        code(zc::load::too_large),
        help(
            "政策文件、事实文件和语料都整个读入内存，上限 {limit_mib} MiB；检查是否给错了文件，大批主体请用登记表（batch）逐行读取"
        )
    )]
    TooLarge {
        /// The path.
        path: String,
        /// The limit in MiB.
        limit_mib: u64,
    },

    /// A `.zc` entry of a directory that is not a regular file (a FIFO,
    /// a socket, a device): skipped, not opened.
    ///
    /// Triggered by `mkfifo dir/x.zc` then `zhengce check dir`.
    #[error("跳过 {path}：不是普通文件")]
    #[diagnostic(
        code(zc::load::not_regular),
        severity(Warning),
        help(
            "目录中只载入普通 .zc 文件；命名管道、套接字和设备文件不会被打开，需要时直接在命令行给出该路径"
        )
    )]
    NotRegular {
        /// The path.
        path: String,
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
pub(crate) fn io_reason(e: &std::io::Error) -> String {
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
    let io = |e: std::io::Error| LoadError::Io {
        path: name.clone(),
        reason: io_reason(&e),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    // One byte past the limit tells a file of exactly the limit from a
    // longer one without reading the rest (of `/dev/zero`, forever).
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: name,
            limit_mib: MAX_FILE_BYTES / (1024 * 1024),
        });
    }
    decode(name, bytes)
}

/// Takes the bytes of a file named `name` as UTF-8, or says where they
/// stop being UTF-8.
pub fn decode(name: String, bytes: Vec<u8>) -> Result<SourceFile, LoadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            // The label is in file bytes and inside the file: each byte
            // of an invalid sequence is shown as one `?`, so the shown
            // text is exactly as long as the file (U+FFFD takes three
            // bytes and would move every offset after it).
            let mut text = String::with_capacity(bytes.len());
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
            }
            let shown = SourceFile::new(name.clone(), text);
            let (line, column) = shown.line_col(at);
            let len = e
                .utf8_error()
                .error_len()
                .unwrap_or(bytes.len().saturating_sub(at));
            Err(LoadError::InvalidUtf8 {
                src: shown.named(),
                span: SourceSpan::new(at.into(), len),
                path: name,
                line,
                column,
            })
        }
    }
}

/// The most bytes read whole from one file (a policy, a facts file, the
/// corpus): 64 MiB, far above any real text, so that `/dev/zero` or a
/// runaway generator is refused instead of filling memory. Registers are
/// streamed and have no limit.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The identity of an existing file or directory: device and inode on
/// unix (a hard link or symbolic link is the same file), the canonical
/// path elsewhere.
pub(crate) fn file_id(path: &Path) -> Option<(u64, u64, PathBuf)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino(), PathBuf::new()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0, path.canonicalize().ok()?))
    }
}

/// Appends every `.zc` file under `dir` to `out`, in sorted path order.
/// Each real directory is entered once, so symbolic links that loop
/// (`a/b -> ..`) end; a `.zc` entry that is not a regular file (a FIFO,
/// a socket, a device) is skipped with a warning, since opening it could
/// block forever.
pub(crate) fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let mut entered = HashSet::new();
    walk_in(dir, out, &mut entered)
}

fn walk_in(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    entered: &mut HashSet<(u64, u64, PathBuf)>,
) -> Result<(), LoadError> {
    let io = |e: std::io::Error| LoadError::Io {
        path: dir.display().to_string(),
        reason: io_reason(&e),
    };
    if let Some(id) = file_id(dir)
        && !entered.insert(id)
    {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for p in entries {
        // Follows symbolic links; a dangling one is kept when it is named
        // `.zc`, so that reading it reports the broken link.
        let meta = std::fs::metadata(&p).ok();
        if meta.as_ref().is_some_and(std::fs::Metadata::is_dir) {
            walk_in(&p, out, entered)?;
        } else if p.extension().is_some_and(|e| e == "zc") {
            match meta {
                Some(m) if !m.is_file() => skipped(&p),
                _ => out.push(p),
            }
        }
    }
    Ok(())
}

/// Says on standard error that a directory entry was not opened.
fn skipped(path: &Path) {
    let w = LoadError::NotRegular {
        path: path.display().to_string(),
    };
    eprint!(
        "{}",
        crate::diagnostics::render(&w, crate::diagnostics::Style::plain())
    );
}

/// Parses every file named (directories expanded) and every file they
/// include. One syntax error per file; every file is tried.
pub fn parse_paths(paths: &[PathBuf]) -> Result<Vec<Module>, Vec<AnyError>> {
    let (modules, errors) = parse_queue(paths, &read_source, |queue| {
        use rayon::prelude::*;
        // Only the first naming of a file is parsed, as in the queue.
        let mut first = HashSet::new();
        let wanted: Vec<bool> = queue
            .iter()
            .map(|p| first.insert(p.canonicalize().unwrap_or_else(|_| p.clone())))
            .collect();
        // Largest first, each file taken by the next free core: a large
        // file left for last would keep one core busy while the other
        // idles (files run from 1 KB to 62 KB).
        let mut order: Vec<(u64, usize)> = queue
            .iter()
            .zip(&wanted)
            .enumerate()
            .filter(|(_, (_, w))| **w)
            .map(|(i, (p, _))| (std::fs::metadata(p).map_or(0, |m| m.len()), i))
            .collect();
        order.sort_unstable_by(|a, b| b.cmp(a));
        let parsed: Vec<(usize, Parsed)> = order
            .into_iter()
            .par_bridge()
            .filter_map(|(_, i)| Some((i, read_and_parse(&read_source, queue.get(i)?))))
            .collect();
        let mut early: Vec<Option<Parsed>> = queue.iter().map(|_| None).collect();
        for (i, p) in parsed {
            if let Some(slot) = early.get_mut(i) {
                *slot = Some(p);
            }
        }
        early
    });
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
    parse_queue(paths, &read, |_| Vec::new())
}

/// A file read and parsed, or why not.
type Parsed = (
    Result<SourceFile, LoadError>,
    Option<Result<Module, syntax::SyntaxError>>,
);

fn read_and_parse(
    read: &(impl Fn(&Path) -> Result<SourceFile, LoadError> + ?Sized),
    path: &Path,
) -> Parsed {
    match read(path) {
        Ok(s) => {
            let m = syntax::parse(&s);
            (Ok(s), Some(m))
        }
        Err(e) => (Err(e), None),
    }
}

/// The files in order, each once, with what they 引用 after them.
/// `early` may read and parse the files the command line names before
/// the walk (`parse_paths` does it on all cores: the files are
/// independent, and most of a CLI call is parsing); the walk then takes
/// them in the same order as one at a time, so the modules and errors
/// come out exactly as they would sequentially.
fn parse_queue(
    paths: &[PathBuf],
    read: &impl Fn(&Path) -> Result<SourceFile, LoadError>,
    early: impl FnOnce(&[PathBuf]) -> Vec<Option<Parsed>>,
) -> (Vec<Module>, Vec<AnyError>) {
    let mut errors: Vec<AnyError> = Vec::new();
    let (mut queue, roots) = expand_arguments(paths, &mut errors);
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut modules = Vec::new();
    let given = queue.len();
    let mut early = if given > 1 { early(&queue) } else { Vec::new() };
    let mut i = 0;
    while let Some(path) = queue.get(i).cloned() {
        i += 1;
        let canon = path.canonicalize().unwrap_or_else(|_| path.clone());
        if !seen.insert(canon) {
            continue;
        }
        let (source, parsed) = match early.get_mut(i - 1).and_then(Option::take) {
            Some(done) => done,
            None => read_and_parse(read, &path),
        };
        let source = match source {
            Ok(s) => s,
            Err(e) => {
                errors.push(e.into());
                continue;
            }
        };
        let Some(parsed) = parsed else { continue };
        match parsed {
            Ok(mut m) => {
                m.included = i > given;
                queue.extend(includes(&path, &source, &m, &roots, &mut errors));
                modules.push(m);
            }
            Err(e) => errors.push(e.into()),
        }
    }
    (modules, errors)
}

/// The files the command line names, directories expanded in sorted path
/// order, and the trees `引用` may reach: each directory given, and the
/// directory of each file given.
fn expand_arguments(paths: &[PathBuf], errors: &mut Vec<AnyError>) -> (Vec<PathBuf>, Vec<PathBuf>) {
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
    (queue, roots)
}

/// The files module `m` (read from `path`) includes, in order; an `引用`
/// that cannot be resolved or leads outside `roots` is an error instead.
fn includes(
    path: &Path,
    source: &SourceFile,
    m: &Module,
    roots: &[PathBuf],
    errors: &mut Vec<AnyError>,
) -> Vec<PathBuf> {
    let mut targets = Vec::new();
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
            None => targets.push(target),
        }
    }
    targets
}

/// Loads, parses and checks: the front half of every command.
///
/// ```
/// # fn main() -> Result<(), zhengce::Error> {
/// let checked = zhengce::compile(&["examples/教程.zc".into()]).map_err(|mut e| e.remove(0))?;
/// let company = zhengce::read_source("examples/教程企业.json".as_ref())?;
/// let facts = zhengce::load_facts(&checked.program.vocab, &company)
///     .map_err(|mut e| e.remove(0))?;
/// let date = chrono::NaiveDate::from_ymd_opt(2020, 6, 1).unwrap_or_default();
/// let outcome = zhengce::evaluate(&checked.program, &facts, &zhengce::EvalConfig::on(date))?;
/// // 第三条: 示例研发投入 800万元 的 20% = 160万元, under its 最高 1000万元.
/// let third = &outcome.clauses[0];
/// assert_eq!(third.amount.map(|m| m.to_yuan_string()).as_deref(), Some("1600000.00"));
/// # Ok(())
/// # }
/// ```
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

/// [`compile_with`] without the lints ([`check::check_unlinted`]): the
/// front half of the commands that evaluate and never show warnings.
pub fn compile_unlinted(
    paths: &[PathBuf],
    assumptions: &check::Assumptions,
) -> Result<Checked, Vec<AnyError>> {
    let modules = parse_paths(paths)?;
    let checked = check::check_unlinted(&modules, assumptions)
        .map_err(|errs| errs.into_iter().map(AnyError::from).collect());
    // The syntax trees are not needed once checked, and freeing them node
    // by node is a tenth of what this thread does after parsing: a core
    // that has finished parsing frees them while this one evaluates.
    rayon::spawn(move || drop(modules));
    checked
}
