// The chat page: a conversation through /v1/chat/completions (streamed), kept in this browser.
import { fillModelPicker } from './models.js';
import { mountReaders } from './readers.js';
import { streamChat, newProgress, formatStats } from './chat-stream.js';
import { messageElement, fillMessage } from './chat-messages.js';
import { mountConversationList } from './chat-conversations.js';
import { bindComposer } from './dom.js';
import { addToolCallDeltas, fillToolChoice, parseToolsQuietly, toolFields } from './tool-calls.js';
import {
  listConversations, createConversation, saveConversation, currentConversationId, rememberCurrent, defaultTitle,
} from './conversations.js';

const $ = id => document.getElementById(id);
const messages = $('messages');
const prompt = $('prompt');
const send = document.querySelector('[data-testid=send]');
const stop = document.querySelector('[data-testid=stop]');
const model = $('model');
const system = $('system');
const tools = $('tools');
const toolChoice = $('tool_choice');
const toolsError = $('tools-error');
const sampling = ['temperature', 'top_p', 'top_k', 'max_tokens'];
const settingsKey = 'takeoff.chat.settings';
const phone = matchMedia('(max-width: 759px)').matches;

let conversation = listConversations().find(c => c.id === currentConversationId()) ?? listConversations()[0] ?? createConversation();
let running = null; // the AbortController of the answer being streamed
const emptyHint = Object.assign(document.createElement('p'), {
  className: 'muted',
  textContent: 'Answers stream from /v1/chat/completions with the model or consumer group chosen in Settings.',
});

const conversationList = mountConversationList({
  current: () => conversation,
  open(chosen) {
    running?.abort();
    conversation = chosen;
    rememberCurrent(chosen.id);
    showConversation();
  },
  startNew() {
    if (conversation.messages.length > 0) this.open(createConversation());
    prompt.focus();
  },
});

function showConversation() {
  system.value = conversation.system;
  const last = conversation.messages.length - 1;
  const open = openCalls();
  messages.replaceChildren(...conversation.messages.map((message, i) => messageElement(message, {
    onRegenerate: i === last && message.role === 'assistant' ? regenerate : null,
    pendingCalls: i === open.index ? open.calls : [],
    onResult: sendResult,
  })));
  if (last < 0) messages.append(emptyHint);
  conversationList.refresh();
}

// The last answer's tool calls that have no result yet: the results come right after the answer, so only the
// answer that ends the conversation (or is followed by results alone) can be waiting for some.
function openCalls() {
  const all = conversation.messages;
  let i = all.length - 1;
  while (i >= 0 && all[i].role === 'tool') i--;
  const turn = all[i];
  if (turn?.role !== 'assistant' || turn.error || !turn.tool_calls?.length) return { index: -1, calls: [] };
  const answered = new Set(all.slice(i + 1).map(message => message.tool_call_id));
  return { index: i, calls: turn.tool_calls.filter(call => !answered.has(call.id)) };
}

// The Tools panel as request fields; null (and the panel says why) when its JSON is not a list of tools.
function offeredTools() {
  try {
    const fields = toolFields(tools.value, toolChoice.value);
    toolsError.hidden = true;
    return fields;
  } catch (error) {
    toolsError.textContent = error.message;
    toolsError.hidden = false;
    $('tools-panel').open = true;
    return null;
  }
}

function historyMessage(message) {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.tool_call_id, name: message.name, content: message.content };
  if (message.tool_calls?.length) return { role: message.role, content: message.content, tool_calls: message.tool_calls };
  return { role: message.role, content: message.content };
}

function requestBody(toolsOffered) {
  const history = [];
  if (conversation.system.trim()) history.push({ role: 'system', content: conversation.system });
  // A failed answer is not a turn of the conversation; a stopped one is (its text was shown).
  for (const message of conversation.messages) {
    if (!message.error) history.push(historyMessage(message));
  }
  // No model yet (the list is still loading or failed): the server's default group.
  const body = {
    ...(model.value ? { model: model.value } : {}), messages: history, ...toolsOffered,
    stream: true, stream_options: { include_usage: true },
  };
  for (const field of sampling) {
    const value = $(field).value.trim();
    if (value !== '') body[field] = Number(value);
  }
  return body;
}

async function submit() {
  const text = prompt.value;
  if (running || text.trim() === '') return;
  const toolsOffered = offeredTools();
  if (!toolsOffered) return;
  prompt.value = '';
  conversation.messages.push({ role: 'user', content: text });
  if (conversation.title === defaultTitle) conversation.title = text.trim().slice(0, 48);
  saveConversation(conversation);
  rememberCurrent(conversation.id);
  await answer(toolsOffered);
}

