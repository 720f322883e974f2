//! Writing result files without losing data: an output path that names
//! an input is refused before anything is opened for writing, and every
//! file is written to a temporary file beside it and renamed over the
//! old one only when complete, so a failed run (a full disk, a bad row
//! header) leaves the old file as it was.

use std::fs::Permissions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

/// Why an output could not be written.
#[derive(Debug, Error, Diagnostic)]
pub(crate) enum OutputError {
    /// An output path that is one of the inputs (the same file, also
    /// through a symbolic or hard link).
    ///
    /// Triggered by `batch --facts reg.csv --out reg.csv`.
    #[error("{flag} {output} 与输入 {input} 是同一个文件，写入会覆盖输入")]
    #[diagnostic(
        code(zc::output::is_input),
        help("把结果写到另一个文件；输入文件未被改动")
    )]
    IsInput {
        /// The option naming the output (`--out`).
        flag: String,
        /// The output path.
        output: String,
        /// The input path it is the same file as.
        input: String,
    },

    /// A file the user may not write (no write permission, or a
    /// read-only mode).
    ///
    /// Triggered by `fmt` on a file with mode 0444.
    #[error("{path} 是只读文件，不能改写")]
    #[diagnostic(
        code(zc::output::read_only),
        help("文件未被改动；确需改写时先取得写权限（如 chmod u+w）")
    )]
    ReadOnly {
        /// The path.
        path: String,
    },

    /// Creating, writing or renaming the file failed.
    #[error("无法写入 {path}：{reason}")]
    #[diagnostic(
        code(zc::output::io),
        help("检查目录是否存在、是否可写、磁盘是否已满；原有文件未被改动")
    )]
    Io {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
}

/// Refuses any output that is the same file as an input or as another
/// output, or a `.zc` file inside a directory of policies given as input.
/// `outputs` pairs each path with the option that names it (`--out`);
/// `-` (standard input) among the inputs is skipped. An output that does
/// not exist yet is a new file and clashes with nothing.
pub(crate) fn refuse_overwrite(
    inputs: &[&Path],
    outputs: &[(&str, &Path)],
) -> Result<(), OutputError> {
    let inputs: Vec<(&Path, (u64, u64, PathBuf))> = inputs
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .filter_map(|p| Some((*p, crate::load::file_id(p)?)))
        .collect();
    let dirs: Vec<(&Path, PathBuf)> = inputs
        .iter()
        .filter(|(p, _)| p.is_dir())
        .filter_map(|(p, _)| Some((*p, p.canonicalize().ok()?)))
        .collect();
    // Outputs among themselves, also those that do not exist yet: by
    // the path each would be written at.
    let mut earlier: Vec<(&str, &Path, PathBuf)> = Vec::new();
    for &(flag, out) in outputs {
        if std::fs::metadata(out).is_ok_and(|m| !m.is_file()) {
            continue;
        }
        let Some(at) = would_be(out) else {
            continue;
        };
        if let Some((f, p, _)) = earlier.iter().find(|(_, _, a)| *a == at) {
            return Err(OutputError::IsInput {
                flag: flag.to_string(),
                output: out.display().to_string(),
                input: format!("{f} {}", p.display()),
            });
        }
        earlier.push((flag, out, at));
    }
    for &(flag, out) in outputs {
        // Only a regular file holds anything to lose (`--out /dev/null`
        // beside `--facts /dev/null` is harmless).
        if !std::fs::metadata(out).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let Some(id) = crate::load::file_id(out) else {
            continue;
        };
        let canon = out.canonicalize().ok();
        let in_dir = || {
            let c = canon.as_ref()?;
            if c.extension().is_none_or(|e| e != "zc") {
                return None;
            }
            dirs.iter()
                .find(|(_, d)| c.starts_with(d))
                .map(|(p, _)| p.display().to_string())
        };
        let clash = inputs
            .iter()
            .find(|(_, i)| *i == id)
            .map(|(p, _)| p.display().to_string())
            .or_else(in_dir);
        if let Some(input) = clash {
            return Err(OutputError::IsInput {
                flag: flag.to_string(),
                output: out.display().to_string(),
                input,
            });
        }
    }
    Ok(())
}

/// The path a file would be written at: an existing file's canonical path
/// (links resolved), else its canonical directory and its name.
fn would_be(path: &Path) -> Option<PathBuf> {
    if let Ok(c) = path.canonicalize() {
        return Some(c);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(path.file_name()?))
}

