//! The files loaded together with a document, through the library's own
//! stages: load (the editor's text first) → parse → check.
#![expect(
    clippy::result_large_err,
    reason = "errors of reading and parsing a file carry their source to render anywhere; they happen once per file, never per row"
)]

use std::path::{Path, PathBuf};

use crate::ast::Module;
use crate::check::{self, Config};
use crate::error::Error;
use crate::program::Program;

use super::documents::{Documents, normal};
use super::index::Index;

/// A document and everything loaded with it.
pub(super) struct Project {
    /// The modules that parsed, in load order.
    pub modules: Vec<Module>,
    /// The path of each module (as documents are keyed).
    pub paths: Vec<PathBuf>,
    /// What `zhengce check` would report: the load and syntax errors when
    /// there are any (names are then not checked), otherwise every check
    /// error and warning.
    pub diagnostics: Vec<Error>,
    /// The program as far as the checks could build it from the modules
    /// that parsed.
    pub program: Program,
    /// Declarations and uses.
    pub index: Index,
}

impl Project {
    /// Loads `roots` and what they include, as `zhengce check` would.
    pub(super) fn load(docs: &Documents, roots: &[PathBuf]) -> Project {
        let (modules, load_errors) = crate::load::parse_paths_with(roots, |p| docs.read(p));
        let analysis = check::analyse(&modules, &Config::default());
        let diagnostics = if load_errors.is_empty() {
            let mut all: Vec<Error> = analysis.errors.into_iter().map(Error::from).collect();
            all.extend(analysis.warnings.into_iter().map(Error::from));
            all.sort_by_key(|d| check::source_order(&modules, d));
            all
        } else {
            load_errors
        };
        let program = analysis.program;
        let paths = modules
            .iter()
            .map(|m| normal(Path::new(&*m.source.name)))
            .collect();
        let index = Index::build(&modules);
        Project {
            modules,
            paths,
            diagnostics,
            program,
            index,
        }
    }

    /// The file id of a path.
    pub(super) fn file(&self, path: &Path) -> Option<usize> {
        let path = normal(path);
        self.paths.iter().position(|p| *p == path)
    }

    /// The module of a path.
    pub(super) fn module(&self, path: &Path) -> Option<(usize, &Module)> {
        let id = self.file(path)?;
        self.modules.get(id).map(|m| (id, m))
    }

    /// Whether the program may be evaluated: everything loaded, parsed
    /// and checked without error.
    pub(super) fn runnable(&self) -> bool {
        self.diagnostics
            .iter()
            .all(|d| crate::diagnostics::severity(d) != "error")
    }
}

/// The `.zc` files under the workspace folders that load `target` through
/// `引用` (so that renaming a word in a vocabulary file reaches the
/// policies that use it).
pub(super) fn includers(docs: &Documents, folders: &[PathBuf], target: &Path) -> Vec<PathBuf> {
    let target = normal(target);
    let mut files = Vec::new();
    for f in folders {
        // An unreadable folder has no includers to offer.
        let _ = crate::load::walk(f, &mut files);
    }
    files
        .into_iter()
        .filter(|f| normal(f) != target)
        .filter(|f| {
            let (modules, _) =
                crate::load::parse_paths_with(std::slice::from_ref(f), |p| docs.read(p));
            modules
                .iter()
                .any(|m| normal(Path::new(&*m.source.name)) == target)
        })
        .collect()
}
