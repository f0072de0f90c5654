// The conversation's messages as elements: the user's as plain text, answers as sanitized Markdown with their
// figures, their error in place, and copy / regenerate buttons.
import { renderMarkdown } from './markdown.js';
import { copyText } from './clipboard.js';
import { button } from './dom.js';

export function messageElement(message, { onRegenerate = null } = {}) {
  const article = document.createElement('article');
  article.className = `message ${message.role}`;
  article.dataset.testid = `message-${message.role}`;
  article.setAttribute('aria-label', message.role === 'user' ? 'You' : 'Assistant');
  const content = document.createElement('div');
  content.className = 'content';
  const footer = document.createElement('footer');
  article.append(content, footer);

  if (message.role === 'assistant') {
    const error = document.createElement('p');
    error.className = 'error';
    error.setAttribute('role', 'alert');
    const stats = document.createElement('span');
    stats.className = 'muted';
    stats.dataset.testid = 'answer-stats';
    article.insertBefore(error, footer);
    footer.append(stats);
  }
  footer.append(button('Copy', 'Copy this message', async event => {
    await copyText(message.content);
    event.target.textContent = 'Copied';
  }));
  if (onRegenerate) footer.append(button('Regenerate', 'Regenerate the last answer', onRegenerate));
  fillMessage(article, message, false);
  return article;
}

// Called on every animation frame while an answer streams (streaming: no highlighting yet), and once at the end.
export function fillMessage(article, message, streaming) {
  const content = article.querySelector('.content');
  if (message.role === 'user') {
    content.textContent = message.content;
    return;
  }
  if (streaming && message.content === '') content.textContent = '…';
  else renderMarkdown(content, message.content, { highlight: !streaming });
  const error = article.querySelector('.error');
  error.textContent = message.error ?? '';
  error.hidden = !message.error;
  article.querySelector('[data-testid=answer-stats]').textContent = message.stats ?? '';
}
