// The dialog that asks for an API key after a 401. Concurrent callers share one open dialog.
let pending = null;

export function askForApiKey(reason) {
  pending ??= show(reason).finally(() => { pending = null; });
  return pending;
}

function show(reason) {
  const dialog = document.createElement('dialog');
  dialog.innerHTML = `
    <form method="dialog">
      <h2>API key needed</h2>
      <p class="error" role="alert"></p>
      <label>API key <input name="key" type="password" autocomplete="off" required></label>
      <p class="muted">It is kept in this browser (localStorage) and sent as <code>Authorization: Bearer</code>.</p>
      <div class="row">
        <button class="primary" value="save">Save</button>
        <button value="cancel" formnovalidate>Cancel</button>
      </div>
    </form>`;
  dialog.querySelector('.error').textContent = reason;
  document.body.append(dialog);
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      const key = dialog.querySelector('input').value.trim();
      dialog.remove();
      resolve(dialog.returnValue === 'save' && key ? key : null);
    });
    dialog.showModal();
  });
}
