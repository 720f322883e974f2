//! `zhengce lsp`: a language server over stdin/stdout for editors. Every
//! answer comes from the library's own stages (load, parse, check, eval,
//! fmt, testing) run over the files as the editor has them; docs/editor.md
//! lists what it offers.

mod actions;
mod completion;
mod diagnostics;
mod documents;
mod hover;
mod index;
mod lens;
mod navigation;
mod outline;
mod position;
mod project;
mod server;
mod tree;

pub(crate) use server::run_stdio;
