// Answers as Markdown. Model output is untrusted: marked's HTML passes DOMPurify before it reaches the page.
import { marked } from '/lib/marked/marked.esm.js';
import DOMPurify from '/lib/dompurify/purify.es.mjs';
import hljs from '/lib/highlight.js/highlight.min.js';

// Only what Markdown text needs. No images or other media (a URL the browser fetches by itself can carry the
// conversation out), no styles, no form controls that could imitate the page's own.
const policy = {
  ALLOWED_TAGS: ['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 'code', 'pre', 'blockquote',
    'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'],
  ALLOWED_ATTR: ['href', 'title', 'class', 'start', 'align'],
};

DOMPurify.addHook('afterSanitizeAttributes', node => {
  // marked marks a fenced block's language; any other class could dress text up as the page's own messages.
  if (node.hasAttribute('class') && !/^language-[\w+#-]+$/.test(node.getAttribute('class'))) node.removeAttribute('class');
  // Links open beside the chat, which keeps its answer streaming.
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(element, text, { highlight = true } = {}) {
  element.innerHTML = DOMPurify.sanitize(marked.parse(text, { gfm: true, breaks: true }), policy);
  // While an answer streams it is re-rendered every frame; highlighting waits for the last render.
  if (highlight) {
    for (const code of element.querySelectorAll('pre code')) hljs.highlightElement(code);
  }
}
