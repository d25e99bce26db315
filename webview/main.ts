// The Search view's page: search as you type (debounced), filters, keyboard navigation.
// Talks to the host only through the typed protocol; untrusted text is set as text, and
// snippets go through snippetHtml (escape first, then marks).
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type {
  ContentTypeName,
  HostToWebview,
  ResultItem,
  ResultsMessage,
  ScopeOption,
  SearchFilters,
  WebviewToHost,
} from '../src/shared/protocol';
import { PROTOCOL_LIMITS } from '../src/shared/protocol';
import { scoreTitle, sourceLabel, splitSnippet } from './highlight';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  query: string;
  filters: SearchFilters;
  filtersOpen: boolean;
}

const DEBOUNCE_MS = 150;
let lastInputAt = -Infinity;
const ICONS: Record<ContentTypeName, string> = {
  code: 'code',
  documentation: 'book',
  context: 'info',
  output: 'output',
  error: 'error',
  decision: 'law',
  learning: 'lightbulb',
};

const vscode = acquireVsCodeApi();
const saved = vscode.getState();
let filters: SearchFilters = saved?.filters ?? {};
let filtersOpen = saved?.filtersOpen ?? false;
let memoryCount = 0;
let requestId = 0;
let items: ResultItem[] = [];
let active = -1;
let timer: number | undefined;
let lastQuery = '';

// ------------------------------------------------------------------ DOM
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
const icon = (name: string, cls = '') => el('span', `codicon codicon-${name} ${cls}`.trim());

const app = document.getElementById('app')!;
const query = el('vscode-textfield', 'query') as VscodeTextfield;
query.placeholder = 'Search memories';
query.setAttribute('aria-label', 'Search memories');
query.maxLength = PROTOCOL_LIMITS.query;
query.append(Object.assign(icon('search'), { slot: 'content-before' }));
const filterToggle = Object.assign(icon('filter', 'toggle'), { slot: 'content-after', title: 'Filters', tabIndex: 0 });
filterToggle.setAttribute('role', 'button');
query.append(filterToggle);

const filterRow = el('div', 'filters');
const typeSelect = el('vscode-single-select', 'type-filter') as VscodeSingleSelect;
typeSelect.setAttribute('aria-label', 'Content type');
const scopeSelect = el('vscode-single-select', 'scope-filter') as VscodeSingleSelect;
scopeSelect.setAttribute('aria-label', 'Plan or task');
scopeSelect.combobox = true;
const fileField = el('vscode-textfield', 'file-filter') as VscodeTextfield;
fileField.placeholder = 'File prefix, e.g. src/auth/';
fileField.setAttribute('aria-label', 'File prefix');
fileField.maxLength = PROTOCOL_LIMITS.filePrefix;
fileField.append(Object.assign(icon('file-directory'), { slot: 'content-before' }));
filterRow.append(typeSelect, scopeSelect, fileField);

const status = el('div', 'status');
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
const list = el('ul', 'results');
list.setAttribute('role', 'listbox');
list.setAttribute('aria-label', 'Search results');
list.tabIndex = 0;
app.append(query, filterRow, status, list);

function option(value: string, label: string, selected: boolean, description?: string): HTMLElement {
  const o = el('vscode-option', undefined, label);
  o.setAttribute('value', value);
  if (description) o.setAttribute('description', description);
  if (selected) o.setAttribute('selected', '');
  return o;
}

function renderTypeOptions(types: ContentTypeName[]): void {
  typeSelect.replaceChildren(
    option('', 'All types', !filters.contentType),
    ...types.map((t) => option(t, t, filters.contentType === t)),
  );
}