/// A file being written: bytes go to a temporary file in the target's
/// directory; [`AtomicFile::commit`] renames it over the target. Dropped
/// without a commit, the temporary file is removed and the target is
/// untouched.
#[derive(Debug)]
pub(crate) struct AtomicFile {
    sink: Sink,
    target: PathBuf,
    shown: String,
    perms: Option<Permissions>,
    /// The replaced file's owner and group (unix).
    owner: Option<(u32, u32)>,
}

/// Where the bytes go.
#[derive(Debug)]
enum Sink {
    /// A temporary file, renamed over the target by the commit.
    Temp(tempfile::NamedTempFile),
    /// A target that is not a regular file (`/dev/stdout`, `/dev/null`, a
    /// FIFO): written directly, since it cannot be renamed over and holds
    /// nothing to lose.
    Direct(std::fs::File),
}

impl AtomicFile {
    /// Starts writing `path`. An existing file keeps its permissions; one
    /// the user may not write is refused (a rename would replace it all
    /// the same, since renaming needs only the directory's permission).
    pub(crate) fn create(path: &Path) -> Result<AtomicFile, OutputError> {
        let shown = path.display().to_string();
        let io = |e: io::Error| OutputError::Io {
            path: shown.clone(),
            reason: reason(&e),
        };
        // A symbolic link is written through: the file it names is
        // replaced, the link stays.
        let target = match path.canonicalize() {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
            Err(e) => return Err(io(e)),
        };
        let mut owner = None;
        let perms = match std::fs::metadata(&target) {
            Ok(meta) if !meta.is_file() && !meta.is_dir() => {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(io)?;
                return Ok(AtomicFile {
                    sink: Sink::Direct(f),
                    target,
                    shown,
                    perms: None,
                    owner: None,
                });
            }
            Ok(meta) => {
                if meta.is_dir() {
                    return Err(io(io::Error::from(io::ErrorKind::IsADirectory)));
                }
                let writable = !meta.permissions().readonly()
                    && std::fs::OpenOptions::new()
                        .write(true)
                        .open(&target)
                        .is_ok();
                if !writable {
                    return Err(OutputError::ReadOnly { path: shown });
                }
                #[cfg(unix)]
                {
                    use std::os::unix::fs::MetadataExt;
                    owner = Some((meta.uid(), meta.gid()));
                }
                Some(meta.permissions())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(e)),
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".zhengce-").suffix(".tmp");
        // A new file gets the mode `File::create` would give it (0666
        // less the umask), not the temporary file's 0600.
        #[cfg(unix)]
        if perms.is_none() {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(Permissions::from_mode(0o666));
        }
        let tmp = builder.tempfile_in(dir).map_err(io)?;
        Ok(AtomicFile {
            sink: Sink::Temp(tmp),
            target,
            shown,
            perms,
            owner,
        })
    }

    /// Flushes to disk, gives the file the old file's permissions and
    /// renames it over the target.
    pub(crate) fn commit(self) -> Result<(), OutputError> {
        let io = |e: io::Error| OutputError::Io {
            path: self.shown.clone(),
            reason: reason(&e),
        };
        let tmp = match &self.sink {
            Sink::Temp(t) => t,
            // A terminal or a pipe cannot be synced; what was written is
            // already delivered.
            Sink::Direct(_) => return Ok(()),
        };
        tmp.as_file().sync_all().map_err(io)?;
        // The new file keeps the old one's owner and group where the user
        // may give them (root, or a group the user is in); otherwise it
        // belongs to the user who rewrote it, as any editor's save would.
        #[cfg(unix)]
        if let Some((uid, gid)) = self.owner {
            let _ = std::os::unix::fs::chown(tmp.path(), Some(uid), Some(gid));
        }
        if let Some(p) = &self.perms {
            std::fs::set_permissions(tmp.path(), p.clone()).map_err(io)?;
        }
        let shown = self.shown.clone();
        let Sink::Temp(tmp) = self.sink else {
            return Ok(());
        };
        tmp.persist(&self.target).map_err(|e| OutputError::Io {
            path: shown,
            reason: reason(&e.error),
        })?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Temp(t) => t.write(buf),
            Sink::Direct(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Temp(t) => t.flush(),
            Sink::Direct(f) => f.flush(),
        }
    }
}

/// Writes the whole of `bytes` to `path` atomically.
pub(crate) fn write_all(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes).map_err(|e| OutputError::Io {
        path: path.display().to_string(),
        reason: reason(&e),
    })?;
    f.commit()
}

/// Why a write failed, in Chinese for the common cases.
fn reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "没有写入权限".into(),
        io::ErrorKind::NotFound => "目录不存在".into(),
        io::ErrorKind::StorageFull => "磁盘已满".into(),
        _ => e.to_string(),
    }
}
