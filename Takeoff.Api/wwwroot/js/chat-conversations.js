// The list of saved conversations: open, rename, delete, new, export and import.
import { listConversations, saveConversation, deleteConversation, exportConversations, importConversations } from './conversations.js';
import { button } from './dom.js';

export function mountConversationList(page) {
  const list = document.getElementById('conversation-list');
  const status = document.getElementById('conversations-status');

  function refresh() {
    const current = page.current();
    list.replaceChildren(...listConversations().map(conversation => {
      const item = document.createElement('li');
      item.setAttribute('aria-current', String(conversation.id === current.id));
      // The stored copy as it is when clicked: an answer stopped by leaving its conversation is saved after this list was drawn.
      const open = button(conversation.title, `Open ${conversation.title}`,
        () => page.open(listConversations().find(c => c.id === conversation.id) ?? conversation));
      open.className = 'open';
      item.append(
        open,
        button('Rename', `Rename ${conversation.title}`, () => {
          const title = prompt('Rename the conversation', conversation.title)?.trim();
          if (!title) return;
          // The open conversation is the page's object; the others are the stored copies listed here.
          const renamed = conversation.id === current.id ? current : conversation;
          renamed.title = title;
          saveConversation(renamed);
          refresh();
        }),
        button('Delete', `Delete ${conversation.title}`, () => {
          if (!confirm(`Delete "${conversation.title}"?`)) return;
          deleteConversation(conversation.id);
          if (conversation.id === current.id) page.startNew();
          refresh();
        }));
      return item;
    }));
  }

  document.getElementById('new-conversation').addEventListener('click', () => page.startNew());
  document.getElementById('export').addEventListener('click', () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([exportConversations()], { type: 'application/json' }));
    link.download = 'takeoff-conversations.json';
    link.click();
    URL.revokeObjectURL(link.href);
  });
  document.getElementById('import').addEventListener('change', async event => {
    const file = event.target.files[0];
    event.target.value = '';
    if (!file) return;
    try {
      const count = importConversations(await file.text());
      status.textContent = `Imported ${count} conversation${count === 1 ? '' : 's'}.`;
    } catch (error) {
      status.textContent = `Import failed: ${error.message}`;
    }
    refresh();
  });
  return { refresh };
}
