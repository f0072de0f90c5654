// Tool calls as /v1/chat/completions answers them, shared by the chat page and the playground: the calls assembled
// from streamed deltas, a call shown as a block (function name, pretty-printed arguments) and a tool's result tied
// to its call. Model output is untrusted: every piece of it goes in through textContent.

// Streamed calls come in pieces keyed by index: the first carries id, type and function.name, the next ones
// function.arguments text to append.
export function addToolCallDeltas(calls, deltas) {
  for (const delta of deltas ?? []) {
    const index = Number.isInteger(delta?.index) ? delta.index : calls.length;
    const call = calls[index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } };
    if (delta.id) call.id = delta.id;
    if (delta.type) call.type = delta.type;
    // OpenAI sends the name once, whole; a repeat is not appended.
    if (delta.function?.name && !call.function.name) call.function.name = delta.function.name;
    if (delta.function?.arguments) call.function.arguments += delta.function.arguments;
  }
  return calls;
}

// The arguments re-indented when they are JSON (they should be: the server sends a JSON string), else as sent.
export function prettyArguments(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function titled(className, testId, label, name, detail) {
  const block = document.createElement('section');
  block.className = className;
  block.dataset.testid = testId;
  const title = document.createElement('p');
  title.className = 'tool-title';
  const code = document.createElement('code');
  code.dataset.testid = `${testId}-name`;
  code.textContent = name;
  const id = document.createElement('span');
  id.className = 'muted';
  id.textContent = detail ? ` ${detail}` : '';
  title.append(`${label} `, code, id);
  block.append(title);
  return block;
}

// One call: "Call get_weather call_…" and its arguments.
export function toolCallElement(call) {
  const block = titled('tool-call', 'tool-call', 'Call', call.function?.name ?? '', call.id);
  block.dataset.callId = call.id ?? '';
  block.setAttribute('aria-label', `Tool call ${call.function?.name ?? ''}`);
  const args = document.createElement('pre');
  args.dataset.testid = 'tool-call-arguments';
  args.textContent = prettyArguments(call.function?.arguments ?? '');
  block.append(args);
  return block;
}

// One result ({ role: "tool", tool_call_id, name, content }): "Result of get_weather call_…" and its text.
export function toolResultElement(message) {
  const block = titled('tool-result', 'tool-result', 'Result of', message.name ?? '', message.tool_call_id);
  block.dataset.callId = message.tool_call_id ?? '';
  const text = document.createElement('pre');
  text.dataset.testid = 'tool-result-content';
  text.textContent = message.content ?? '';
  block.append(text);
  return block;
}

// The tool_choice <select> lists auto, none, required and then each offered function by name.
export function fillToolChoice(select, tools) {
  const chosen = select.value;
  const names = (Array.isArray(tools) ? tools : []).map(tool => tool?.function?.name).filter(name => typeof name === 'string' && name);
  select.replaceChildren(...['auto', 'none', 'required'].map(value => new Option(value, value)),
    ...names.map(name => new Option(`function ${name}`, `function:${name}`)));
  select.value = [...select.options].some(option => option.value === chosen) ? chosen : 'auto';
}

// The tools textarea (a JSON array) and the tool_choice select as request fields; {} when no tools are given (and
// tool_choice is auto or none). Throws with a message naming the field otherwise.
export function toolFields(text, choice) {
  if (text.trim() === '') {
    // The server would refuse it too; said here, next to the field.
    if (choice === 'required' || choice.startsWith('function:')) throw new Error(`tool_choice ${choice} needs tools.`);
    return {};
  }
  let tools;
  try {
    tools = JSON.parse(text);
  } catch (error) {
    throw new Error(`tools is not valid JSON: ${error.message}`);
  }
  if (!Array.isArray(tools)) throw new Error('tools must be a JSON array of {"type": "function", "function": {...}} definitions.');
  const tool_choice = choice.startsWith('function:')
    ? { type: 'function', function: { name: choice.slice('function:'.length) } }
    : choice || 'auto';
  return { tools, tool_choice };
}

// Parses without throwing, for refreshing the tool_choice list while the user types.
export function parseToolsQuietly(text) {
  try {
    return JSON.parse(text);
  } catch {
    return [];
  }
}
