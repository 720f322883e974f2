// Starts `zhengce lsp` for .zc files: diagnostics, hover, navigation,
// completion, formatting, quick fixes and the 案例/条款 code lenses all
// come from the server (docs/editor.md).

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration("zhengce");
  const command = config.get<string>("path", "zhengce");
  const date = config.get<string | null>("date", null);
  const run = { command, args: ["lsp"], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "zhengce" }],
    initializationOptions: date ? { date } : {},
    synchronize: {
      // Facts files beside a policy feed the clause lenses.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{zc,facts.json}"),
    },
  };
  client = new LanguageClient("zhengce", "zhengce 语言服务器", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("zhengce") && client) {
        await client.restart();
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
}