async function regenerate() {
  const toolsOffered = offeredTools();
  if (running || !toolsOffered) return;
  if (conversation.messages.at(-1)?.role === 'assistant') conversation.messages.pop();
  await answer(toolsOffered);
}

// A result typed for one call; once every call of the answer has its result, the model answers again.
async function sendResult(call, text) {
  const toolsOffered = offeredTools();
  if (running || !toolsOffered) return;
  conversation.messages.push({ role: 'tool', tool_call_id: call.id, name: call.function.name, content: text });
  saveConversation(conversation);
  if (openCalls().calls.length > 0) showConversation();
  else await answer(toolsOffered);
}

async function answer(toolsOffered) {
  const body = requestBody(toolsOffered);
  const message = { role: 'assistant', content: '' };
  // Opening or deleting a conversation stops this answer; it still belongs to (and is saved with) this one.
  const owner = conversation;
  owner.messages.push(message);
  showConversation();
  const article = messages.lastElementChild;
  const progress = newProgress();
  let frame = 0;
  const paint = () => {
    frame = 0;
    const following = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
    fillMessage(article, message, true);
    if (following) window.scrollTo(0, document.body.scrollHeight);
  };
  setRunning(new AbortController());
  try {
    await streamChat(body, {
      signal: running.signal,
      progress,
      onDelta(text) {
        message.content += text;
        // Render once per frame, however many tokens arrived since the last.
        frame ||= requestAnimationFrame(paint);
      },
      onToolCalls(deltas) {
        addToolCallDeltas(message.tool_calls ??= [], deltas);
        frame ||= requestAnimationFrame(paint);
      },
    });
    message.stats = formatStats(progress);
  } catch (error) {
    if (error.name === 'AbortError') {
      message.stats = formatStats(progress, true);
    } else {
      message.error = error.message;
      if (progress.first !== null) message.stats = formatStats(progress);
    }
  } finally {
    cancelAnimationFrame(frame);
    setRunning(null);
    if (owner === conversation || listConversations().some(c => c.id === owner.id)) saveConversation(owner);
    if (owner === conversation) {
      showConversation();
      window.scrollTo(0, document.body.scrollHeight);
    }
  }
}

function setRunning(controller) {
  running = controller;
  send.disabled = controller !== null;
  stop.disabled = controller === null;
  messages.setAttribute('aria-busy', String(controller !== null));
}

function loadSettings() {
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(settingsKey) ?? '{}') ?? {};
  } catch {
    // Unreadable settings: start from the defaults.
  }
  for (const field of sampling) $(field).value = saved[field] ?? '';
  tools.value = saved.tools ?? '';
  // Offered tools shape every answer: when there are some their panel starts open (not on a phone, where it would
  // push the conversation down).
  if (tools.value.trim() !== '' && !phone) $('tools-panel').open = true;
  fillToolChoice(toolChoice, parseToolsQuietly(tools.value));
  toolChoice.value = [...toolChoice.options].some(option => option.value === saved.tool_choice) ? saved.tool_choice : 'auto';
  return saved;
}

function saveSettings() {
  const settings = { model: model.value, tools: tools.value, tool_choice: toolChoice.value };
  for (const field of sampling) settings[field] = $(field).value;
  localStorage.setItem(settingsKey, JSON.stringify(settings));
}

bindComposer({ form: $('composer'), prompt, stop, send: submit, abort: () => running?.abort() });
system.addEventListener('input', () => {
  conversation.system = system.value;
  if (conversation.messages.length > 0) saveConversation(conversation);
});
for (const field of sampling) $(field).addEventListener('change', saveSettings);
model.addEventListener('change', saveSettings);
// The tool_choice list follows the tools as they are typed (a name to force appears once its tool parses).
tools.addEventListener('input', () => fillToolChoice(toolChoice, parseToolsQuietly(tools.value)));
tools.addEventListener('change', saveSettings);
toolChoice.addEventListener('change', saveSettings);

const refreshReaders = mountReaders($('readers'));
$('readers-panel').addEventListener('toggle', event => {
  if (event.target.open) refreshReaders();
});

// On a phone the conversation comes first: the side panels start folded.
if (phone) {
  for (const panel of document.querySelectorAll('aside details')) panel.open = false;
}
showConversation();
const settings = loadSettings();
fillModelPicker(model, { preferred: settings.model }).catch(error => {
  $('models-error').textContent = error.message;
  $('models-error').hidden = false;
});
