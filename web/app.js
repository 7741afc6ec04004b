// dockdrill's web page: a terminal in front of the same session the terminal REPL runs, compiled to
// WebAssembly (src/web.rs). This file only moves bytes and keys: every line, completion and drawing comes
// from the Rust side, so the page can never disagree with `dockdrill` in a terminal.
//
// The glue is hand-written (no wasm-bindgen): write a JSON request into the module's buffer (dd_input), call
// dd_call (the reply's length), read the reply at dd_output.
'use strict';

const STORAGE_KEY = 'dockdrill.progress';

const el = (id) => document.getElementById(id);
const output = el('output');
const input = el('input');
const promptLabel = el('prompt');
const svgHost = el('svg');

/** Timings the browser test reads (milliseconds since navigation start). */
const timings = { compiled: null, ready: null, firstCommand: null, lastCommand: null };
window.dockdrill = { timings, ready: false, busy: false };

let wasm = null;
let prompt = '$ ';
/** Every line sent this session, for "link to this session". */
const sent = [];
/** Lines typed, for ↑/↓ (passwords are never kept). */
const past = [];
let historyAt = 0;
let draft = '';
let escaped = false;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function call(request) {
  const bytes = encoder.encode(JSON.stringify(request));
  const ex = wasm.exports;
  const at = ex.dd_input(bytes.length) >>> 0;
  new Uint8Array(ex.memory.buffer, at, bytes.length).set(bytes);
  const len = ex.dd_call() >>> 0;
  // Read the memory again: the call may have grown it, detaching the old view.
  const out = new Uint8Array(ex.memory.buffer, ex.dd_output() >>> 0, len);
  return JSON.parse(decoder.decode(out));
}

function storage() {
  try {
    const s = window.localStorage;
    const probe = STORAGE_KEY + '.probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch (e) {
    return null;
  }
}

/** Appends one block of output: the echoed line, then the chunks, each painted by its kind. */
function show(echo, chunks) {
  const block = document.createElement('pre');
  block.className = 'block';
  if (echo !== null) {
    const span = document.createElement('span');
    span.className = 'k-echo';
    span.textContent = echo + '\n';
    block.appendChild(span);
  }
  for (const c of chunks || []) {
    const span = document.createElement('span');
    span.className = 'k-' + c.kind;
    span.textContent = c.text;
    block.appendChild(span);
  }
  if (block.childNodes.length > 0) {
    output.appendChild(block);
    output.scrollTop = output.scrollHeight;
  }
}

let svgUrl = null;

function apply(reply) {
  show(null, reply.chunks);
  if (typeof reply.svg === 'string') {
    svgHost.innerHTML = reply.svg;
    if (svgUrl) URL.revokeObjectURL(svgUrl);
    svgUrl = URL.createObjectURL(new Blob([reply.svg], { type: 'image/svg+xml' }));
    el('download').href = svgUrl;
  }
  if (typeof reply.prompt === 'string') setPrompt(reply.prompt);
  const store = storage();
  if (reply.set_aside && store) {
    try {
      store.setItem(reply.set_aside.to, store.getItem(reply.set_aside.from) || '');
      store.removeItem(reply.set_aside.from);
    } catch (e) {
      apply(call({ op: 'save_failed', why: String(e && e.name || e) }));
    }
  }
  if (typeof reply.save === 'string') {
    try {
      if (!store) throw new Error('storage unavailable');
      store.setItem(STORAGE_KEY, reply.save);
    } catch (e) {
      apply(call({ op: 'save_failed', why: String(e && e.name || e) }));
    }
  }
}

function setPrompt(p) {
  prompt = p;
  // An empty prompt: the last command reads its standard input (a password), which is not shown.
  promptLabel.textContent = p === '' ? 'password: ' : p;
  input.type = p === '' ? 'password' : 'text';
}

/** Runs one line as if typed: echo, run, show. */
function run(line) {
  const secret = prompt === '';
  const shownPrompt = prompt;
  const started = performance.now();
  const reply = call({ op: 'line', line });
  sent.push(line);
  const trimmed = line.trim();
  if (secret) {
    show('', []);
  } else if (trimmed !== '' && !trimmed.startsWith('#')) {
    // A line naming its machine (`laptop$ docker ps`) is echoed as written, as the terminal does.
    show(/^\S+\$\s/.test(trimmed) ? trimmed : shownPrompt + trimmed, []);
  }
  apply(reply);
  // From the line to its output and the new drawing in the page.
  timings.lastCommand = performance.now() - started;
  if (timings.firstCommand === null) timings.firstCommand = timings.lastCommand;
  return secret;
}

function submit() {
  const line = input.value;
  input.value = '';
  let secret = false;
  try {
    secret = run(line);
  } catch (e) {
    // A trap in the module (a bug, never the learner's fault) leaves it unusable: say so plainly.
    show(null, [{ kind: 'stderr', text: 'dockdrill stopped: ' + e + ' (reload the page to start again)\n' }]);
    input.disabled = true;
    return;
  }
  if (!secret && line.trim() !== '' && past[past.length - 1] !== line) past.push(line);
  historyAt = past.length;
  draft = '';
}

