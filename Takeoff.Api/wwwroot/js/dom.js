// Small element helpers shared by the pages.
export function button(label, description, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.setAttribute('aria-label', description);
  element.addEventListener('click', onClick);
  return element;
}
