// Conversations kept in this browser (localStorage): each is { id, title, system, messages, updated }, a message
// { role, content, stats?, error? }, an answer with calls also { tool_calls: [{ id, type, function: { name,
// arguments } }] } and a tool's result { role: "tool", tool_call_id, name, content }. Export and import use the same
// shape, wrapped with a format name.
const listKey = 'takeoff.chat.conversations';
const currentKey = 'takeoff.chat.current';
const format = 'takeoff-chat-conversations';

export const defaultTitle = 'New chat';

function readAll() {
  try {
    const all = JSON.parse(localStorage.getItem(listKey) ?? '[]');
    return Array.isArray(all) ? all : [];
  } catch {
    return [];
  }
}

function writeAll(all) {
  localStorage.setItem(listKey, JSON.stringify(all));
}

// randomUUID needs a secure context; a page served over plain http to another machine is not one.
function newId() {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function listConversations() {
  return readAll().sort((a, b) => b.updated - a.updated);
}

export function createConversation() {
  return { id: newId(), title: defaultTitle, system: '', messages: [], updated: Date.now() };
}

export function saveConversation(conversation) {
  conversation.updated = Date.now();
  writeAll([...readAll().filter(c => c.id !== conversation.id), conversation]);
}

export function deleteConversation(id) {
  writeAll(readAll().filter(c => c.id !== id));
}

export function currentConversationId() {
  return localStorage.getItem(currentKey);
}

export function rememberCurrent(id) {
  localStorage.setItem(currentKey, id);
}

export function exportConversations() {
  return JSON.stringify({ format, version: 1, conversations: readAll() }, null, 2);
}

// Adds the file's conversations beside the stored ones (fresh ids, so nothing is overwritten); returns how many.
export function importConversations(text) {
  const file = JSON.parse(text);
  if (file?.format !== format || !Array.isArray(file.conversations)) {
    throw new Error('Not a Takeoff chat export (expected {"format": "takeoff-chat-conversations", "conversations": [...]}).');
  }
  const imported = file.conversations
    .filter(c => Array.isArray(c?.messages))
    .map(c => ({
      id: newId(),
      title: String(c.title ?? defaultTitle),
      system: String(c.system ?? ''),
      messages: c.messages
        .filter(m => (m?.role === 'user' || m?.role === 'assistant' || m?.role === 'tool') && typeof m.content === 'string')
        .map(importedMessage),
      updated: Number(c.updated) || Date.now(),
    }));
  writeAll([...readAll(), ...imported]);
  return imported.length;
}

// Only the known fields, as the strings the page expects: a file is not trusted to hold what the page wrote.
function importedMessage(m) {
  const message = { role: m.role, content: m.content };
  if (m.role === 'tool') Object.assign(message, { tool_call_id: String(m.tool_call_id ?? ''), name: String(m.name ?? '') });
  if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
    message.tool_calls = m.tool_calls.map(call => ({
      id: String(call?.id ?? ''),
      type: 'function',
      function: { name: String(call?.function?.name ?? ''), arguments: String(call?.function?.arguments ?? '') },
    }));
  }
  if (m.stats) message.stats = String(m.stats);
  if (m.error) message.error = String(m.error);
  return message;
}