function complete() {
  const pos = input.selectionStart ?? input.value.length;
  const before = input.value.slice(0, pos);
  const after = input.value.slice(input.selectionEnd ?? pos);
  const c = call({ op: 'complete', before, after });
  const typed = before.slice(c.from);
  const head = before.slice(0, c.from) + c.insert;
  input.value = head + after;
  input.setSelectionRange(head.length, head.length);
  if (c.candidates.length > 1 && c.insert === typed) {
    show(null, [{ kind: 'info', text: c.candidates.join('  ') + '\n' }]);
  }
}

function recall(step) {
  if (past.length === 0) return;
  if (historyAt === past.length) draft = input.value;
  historyAt = Math.max(0, Math.min(past.length, historyAt + step));
  input.value = historyAt === past.length ? draft : past[historyAt];
  input.setSelectionRange(input.value.length, input.value.length);
}

input.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    escaped = true;
    return;
  }
  const wasEscaped = escaped;
  escaped = false;
  if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !wasEscaped && prompt !== '') {
    e.preventDefault();
    complete();
  } else if (e.key === 'ArrowUp' && prompt !== '') {
    e.preventDefault();
    recall(-1);
  } else if (e.key === 'ArrowDown' && prompt !== '') {
    e.preventDefault();
    recall(1);
  } else if ((e.key === 'c' || e.key === 'C') && e.ctrlKey && !e.shiftKey && !e.altKey && !e.metaKey) {
    // Selected text is copied, as a browser does; otherwise Ctrl-C drops the line, as a terminal does.
    const selected = String(window.getSelection() || '') !== '' || input.selectionStart !== input.selectionEnd;
    if (selected && input.type !== 'password') return;
    e.preventDefault();
    if (prompt !== '') show(prompt + input.value + '^C', []);
    input.value = '';
    historyAt = past.length;
    if (prompt === '') {
      // Ctrl-C while a command waits for its input: the line it gets is empty, as closing its stdin.
      run('');
    }
  } else if (e.key === 'l' && e.ctrlKey && !e.altKey && !e.metaKey) {
    e.preventDefault();
    output.replaceChildren();
  }
});

el('entry').addEventListener('submit', (e) => {
  e.preventDefault();
  submit();
});

// Typing anywhere in the terminal (outside a selection) goes to the line.
output.addEventListener('keydown', (e) => {
  if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) input.focus();
});

/** A link that replays this session's lines when opened. */
function shareLink() {
  const base = location.href.split('#')[0];
  return base + '#script=' + encodeURIComponent(sent.join('\n'));
}

el('share').addEventListener('click', () => {
  const link = shareLink();
  const row = el('share-row');
  const field = el('share-link');
  row.hidden = false;
  field.value = link;
  field.focus();
  field.select();
  window.history.replaceState(null, '', link);
  const status = el('share-status');
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(link).then(
      () => { status.textContent = 'copied to the clipboard'; },
      () => { status.textContent = 'selected: press Ctrl-C to copy'; });
  } else {
    status.textContent = 'selected: press Ctrl-C to copy';
  }
});

/** `#script=<URL-encoded lines>` and `#play=NAME`, joined by `&`. */
function fragment() {
  const out = {};
  for (const part of location.hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    try {
      out[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1));
    } catch (e) {
      out[part.slice(0, eq)] = null;
    }
  }
  return out;
}

async function load() {
  const url = 'dockdrill.wasm';
  let instance;
  try {
    ({ instance } = await WebAssembly.instantiateStreaming(fetch(url), {}));
  } catch (e) {
    // A server that does not send `application/wasm`: compile from the bytes instead.
    const bytes = await (await fetch(url)).arrayBuffer();
    ({ instance } = await WebAssembly.instantiate(bytes, {}));
  }
  wasm = instance;
  timings.compiled = performance.now();
  const store = storage();
  const taken = [];
  if (store) {
    for (let i = 0; i < store.length; i++) {
      const k = store.key(i);
      if (k && k.startsWith(STORAGE_KEY)) taken.push(k);
    }
  }
  apply(call({
    op: 'start',
    progress: store ? store.getItem(STORAGE_KEY) : null,
    storage: store !== null,
    taken,
  }));
  const frag = fragment();
  if (frag.script === null || frag.play === null) {
    show(null, [{ kind: 'note', text: '[dockdrill] the link\'s #script= or #play= part is not URL-encoded text: ignored\n' }]);
  }
  if (typeof frag.script === 'string') {
    for (const line of frag.script.split('\n')) run(line);
  }
  if (typeof frag.play === 'string' && frag.play !== '') run('play ' + frag.play);
  timings.ready = performance.now();
  input.disabled = false;
  input.focus();
  window.dockdrill.ready = true;
}

load().catch((e) => {
  show(null, [{ kind: 'stderr', text: 'dockdrill could not start in this browser: ' + e + '\n' }]);
});
