// The chat page: a conversation through /v1/chat/completions (streamed), kept in this browser.
import { fillModelPicker } from './models.js';
import { mountReaders } from './readers.js';
import { streamChat, newProgress, formatStats } from './chat-stream.js';
import { messageElement, fillMessage } from './chat-messages.js';
import { mountConversationList } from './chat-conversations.js';
import { bindComposer } from './dom.js';
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
const sampling = ['temperature', 'top_p', 'top_k', 'max_tokens'];
const settingsKey = 'takeoff.chat.settings';

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
  messages.replaceChildren(...conversation.messages.map((message, i) => messageElement(message, {
    onRegenerate: i === last && message.role === 'assistant' ? regenerate : null,
  })));
  if (last < 0) messages.append(emptyHint);
  conversationList.refresh();
}

function requestBody() {
  const history = [];
  if (conversation.system.trim()) history.push({ role: 'system', content: conversation.system });
  // A failed answer is not a turn of the conversation; a stopped one is (its text was shown).
  for (const message of conversation.messages) {
    if (!message.error) history.push({ role: message.role, content: message.content });
  }
  // No model yet (the list is still loading or failed): the server's default group.
  const body = { ...(model.value ? { model: model.value } : {}), messages: history, stream: true, stream_options: { include_usage: true } };
  for (const field of sampling) {
    const value = $(field).value.trim();
    if (value !== '') body[field] = Number(value);
  }
  return body;
}

async function submit() {
  const text = prompt.value;
  if (running || text.trim() === '') return;
  prompt.value = '';
  conversation.messages.push({ role: 'user', content: text });
  if (conversation.title === defaultTitle) conversation.title = text.trim().slice(0, 48);
  saveConversation(conversation);
  rememberCurrent(conversation.id);
  await answer();
}

async function regenerate() {
  if (running) return;
  if (conversation.messages.at(-1)?.role === 'assistant') conversation.messages.pop();
  await answer();
}

async function answer() {
  const body = requestBody();
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
  return saved;
}

function saveSettings() {
  const settings = { model: model.value };
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

const refreshReaders = mountReaders($('readers'));
$('readers-panel').addEventListener('toggle', event => {
  if (event.target.open) refreshReaders();
});

// On a phone the conversation comes first: the side panels start folded.
if (matchMedia('(max-width: 759px)').matches) {
  for (const panel of document.querySelectorAll('aside details')) panel.open = false;
}
showConversation();
const settings = loadSettings();
fillModelPicker(model, { preferred: settings.model }).catch(error => {
  $('models-error').textContent = error.message;
  $('models-error').hidden = false;
});
