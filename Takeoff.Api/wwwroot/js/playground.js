// The playground: one raw prompt through POST /generate_stream (SSE) with every Takeoff parameter, or as one user
// message through POST /v1/chat/completions (streamed, with tools), its metadata, and the exact request as curl or
// Python.
import { apiFetch, describeError, storedApiKey } from './api.js';
import { readEvents } from './sse.js';
import { fillModelPicker } from './models.js';
import { mountReaders } from './readers.js';
import { curlCommand, pythonRequests, streamAccept } from './snippets.js';
import { copyText } from './clipboard.js';
import { bindComposer } from './dom.js';
import { addToolCallDeltas, fillToolChoice, parseToolsQuietly, toolCallElement, toolFields } from './tool-calls.js';

const $ = id => document.getElementById(id);
const prompt = $('prompt');
const runButton = document.querySelector('[data-testid=playground-run]');
const stopButton = $('stop-run');
const output = document.querySelector('[data-testid=playground-output]');
const metadata = document.querySelector('[data-testid=playground-metadata]');
const toolCalls = document.querySelector('[data-testid=playground-tool-calls]');
const api = $('api');
const tools = $('tools');
const toolChoice = $('tool_choice');
const runError = $('run-error');
const snippet = $('snippet');
const numbers = ['max_new_tokens', 'min_new_tokens', 'sampling_temperature', 'sampling_topk', 'sampling_topp',
  'repetition_penalty', 'no_repeat_ngram_size', 'prompt_max_tokens', 'seed'];

// The same fields as /v1 names them; the others have no /v1 counterpart.
const chatNames = {
  max_new_tokens: 'max_tokens', min_new_tokens: 'min_tokens', sampling_temperature: 'temperature', sampling_topk: 'top_k',
  sampling_topp: 'top_p', repetition_penalty: 'repetition_penalty', seed: 'seed',
};

let running = null; // the AbortController of the run in progress

const onV1 = () => api.value === '/v1/chat/completions';

function requestBody() {
  return onV1() ? chatBody() : generateBody();
}

function generateBody() {
  if (tools.value.trim() !== '') throw new Error('tools are sent on /v1/chat/completions: choose it as the API.');
  const body = { text: prompt.value };
  for (const field of numbers) {
    const value = $(field).value.trim();
    if (value !== '') body[field] = Number(value);
  }
  if ($('consumer_group').value) body.consumer_group = $('consumer_group').value;
  Object.assign(body, stopField());
  if ($('use_chat_template').checked) body.use_chat_template = true;
  Object.assign(body, constraints());
  body.return_metadata = true;
  return body;
}

// The prompt as one user message; a field /v1 does not have is refused here rather than dropped.
function chatBody() {
  const body = { messages: [{ role: 'user', content: prompt.value }] };
  if ($('consumer_group').value) body.model = $('consumer_group').value;
  for (const field of numbers) {
    const value = $(field).value.trim();
    if (value === '') continue;
    if (!chatNames[field]) throw new Error(`${field} has no /v1/chat/completions counterpart: empty it or choose /generate_stream.`);
    body[chatNames[field]] = Number(value);
  }
  Object.assign(body, stopField());
  if ($('use_chat_template').checked) throw new Error('use_chat_template: /v1/chat/completions always applies the chat template; untick it.');
  const { regex_string, ...constrained } = constraints();
  if (regex_string !== undefined) throw new Error('regex_string is not served on /v1: use a grammar, or choose /generate_stream.');
  Object.assign(body, constrained, toolFields(tools.value, toolChoice.value));
  body.stream = true;
  body.stream_options = { include_usage: true };
  return body;
}

// One stop per line, \n for a newline: a string for one, a list for more.
function stopField() {
  const stops = $('stop').value.split('\n').filter(line => line !== '').map(line => line.replaceAll('\\n', '\n'));
  return stops.length === 0 ? {} : { stop: stops.length === 1 ? stops[0] : stops };
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
  toolCalls.replaceChildren();
  runError.hidden = true;
  setRunning(new AbortController());
  try {
    if (onV1()) {
      await runChat(body);
      return;
    }
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

// /v1/chat/completions streamed: content into the output, tool calls assembled by index and shown as blocks, the
// finish reason and usage as metadata.
async function runChat(body) {
  const started = performance.now();
  let first = null;
  let finishReason = null;
  let usage = null;
  const calls = [];
  const response = await apiFetch('/v1/chat/completions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: streamAccept },
    body: JSON.stringify(body),
    signal: running.signal,
  });
  if (!response.ok) throw new Error(await describeError(response));
  for await (const { data } of readEvents(response)) {
    if (data === '[DONE]') {
      showMetadata({
        finish_reason: finishReason, ...(usage ? { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens } : {}),
        // Tool calls are sent whole when the answer ends: no first token to time then, only the whole run.
        ...(first !== null ? { time_to_first_token_ms: first - started } : {}),
        total_time_ms: performance.now() - started,
      });
      return;
    }
    const chunk = JSON.parse(data);
    if (chunk.error) throw new Error(`The generation failed after it started: ${chunk.error.message ?? data}`);
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (choice?.delta?.content) {
      first ??= performance.now();
      output.append(choice.delta.content);
    }
    if (choice?.delta?.tool_calls) {
      addToolCallDeltas(calls, choice.delta.tool_calls);
      toolCalls.replaceChildren(...calls.map(toolCallElement));
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
  }
  throw new Error('The answer was cut off (the stream ended without [DONE]).');
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
  const url = new URL(api.value, location.href).href;
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
tools.addEventListener('input', () => fillToolChoice(toolChoice, parseToolsQuietly(tools.value)));
fillToolChoice(toolChoice, []);

const refreshReaders = mountReaders($('readers'));
$('readers-panel').addEventListener('toggle', event => {
  if (event.target.open) refreshReaders();
});

fillModelPicker($('consumer_group'), { groupsOnly: true, preferred: 'primary' }).catch(error => {
  $('groups-error').textContent = error.message;
  $('groups-error').hidden = false;
});
