// Requests from the pages: the API key kept in this browser goes along as a bearer token, and a 401 asks for a key
// (one dialog, however many requests were refused at once) and retries with it.
import { askForApiKey } from './api-key-dialog.js';

const keyName = 'takeoff.apiKey';

export function storedApiKey() {
  return localStorage.getItem(keyName) ?? '';
}

export async function apiFetch(url, init = {}) {
  for (;;) {
    const headers = new Headers(init.headers);
    const key = storedApiKey();
    if (key) headers.set('Authorization', `Bearer ${key}`);
    const response = await fetch(url, { ...init, headers });
    if (response.status !== 401) return response;
    const entered = await askForApiKey(await describeError(response));
    if (entered === null) return new Response(null, { status: 401, statusText: 'Unauthorized: no API key given' });
    localStorage.setItem(keyName, entered);
  }
}

// One line for a failed answer, in either API's error shape: OpenAI's {"error": {...}} or problem details.
export async function describeError(response) {
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    const body = JSON.parse(text);
    if (body?.error?.message) {
      message = body.error.message + (body.error.param ? ` (${body.error.param})` : '');
    } else if (body?.errors) {
      message = Object.entries(body.errors).map(([field, problems]) => `${field}: ${[problems].flat().join(' ')}`).join('\n');
    } else if (body?.detail || body?.title) {
      message = body.detail ?? body.title;
    }
  } catch {
    // Not JSON: the text itself is the message.
  }
  const status = `${response.status} ${response.statusText}`.trim();
  const retryAfter = response.headers.get('Retry-After');
  return `${status}${message ? `: ${message}` : ''}${retryAfter ? ` (retry after ${retryAfter} s)` : ''}`;
}
