// Composition root: the one place that builds the long-lived objects of the extension and
// owns them. Everything created here is a Disposable, disposed (in reverse order) with the App.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ReadonlyDocs } from './editor/readonlyDocs';
import { EmbeddingService } from './embeddings/embeddingService';
import { Automations } from './hooks/automations';
import { LanguageModelTools } from './lm/languageModelTools';
import { registerMcpServerProvider } from './lm/mcpServerProvider';
import { SearchService } from './search/searchService';
import { ActiveTaskService } from './status/activeTask';
import { FirstRunContext } from './status/firstRunContext';
import { StatisticsPanel } from './stats/statisticsPanel';
import { StoreService } from './store/storeService';
import { TeamBankWatcher } from './store/teamBank';
import { syncTeamBank } from './commands/teamBank';
import { registerViews } from './views';

export class App implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly output: vscode.LogOutputChannel;
  readonly stores: StoreService;
  readonly activeTask: ActiveTaskService;
  readonly embeddings: EmbeddingService;
  readonly search: SearchService;
  readonly docs: ReadonlyDocs;
  readonly lmTools: LanguageModelTools;
  readonly automations: Automations;
  readonly statistics: StatisticsPanel;

  constructor(readonly context: vscode.ExtensionContext) {
    this.output = this.own(vscode.window.createOutputChannel('DevStream', { log: true }));
    this.stores = this.own(new StoreService(this.output));
    this.activeTask = this.own(new ActiveTaskService(this));
    this.embeddings = this.own(new EmbeddingService(this));
    this.search = this.own(new SearchService(this));
    this.docs = this.own(new ReadonlyDocs(this));
    this.automations = this.own(new Automations(this));
    this.statistics = this.own(new StatisticsPanel(this));
    this.disposables.push(...registerViews(this));
    this.disposables.push(...registerCommands(this));
    this.lmTools = this.own(new LanguageModelTools(this));
    this.own(registerMcpServerProvider(this));
    this.own(new FirstRunContext(this.stores, this.output));
    this.own(new TeamBankWatcher(() => syncTeamBank(this)));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('devstream.databasePath')) this.stores.reset();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.stores.reset()),
    );
  }

  /** Registers a long-lived object for disposal and returns it. */
  own<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
