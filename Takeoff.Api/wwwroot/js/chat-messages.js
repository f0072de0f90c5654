// The conversation's messages as elements: the user's as plain text, answers as sanitized Markdown with their
// figures, their tool calls as blocks, their error in place, tool results tied to their call, and copy / regenerate
// buttons. A call still waiting for its result gets an input and a "Send result" button.
import { renderMarkdown } from './markdown.js';
import { copyText } from './clipboard.js';
import { button } from './dom.js';
import { toolCallElement, toolResultElement } from './tool-calls.js';

const labels = { user: 'You', assistant: 'Assistant', tool: 'Tool result' };

// pendingCalls: the calls of this answer that have no result yet; onResult(call, text) sends one.
export function messageElement(message, { onRegenerate = null, pendingCalls = [], onResult = null } = {}) {
  const article = document.createElement('article');
  article.className = `message ${message.role}`;
  article.dataset.testid = `message-${message.role}`;
  article.setAttribute('aria-label', labels[message.role] ?? message.role);
  const content = document.createElement('div');
  content.className = 'content';
  const footer = document.createElement('footer');
  article.append(content, footer);

  if (message.role === 'assistant') {
    const calls = document.createElement('div');
    calls.className = 'tool-calls';
    const error = document.createElement('p');
    error.className = 'error';
    error.setAttribute('role', 'alert');
    const stats = document.createElement('span');
    stats.className = 'muted';
    stats.dataset.testid = 'answer-stats';
    article.insertBefore(calls, footer);
    article.insertBefore(error, footer);
    footer.append(stats);
  }
  footer.append(button('Copy', 'Copy this message', async event => {
    await copyText(message.role === 'assistant' && !message.content && message.tool_calls
      ? JSON.stringify(message.tool_calls, null, 2)
      : message.content);
    event.target.textContent = 'Copied';
  }));
  if (onRegenerate) footer.append(button('Regenerate', 'Regenerate the last answer', onRegenerate));
  fillMessage(article, message, false);
  for (const call of pendingCalls) {
    const block = [...article.querySelectorAll('.tool-call')].find(b => b.dataset.callId === call.id);
    block?.append(resultForm(call, onResult));
  }
  return article;
}

// Called on every animation frame while an answer streams (streaming: no highlighting yet), and once at the end.
export function fillMessage(article, message, streaming) {
  const content = article.querySelector('.content');
  if (message.role === 'user') {
    content.textContent = message.content;
    return;
  }
  if (message.role === 'tool') {
    content.replaceChildren(toolResultElement(message));
    return;
  }
  const calls = message.tool_calls ?? [];
  content.hidden = calls.length > 0 && message.content === '';
  if (streaming && message.content === '') content.textContent = '…';
  else renderMarkdown(content, message.content, { highlight: !streaming });
  article.querySelector('.tool-calls').replaceChildren(...calls.map(toolCallElement));
  const error = article.querySelector('.error');
  error.textContent = message.error ?? '';
  error.hidden = !message.error;
  article.querySelector('[data-testid=answer-stats]').textContent = message.stats ?? '';
}

function resultForm(call, onResult) {
  const form = document.createElement('form');
  form.className = 'tool-answer';
  const input = document.createElement('input');
  input.dataset.testid = 'tool-result-input';
  input.setAttribute('aria-label', `Result of ${call.function.name}`);
  input.placeholder = 'The result, e.g. {"sky": "sunny"}';
  const send = document.createElement('button');
  send.type = 'submit';
  send.textContent = 'Send result';
  form.append(input, send);
  form.addEventListener('submit', event => {
    event.preventDefault();
    onResult(call, input.value);
  });
  return form;
}
