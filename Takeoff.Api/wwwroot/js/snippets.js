// The playground's request as a shell command (curl) and as Python (requests). A stored API key is never pasted
// into them: they read it from $TAKEOFF_API_KEY.

// SSE for the text; problem details named too, or the server's error handler finds no writer for an
// SSE-only Accept and a refusal (a prompt over the context) loses its message.
export const streamAccept = 'text/event-stream, application/problem+json';

export function curlCommand(url, body, { withKey = false } = {}) {
  const lines = [
    `curl -N ${shellQuote(url)}`,
    `-H 'Content-Type: application/json'`,
    `-H 'Accept: ${streamAccept}'`,
    ...(withKey ? [`-H "Authorization: Bearer $TAKEOFF_API_KEY"`] : []),
    `-d ${shellQuote(JSON.stringify(body))}`,
  ];
  return lines.join(' \\\n  ');
}

export function pythonRequests(url, body, { withKey = false } = {}) {
  const headers = { Accept: streamAccept };
  return [
    ...(withKey ? ['import os', ''] : []),
    'import requests',
    '',
    'response = requests.post(',
    `    ${JSON.stringify(url)},`,
    `    headers={${[
      ...Object.entries(headers).map(([name, value]) => `${JSON.stringify(name)}: ${JSON.stringify(value)}`),
      ...(withKey ? ['"Authorization": "Bearer " + os.environ["TAKEOFF_API_KEY"]'] : []),
    ].join(', ')}},`,
    `    json=${pythonLiteral(body, '    ')},`,
    '    stream=True,',
    ')',
    'response.encoding = "utf-8"',
    'for line in response.iter_lines(decode_unicode=True):',
    url.endsWith('/v1/chat/completions')
      ? '    print(line)  # "data: <chunk JSON>" events (delta.content, delta.tool_calls), then "data: [DONE]"'
      : '    print(line)  # "data: <text>" events, then "event: metadata" and its JSON',
  ].join('\n');
}

function shellQuote(text) {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

// JSON to a Python literal: a JSON string literal is a valid Python one (JSON.stringify never writes "\/"); only
// true, false and null are spelled differently.
function pythonLiteral(value, indent) {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) return `[${value.map(item => pythonLiteral(item, inner)).join(', ')}]`;
  const entries = Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${pythonLiteral(item, inner)},`);
  return `{\n${entries.join('\n')}\n${indent}}`;
}
