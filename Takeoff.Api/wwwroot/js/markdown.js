// Answers as Markdown. Model output is untrusted: marked's HTML passes DOMPurify before it reaches the page.
import { marked } from '/lib/marked/marked.esm.js';
import DOMPurify from '/lib/dompurify/purify.es.mjs';
import hljs from '/lib/highlight.js/highlight.min.js';

export function renderMarkdown(element, text, { highlight = true } = {}) {
  element.innerHTML = DOMPurify.sanitize(marked.parse(text, { gfm: true, breaks: true }));
  // While an answer streams it is re-rendered every frame; highlighting waits for the last render.
  if (highlight) {
    for (const code of element.querySelectorAll('pre code')) hljs.highlightElement(code);
  }
}
