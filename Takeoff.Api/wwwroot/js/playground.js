// The playground: one raw prompt through POST /generate_stream (SSE) with every Takeoff parameter, its metadata,
// and the exact request as curl or Python.
import { apiFetch, describeError, storedApiKey } from './api.js';
import { readEvents } from './sse.js';
import { fillModelPicker } from './models.js';
import { mountReaders } from './readers.js';
import { curlCommand, pythonRequests, streamAccept } from './snippets.js';
import { copyText } from './clipboard.js';
import { bindComposer } from './dom.js';

const $ = id => document.getElementById(id);
const prompt = $('prompt');
const runButton = document.querySelector('[data-testid=playground-run]');
const stopButton = $('stop-run');
const output = document.querySelector('[data-testid=playground-output]');
const metadata = document.querySelector('[data-testid=playground-metadata]');
const runError = $('run-error');
const snippet = $('snippet');
const numbers = ['max_new_tokens', 'min_new_tokens', 'sampling_temperature', 'sampling_topk', 'sampling_topp',
  'repetition_penalty', 'no_repeat_ngram_size', 'prompt_max_tokens', 'seed'];

let running = null; // the AbortController of the run in progress

function requestBody() {
  const body = { text: prompt.value };
  for (const field of numbers) {
    const value = $(field).value.trim();
    if (value !== '') body[field] = Number(value);
  }
  if ($('consumer_group').value) body.consumer_group = $('consumer_group').value;
  const stops = $('stop').value.split('\n').filter(line => line !== '').map(line => line.replaceAll('\\n', '\n'));
  if (stops.length > 0) body.stop = stops.length === 1 ? stops[0] : stops;
  if ($('use_chat_template').checked) body.use_chat_template = true;
  Object.assign(body, constraints());
  body.return_metadata = true;
  return body;
}

// Constrained decoding: the answer follows a JSON schema, a regular expression or a GBNF grammar (the server
// refuses more than one with a 400 that names them).
function constraints() {
  const fields = {};
  const schema = $('json_schema').value.trim();
  if (schema !== '') {
    try {
      fields.json_schema = JSON.parse(schema);
    } catch (error) {
      throw new Error(`json_schema is not valid JSON: ${error.message}`);
    }
  }
  if ($('regex_string').value !== '') fields.regex_string = $('regex_string').value;
  if ($('grammar').value.trim() !== '') fields.grammar = $('grammar').value;
  return fields;
}

async function run() {
  if (running) return;
  let body;
  try {
    body = requestBody();
  } catch (error) {
    showError(error.message);
    return;
  }
  output.replaceChildren();
  metadata.replaceChildren();
  runError.hidden = true;
  setRunning(new AbortController());
  try {
    const response = await apiFetch('/generate_stream', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: streamAccept },
      body: JSON.stringify(body),
      signal: running.signal,
    });
    if (!response.ok) throw new Error(await describeError(response));
    for await (const { event, data } of readEvents(response)) {
      if (event === 'message') output.append(data);
      else if (event === 'metadata') showMetadata(JSON.parse(data));
      else if (event === 'error') throw new Error(`The generation failed after it started: ${data}`);
    }
  } catch (error) {
    if (error.name === 'AbortError') showMetadata({ stopped: 'by Stop, before the server sent its metadata' });
    else showError(error.message);
  } finally {
    setRunning(null);
  }
}

function showMetadata(values) {
  metadata.replaceChildren(...Object.entries(values).flatMap(([name, value]) => {
    const term = document.createElement('dt');
    term.textContent = name;
    const description = document.createElement('dd');
    description.textContent = typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(1) : String(value);
    return [term, description];
  }));
}

function showError(message) {
  runError.textContent = message;
  runError.hidden = false;
}

function setRunning(controller) {
  running = controller;
  runButton.disabled = controller !== null;
  stopButton.disabled = controller === null;
}

async function showSnippet(write) {
  const url = new URL('/generate_stream', location.href).href;
  try {
    snippet.textContent = write(url, requestBody(), { withKey: storedApiKey() !== '' });
  } catch (error) {
    showError(error.message);
    return;
  }
  snippet.hidden = false;
  try {
    await copyText(snippet.textContent);
  } catch {
    // No clipboard here: the snippet stays on the page to select by hand.
  }
}

// As on the chat page: Enter runs, Shift+Enter is a new line, Escape stops.
bindComposer({ form: $('run'), prompt, stop: stopButton, send: run, abort: () => running?.abort() });
$('copy-curl').addEventListener('click', () => showSnippet(curlCommand));
$('copy-python').addEventListener('click', () => showSnippet(pythonRequests));

const refreshReaders = mountReaders($('readers'));
$('readers-panel').addEventListener('toggle', event => {
  if (event.target.open) refreshReaders();
});

fillModelPicker($('consumer_group'), { groupsOnly: true, preferred: 'primary' }).catch(error => {
  $('groups-error').textContent = error.message;
  $('groups-error').hidden = false;
});