function renderScopeOptions(scopes: ScopeOption[]): void {
  const current = filters.taskId ? `task:${filters.taskId}` : filters.planId ? `plan:${filters.planId}` : '';
  if (current && !scopes.some((s) => `${s.kind}:${s.id}` === current)) {
    filters = { ...filters, planId: undefined, taskId: undefined }; // the plan or task is gone
  }
  scopeSelect.replaceChildren(
    option('', 'All plans and tasks', !current),
    ...scopes.map((s) =>
      option(
        `${s.kind}:${s.id}`,
        s.kind === 'task' ? `\u2003${s.label}` : s.label,
        current === `${s.kind}:${s.id}`,
        s.kind,
      ),
    ),
  );
  scopeSelect.disabled = scopes.length === 0;
}

function showFilters(open: boolean): void {
  filtersOpen = open;
  filterRow.hidden = !open;
  filterToggle.classList.toggle('on', open || hasFilters());
  filterToggle.setAttribute('aria-pressed', String(open));
}

const hasFilters = () => Boolean(filters.contentType || filters.planId || filters.taskId || filters.filePrefix);

// ------------------------------------------------------------------ search
function persist(): void {
  vscode.setState({ query: query.value, filters, filtersOpen });
}

function search(now = false): void {
  clearTimeout(timer);
  persist();
  if (!now) {
    // The first key after a pause searches at once (no wait before the first results); keys
    // typed in quick succession after it are debounced.
    const idle = performance.now() - lastInputAt > DEBOUNCE_MS;
    lastInputAt = performance.now();
    if (!idle) {
      timer = window.setTimeout(() => search(true), DEBOUNCE_MS);
      return;
    }
  }
  const q = query.value.trim();
  if (!q) {
    requestId++; // any reply still in flight is stale now
    renderResults([]);
    delete list.dataset.query;
    setStatus(
      memoryCount
        ? `${memoryCount} ${memoryCount === 1 ? 'memory' : 'memories'} — type to search`
        : 'No memories yet: save a selection or a note first.',
    );
    return;
  }
  status.classList.add('busy');
  lastQuery = q;
  vscode.postMessage({ type: 'search', requestId: ++requestId, query: q, filters });
}

function onResults(m: ResultsMessage): void {
  if (m.requestId !== requestId) return; // a newer search was sent meanwhile
  status.classList.remove('busy');
  renderResults(m.items);
  list.dataset.query = lastQuery; // which query the list answers (UI tests wait on it)
  if (m.error) return setStatus(`Search failed: ${m.error}`, 'error');
  const n = m.items.length;
  const count = n === 0 ? 'No results' : n >= m.limit ? `Top ${n} results` : `${n} ${n === 1 ? 'result' : 'results'}`;
  setStatus(`${count} · ${m.ms} ms`, undefined, m.degraded);
}

function setStatus(text: string, kind?: 'error', degraded?: string): void {
  status.replaceChildren(el('span', kind === 'error' ? 'error' : 'count', text));
  if (degraded) {
    const d = el('div', 'degraded');
    d.append(icon('warning'), el('span', undefined, degraded));
    status.append(d);
  }
}

function renderResults(next: ResultItem[]): void {
  items = next;
  active = -1;
  list.removeAttribute('aria-activedescendant');
  list.replaceChildren(...items.map(renderItem));
}

function renderItem(r: ResultItem, i: number): HTMLLIElement {
  const li = el('li', 'result');
  li.id = `r-${r.id}`;
  li.setAttribute('role', 'option');
  li.setAttribute('aria-selected', 'false');
  li.title = scoreTitle(r);
  const { titleHtml, bodyHtml } = splitSnippet(r.snippet, r.title);
  const head = el('div', 'head');
  const title = el('span', `title${r.file ? ' code' : ''}`);
  title.innerHTML = titleHtml || '(empty)'; // escaped first; only <mark> is markup
  head.append(icon(ICONS[r.contentType], `type-icon ${r.contentType}`), title);
  li.append(head);
  if (bodyHtml) {
    const body = el('div', `snippet${r.file ? ' code' : ''}`);
    body.innerHTML = bodyHtml;
    li.append(body);
  }
  const meta = el('div', 'meta');
  const src = sourceLabel(r.file, r.startLine, r.endLine);
  meta.append(icon(r.file ? 'file-code' : 'note'), el('span', 'source', src ?? 'note'));
  // The code changed since the memory was saved: say so where the source is, not only in a tooltip.
  if (r.freshness) meta.append(icon('warning', 'stale-icon'), el('span', 'freshness', r.freshness));
  meta.append(el('span', 'age', `· ${age(r.createdAt)}`), el('vscode-badge', 'type', r.contentType));
  li.append(meta);
  li.addEventListener('click', () => {
    setActive(i);
    open();
  });
  return li;
}

