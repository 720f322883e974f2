//! The server loop: the `initialize` handshake, then one message at a
//! time; every request is answered from the files as they are now (the
//! editor's text first), loaded and checked afresh.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CodeLensOptions,
    CompletionOptions, ExecuteCommandOptions, Hover, HoverContents, HoverProviderCapability,
    InitializeParams, MarkupContent, MarkupKind, MessageType, OneOf, PositionEncodingKind,
    PublishDiagnosticsParams, RenameOptions, ServerCapabilities, ShowMessageParams,
    TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::documents::{Documents, normal, path_of, uri_of};
use super::position::LineMap;
use super::project::{Project, includers};
use super::{actions, completion, diagnostics, hover, lens, navigation, outline};

/// What the editor said at `initialize`.
#[derive(Debug, Clone)]
pub(super) struct Options {
    /// The evaluation date of hovers and lenses: `initializationOptions.date`
    /// (`YYYY-MM-DD`), else today.
    pub date: NaiveDate,
    /// The workspace folders, searched for files that `引用` a document.
    pub folders: Vec<PathBuf>,
}

impl Options {
    fn from_params(p: &InitializeParams) -> Result<Options, String> {
        let date = match p
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("date"))
        {
            None | Some(Value::Null) => chrono::Local::now().date_naive(),
            Some(Value::String(s)) => crate::facts::parse_date(s).ok_or_else(|| {
                format!("initializationOptions.date “{s}”不是有效日期，应为 YYYY-MM-DD")
            })?,
            Some(other) => {
                return Err(format!(
                    "initializationOptions.date 应为 YYYY-MM-DD 形式的字符串，而不是 {other}"
                ));
            }
        };
        let mut folders: Vec<PathBuf> = p
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| path_of(&f.uri))
            .collect();
        #[expect(
            deprecated,
            reason = "clients that send no workspace folders still send root_uri"
        )]
        if folders.is_empty() {
            folders.extend(p.root_uri.as_ref().and_then(path_of));
        }
        Ok(Options { date, folders })
    }
}

/// What the server announces.
pub(super) fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                [" ", ":", "：", "、"]
                    .iter()
                    .map(|s| (*s).to_string())
                    .collect(),
            ),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![lens::RUN_CASE.into(), lens::EVAL_CLAUSE.into()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Serves one editor over stdin/stdout until it says `exit`.
pub(crate) fn run_stdio() -> Result<(), String> {
    let (conn, threads) = Connection::stdio();
    let served = serve(&conn);
    // The writer thread ends when the last sender is gone.
    drop(conn);
    // Joined before an error is returned, so that the error response
    // (a bad `initialize`) is written out before the process ends.
    let joined = threads.join().map_err(|e| e.to_string());
    served?;
    joined
}

/// Serves one connection until `shutdown` and `exit`.
pub(super) fn serve(conn: &Connection) -> Result<(), String> {
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let init: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let options = match Options::from_params(&init) {
        Ok(o) => o,
        Err(why) => {
            let resp = Response::new_err(id, ErrorCode::InvalidParams as i32, why.clone());
            conn.sender.send(resp.into()).map_err(|e| e.to_string())?;
            return Err(why);
        }
    };
    let result = json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "zhengce", "version": env!("CARGO_PKG_VERSION") },
    });
    conn.initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        conn,
        options,
        docs: Documents::default(),
        published: BTreeSet::new(),
    };
    for msg in &conn.receiver {
        match msg {
            Message::Request(r) => {
                if conn.handle_shutdown(&r).map_err(|e| e.to_string())? {
                    return Ok(());
                }
                let id = r.id.clone();
                let resp = match server.request(&r) {
                    Ok(v) => Response::new_ok(id, v),
                    Err((code, why)) => Response::new_err(id, code as i32, why),
                };
                server.send(resp.into());
            }
            Message::Notification(n) => server.notification(&n),
            Message::Response(_) => {}
        }
    }
    Ok(())
}

type Failure = (ErrorCode, String);

