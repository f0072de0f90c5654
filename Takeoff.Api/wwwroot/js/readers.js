// A read-only view of consumer groups and readers from the management API (GET /reader_groups). It listens on
// the inference port + 1 unless --management-port moved it (the port is editable here), on loopback by default;
// its CORS admits pages of the inference port.
import { apiFetch } from './api.js';

const portKey = 'takeoff.managementPort';

function defaultPort() {
  return Number(location.port || (location.protocol === 'https:' ? 443 : 80)) + 1;
}

export function mountReaders(container) {
  container.innerHTML = `
    <label>Management port <input type="number" min="1" max="65535"></label>
    <div class="row"><button type="button">Refresh</button><span class="muted" role="status"></span></div>
    <div class="table-scroll"></div>`;
  const port = container.querySelector('input');
  port.value = localStorage.getItem(portKey) ?? defaultPort();
  const status = container.querySelector('[role=status]');
  const table = container.querySelector('.table-scroll');
  const refresh = async () => {
    status.textContent = 'Loading…';
    if (Number(port.value) === defaultPort()) localStorage.removeItem(portKey);
    else localStorage.setItem(portKey, port.value);
    const url = `${location.protocol}//${location.hostname}:${port.value}/reader_groups`;
    try {
      const response = await apiFetch(url);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      show(table, await response.json());
      status.textContent = `from ${url}`;
    } catch (error) {
      table.replaceChildren();
      status.textContent = '';
      const help = document.createElement('p');
      help.className = 'error';
      help.textContent = `The management API is not reachable from this page (${url}: ${error.message}). It listens on the `
        + 'inference port + 1 (or --management-port), bound to 127.0.0.1 unless --management-host says otherwise: '
        + `on the server's machine, run  curl http://127.0.0.1:${port.value}/reader_groups`;
      table.append(help);
    }
  };
  container.querySelector('button').addEventListener('click', refresh);
  port.addEventListener('change', refresh);
  return refresh;
}

function show(container, groups) {
  const table = document.createElement('table');
  table.innerHTML = '<thead><tr><th>group</th><th>reader</th><th>model</th><th>state</th><th>device</th><th>slots</th><th>context</th></tr></thead><tbody></tbody>';
  const body = table.querySelector('tbody');
  for (const [group, readers] of Object.entries(groups)) {
    for (const reader of readers) {
      const row = body.insertRow();
      const state = reader.error ? `${reader.state}: ${reader.error}` : reader.state;
      for (const value of [group, reader.reader_id, reader.model_name, state, reader.device, reader.max_batch_size, reader.context_size]) {
        row.insertCell().textContent = String(value ?? '');
      }
    }
  }
  container.replaceChildren(table);
}
