// One streamed chat completion (POST /v1/chat/completions, stream: true). Content deltas go to onDelta as they
// arrive, tool call deltas (delta.tool_calls, pieces keyed by index) to onToolCalls; progress (timestamps, pieces, usage, finish reason) is filled in as it happens, so a stopped answer
// still has its figures. Errors throw with the server's message; Stop throws the fetch's AbortError.
import { apiFetch, describeError } from './api.js';
import { readEvents } from './sse.js';

export function newProgress() {
  return { started: performance.now(), first: null, ended: null, pieces: 0, usage: null, finishReason: null };
}

export async function streamChat(body, { signal, progress, onDelta, onToolCalls = () => {} }) {
  try {
    const response = await apiFetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    if (!response.ok) throw new Error(await describeError(response));
    for await (const { data } of readEvents(response)) {
      if (data === '[DONE]') return;
      const chunk = JSON.parse(data);
      // After the stream started the status is gone: a failure arrives as a last {"error": ...} event.
      if (chunk.error) throw new Error(chunk.error.message ?? 'The generation failed.');
      if (chunk.usage) progress.usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (choice?.delta?.content) {
        progress.first ??= performance.now();
        progress.pieces++;
        onDelta(choice.delta.content);
      }
      // Not a first token: the server sends a call whole once the answer ends.
      if (choice?.delta?.tool_calls) onToolCalls(choice.delta.tool_calls);
      if (choice?.finish_reason) progress.finishReason = choice.finish_reason;
    }
    throw new Error('The answer was cut off (the stream ended without [DONE]).');
  } finally {
    progress.ended = performance.now();
  }
}

// "42 tokens · first token 31 ms · 812 tokens/s": tokens from the usage chunk (pieces when stopped before it),
// the rate over the tokens after the first.
export function formatStats(progress, stopped = false) {
  const tokens = progress.usage?.completion_tokens ?? progress.pieces;
  const parts = [`${tokens} token${tokens === 1 ? '' : 's'}`];
  if (progress.first !== null) {
    parts.push(`first token ${Math.round(progress.first - progress.started)} ms`);
    const seconds = (progress.ended - progress.first) / 1000;
    if (tokens > 1 && seconds > 0) parts.push(`${Math.round((tokens - 1) / seconds)} tokens/s`);
  } else if (tokens > 0 && progress.ended !== null) {
    // Tool calls alone: they arrive whole at the end, so the rate is over the whole answer.
    const seconds = (progress.ended - progress.started) / 1000;
    parts.push(`${Math.round(seconds * 1000)} ms`);
    if (seconds > 0) parts.push(`${Math.round(tokens / seconds)} tokens/s`);
  }
  if (stopped) parts.push('stopped');
  else if (progress.finishReason === 'length') parts.push('hit the token limit');
  return parts.join(' · ');
}
