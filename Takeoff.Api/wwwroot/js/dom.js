// Small element helpers shared by the pages.
export function button(label, description, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.setAttribute('aria-label', description);
  element.addEventListener('click', onClick);
  return element;
}

// The keys both pages share: Enter sends (Shift+Enter is a new line), as does the form's own submit; Escape and the
// stop button abort what runs.
export function bindComposer({ form, prompt, stop, send, abort }) {
  form.addEventListener('submit', event => {
    event.preventDefault();
    send();
  });
  prompt.addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  document.addEventListener('keydown', event => {
    if (event.key === 'Escape') abort();
  });
  stop.addEventListener('click', abort);
}