fn params<P: DeserializeOwned>(r: &Request) -> Result<P, Failure> {
    serde_json::from_value(r.params.clone()).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn to_value(v: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

struct Server<'c> {
    conn: &'c Connection,
    options: Options,
    docs: Documents,
    /// Files that were sent diagnostics, so that they can be cleared.
    published: BTreeSet<PathBuf>,
}

/// A document position resolved against its project.
struct At {
    project: Project,
    file: usize,
    offset: usize,
}

impl Server<'_> {
    fn send(&self, m: Message) {
        // The editor has gone when this fails; the loop ends with it.
        let _ = self.conn.sender.send(m);
    }

    fn notify<N: note::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params).into());
    }

    fn path(uri: &Uri) -> Result<PathBuf, Failure> {
        path_of(uri).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("不是本地文件：{}", uri.as_str()),
            )
        })
    }

    /// The project of a document alone (it and what it includes).
    fn at(&self, p: &TextDocumentPositionParams) -> Result<Option<At>, Failure> {
        let path = Self::path(&p.text_document.uri)?;
        Ok(self.at_in(&path, std::slice::from_ref(&path), p))
    }

    /// The project of a document and of the files that include it.
    fn at_wide(&self, p: &TextDocumentPositionParams) -> Result<Option<At>, Failure> {
        let path = Self::path(&p.text_document.uri)?;
        let folders = if self.options.folders.is_empty() {
            path.parent()
                .map(|d| vec![d.to_path_buf()])
                .unwrap_or_default()
        } else {
            self.options.folders.clone()
        };
        let mut roots = vec![path.clone()];
        roots.extend(includers(&self.docs, &folders, &path));
        Ok(self.at_in(&path, &roots, p))
    }

    fn at_in(&self, path: &Path, roots: &[PathBuf], p: &TextDocumentPositionParams) -> Option<At> {
        let project = Project::load(&self.docs, roots);
        let (file, m) = project.module(path)?;
        let offset = LineMap::new(&m.source.text).offset(p.position);
        Some(At {
            file,
            offset,
            project,
        })
    }

    /// One arm per request, each handled by its own method: the match is
    /// the table of the requests served.
    fn request(&mut self, r: &Request) -> Result<Value, Failure> {
        match r.method.as_str() {
            req::HoverRequest::METHOD => self.hover(&params(r)?),
            req::GotoDefinition::METHOD => self.definition(&params(r)?),
            req::References::METHOD => self.references(&params(r)?),
            req::PrepareRenameRequest::METHOD => self.prepare_rename(&params(r)?),
            req::Rename::METHOD => self.rename(&params(r)?),
            req::Completion::METHOD => self.completion(&params(r)?),
            req::DocumentSymbolRequest::METHOD => self.symbols(&params(r)?),
            req::Formatting::METHOD => self.formatting(&params(r)?),
            req::CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = params(r)?;
                to_value(actions::quick_fixes(
                    &p.text_document.uri,
                    &p.context.diagnostics,
                ))
            }
            req::CodeLensRequest::METHOD => self.lenses(&params(r)?),
            req::ExecuteCommand::METHOD => {
                let p: lsp_types::ExecuteCommandParams = params(r)?;
                self.execute(&p.command, &p.arguments)
            }
            other => Err((ErrorCode::MethodNotFound, format!("不支持的请求：{other}"))),
        }
    }

    fn hover(&self, p: &lsp_types::HoverParams) -> Result<Value, Failure> {
        let Some(at) = self.at(&p.text_document_position_params)? else {
            return Ok(Value::Null);
        };
        let found = hover::hover(&at.project, at.file, at.offset, self.options.date);
        let Some((text, span)) = found else {
            return Ok(Value::Null);
        };
        let range = at
            .project
            .modules
            .get(at.file)
            .map(|m| LineMap::new(&m.source.text).range(span));
        to_value(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range,
        })
    }

    fn definition(&self, p: &lsp_types::GotoDefinitionParams) -> Result<Value, Failure> {
        let Some(at) = self.at(&p.text_document_position_params)? else {
            return Ok(Value::Null);
        };
        to_value(navigation::definition(&at.project, at.file, at.offset))
    }

    fn references(&self, p: &lsp_types::ReferenceParams) -> Result<Value, Failure> {
        let Some(at) = self.at_wide(&p.text_document_position)? else {
            return Ok(json!([]));
        };
        let with_decl = p.context.include_declaration;
        to_value(navigation::references(
            &at.project,
            at.file,
            at.offset,
            with_decl,
        ))
    }

    fn prepare_rename(&self, p: &TextDocumentPositionParams) -> Result<Value, Failure> {
        let Some(at) = self.at(p)? else {
            return Ok(Value::Null);
        };
        to_value(navigation::prepare(&at.project, at.file, at.offset))
    }

    fn rename(&self, p: &lsp_types::RenameParams) -> Result<Value, Failure> {
        let Some(at) = self.at_wide(&p.text_document_position)? else {
            return Err((ErrorCode::RequestFailed, "文件未能解析，无法重命名".into()));
        };
        navigation::rename(&at.project, at.file, at.offset, &p.new_name)
            .map_err(|why| (ErrorCode::RequestFailed, why))
            .and_then(to_value)
    }

    /// The document's path and its text as the editor has it.
    fn document(&self, uri: &Uri) -> Result<(PathBuf, crate::source::SourceFile), Failure> {
        let path = Self::path(uri)?;
        let source = self
            .docs
            .read(&path)
            .map_err(|e| (ErrorCode::RequestFailed, e.to_string()))?;
        Ok((path, source))
    }

    fn completion(&self, p: &lsp_types::CompletionParams) -> Result<Value, Failure> {
        let (path, source) = self.document(&p.text_document_position.text_document.uri)?;
        let project = Project::load(&self.docs.last_parsed(), std::slice::from_ref(&path));
        let offset = LineMap::new(&source.text).offset(p.text_document_position.position);
        to_value(completion::complete(&project, &source.text, offset))
    }

    fn symbols(&self, p: &lsp_types::DocumentSymbolParams) -> Result<Value, Failure> {
        let (_, source) = self.document(&p.text_document.uri)?;
        match crate::syntax::parse(&source) {
            Ok(m) => to_value(outline::symbols(&m)),
            Err(_) => Ok(json!([])),
        }
    }

    fn formatting(&self, p: &lsp_types::DocumentFormattingParams) -> Result<Value, Failure> {
        let (_, source) = self.document(&p.text_document.uri)?;
        let formatted = crate::fmt::format(&source)
            .map_err(|e| (ErrorCode::RequestFailed, format!("无法格式化：{e}")))?;
        if formatted == *source.text {
            return Ok(json!([]));
        }
        let lines = LineMap::new(&source.text);
        let all = lines.range(crate::source::Span::new(0, source.text.len()));
        to_value(vec![TextEdit::new(all, formatted)])
    }

    fn lenses(&self, p: &lsp_types::CodeLensParams) -> Result<Value, Failure> {
        let path = Self::path(&p.text_document.uri)?;
        let project = Project::load(&self.docs, std::slice::from_ref(&path));
        let Some((file, _)) = project.module(&path) else {
            return Ok(json!([]));
        };
        to_value(lens::lenses(
            &project,
            &self.docs,
            file,
            &path,
            self.options.date,
        ))
    }

    /// Runs a lens's command and shows what came out.
    fn execute(&self, command: &str, args: &[Value]) -> Result<Value, Failure> {
        let bad = || (ErrorCode::InvalidParams, format!("{command} 的参数不对"));
        let path = PathBuf::from(args.first().and_then(Value::as_str).ok_or_else(bad)?);
        let project = Project::load(&self.docs, std::slice::from_ref(&path));
        if !project.runnable() {
            return Err((
                ErrorCode::RequestFailed,
                "政策有检查错误，修正后才能运行".into(),
            ));
        }
        let number = |i: usize| {
            args.get(i)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(bad)
        };
        // `passed` is said of cases only.
        let (report, passed) = match command {
            lens::RUN_CASE => {
                let result = lens::run_case_at(&project.program, number(1)?);
                (
                    lens::case_report(&project.program, &result),
                    Some(result.passed()),
                )
            }
            lens::EVAL_CLAUSE => {
                let (p, i) = (number(1)?, number(2)?);
                let file = project.module(&path).map(|(f, _)| f).ok_or_else(bad)?;
                let src = lens::facts_source(&project, &self.docs, file, &path, self.options.date)
                    .map_err(|why| (ErrorCode::RequestFailed, why))?
                    .ok_or_else(|| (ErrorCode::RequestFailed, "没有找到事实".to_string()))?;
                let config = crate::eval::EvalConfig {
                    explain: true,
                    ..crate::eval::EvalConfig::on(src.date)
                };
                let outcome = crate::eval::evaluate(&project.program, &src.facts, &config)
                    .map_err(|e| (ErrorCode::RequestFailed, e.to_string()))?;
                (
                    format!(
                        "按 {}：{}",
                        src.name,
                        lens::clause_report(&project.program, &outcome, p, i)
                    ),
                    None,
                )
            }
            other => return Err((ErrorCode::InvalidParams, format!("未知的命令：{other}"))),
        };
        self.notify::<note::ShowMessage>(ShowMessageParams {
            typ: if passed == Some(false) {
                MessageType::WARNING
            } else {
                MessageType::INFO
            },
            message: report.clone(),
        });
        Ok(match passed {
            Some(p) => json!({ "passed": p, "report": report }),
            None => json!({ "report": report }),
        })
    }

    fn notification(&mut self, n: &Notification) {
        use lsp_types::{
            DidChangeTextDocumentParams as Change, DidCloseTextDocumentParams as Close,
            DidOpenTextDocumentParams as Open,
        };
        let p = n.params.clone();
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<Open>(p)
                    && let Some(path) = path_of(&p.text_document.uri)
                {
                    self.docs.set(&path, p.text_document.text);
                }
            }
            note::DidChangeTextDocument::METHOD => {
                // Full synchronisation: the last change is the whole text.
                if let Ok(p) = serde_json::from_value::<Change>(p)
                    && let Some(path) = path_of(&p.text_document.uri)
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    self.docs.set(&path, change.text);
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<Close>(p)
                    && let Some(path) = path_of(&p.text_document.uri)
                {
                    self.docs.close(&path);
                }
            }
            // A saved file may be a facts file or an included one.
            note::DidSaveTextDocument::METHOD | note::DidChangeWatchedFiles::METHOD => {}
            _ => return,
        }
        self.publish();
    }

    /// Diagnostics for every open document (from its own project), and
    /// for the unopened files those projects load; files that had
    /// diagnostics and have none now are cleared.
    fn publish(&mut self) {
        let open: Vec<PathBuf> = self.docs.paths().cloned().collect();
        let mut found: std::collections::BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> =
            open.iter().map(|p| (p.clone(), Vec::new())).collect();
        for path in &open {
            let project = Project::load(&self.docs, std::slice::from_ref(path));
            for (file, ds) in diagnostics::by_file(&project, &self.docs) {
                if file == *path || !open.contains(&file) {
                    found.insert(file, ds);
                }
            }
        }
        let stale: Vec<PathBuf> = self
            .published
            .iter()
            .filter(|p| !found.contains_key(*p))
            .cloned()
            .collect();
        for p in stale {
            found.insert(p, Vec::new());
        }
        self.published = found
            .iter()
            .filter(|(_, ds)| !ds.is_empty())
            .map(|(p, _)| p.clone())
            .collect();
        for (path, ds) in found {
            let Some(uri) = uri_of(&normal(&path)) else {
                continue;
            };
            self.notify::<note::PublishDiagnostics>(PublishDiagnosticsParams::new(uri, ds, None));
        }
    }
}