function setActive(i: number): void {
  if (items.length === 0) return;
  active = Math.max(0, Math.min(items.length - 1, i));
  list.querySelectorAll('.result').forEach((n, k) => {
    n.classList.toggle('active', k === active);
    n.setAttribute('aria-selected', String(k === active));
  });
  const node = list.children[active] as HTMLElement | undefined;
  list.setAttribute('aria-activedescendant', node?.id ?? '');
  node?.scrollIntoView({ block: 'nearest' });
}

function open(): void {
  const r = items[active >= 0 ? active : 0];
  if (r) vscode.postMessage({ type: 'open', memoryId: r.id });
}

function age(createdAt: string): string {
  const t = Date.parse(createdAt.includes('T') ? createdAt : createdAt.replace(' ', 'T') + 'Z');
  const s = Math.max(0, (Date.now() - t) / 1000);
  if (Number.isNaN(s)) return createdAt;
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return s < 86400 * 30 ? `${Math.floor(s / 86400)} d ago` : new Date(t).toISOString().slice(0, 10);
}

// ------------------------------------------------------------------ events
function navigate(e: KeyboardEvent): void {
  const moves: Record<string, () => number> = {
    ArrowDown: () => active + 1,
    ArrowUp: () => active - 1,
    Home: () => 0,
    End: () => items.length - 1,
    PageDown: () => active + 5,
    PageUp: () => active - 5,
  };
  if (e.key in moves && items.length > 0 && !(e.target === query && (e.key === 'Home' || e.key === 'End'))) {
    e.preventDefault();
    setActive(moves[e.key]());
  } else if (e.key === 'Enter' && items.length > 0) {
    e.preventDefault();
    open();
  }
}

query.addEventListener('input', () => search());
query.addEventListener('keydown', navigate);
list.addEventListener('keydown', navigate);
list.addEventListener('focus', () => active < 0 && setActive(0));
filterToggle.addEventListener('click', () => showFilters(!filtersOpen));
filterToggle.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    showFilters(!filtersOpen);
  }
});
typeSelect.addEventListener('change', () => {
  filters = { ...filters, contentType: (typeSelect.value || undefined) as ContentTypeName | undefined };
  showFilters(filtersOpen);
  search(true);
});
scopeSelect.addEventListener('change', () => {
  const [kind, id] = scopeSelect.value.split(':');
  filters = { ...filters, planId: kind === 'plan' ? id : undefined, taskId: kind === 'task' ? id : undefined };
  showFilters(filtersOpen);
  search(true);
});
fileField.addEventListener('input', () => {
  filters = { ...filters, filePrefix: fileField.value.trim() || undefined };
  showFilters(filtersOpen);
  search();
});

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
  const m = e.data;
  switch (m.type) {
    case 'init':
      memoryCount = m.memoryCount;
      renderTypeOptions(m.contentTypes);
      renderScopeOptions(m.scopes);
      if (m.query !== undefined) query.value = m.query;
      search(true);
      if (m.query !== undefined) query.focus();
      break;
    case 'setQuery':
      query.value = m.query;
      query.focus();
      search(true);
      break;
    case 'scopes':
      memoryCount = m.memoryCount;
      renderScopeOptions(m.scopes);
      break;
    case 'invalidate':
      search(true);
      break;
    case 'results':
      onResults(m);
      break;
  }
});

query.value = saved?.query ?? '';
fileField.value = filters.filePrefix ?? '';
showFilters(filtersOpen);
vscode.postMessage({ type: 'ready' });
