// Fills a <select> from GET /v1/models: consumer groups first, then model names (owned_by "takeoff:model").
import { apiFetch, describeError } from './api.js';

export async function fillModelPicker(select, { groupsOnly = false, preferred = '' } = {}) {
  const response = await apiFetch('/v1/models');
  if (!response.ok) throw new Error(`Could not list the models: ${await describeError(response)}`);
  const { data } = await response.json();
  const ids = data.filter(model => !groupsOnly || model.owned_by === 'takeoff').map(model => model.id);
  select.replaceChildren(...ids.map(id => new Option(id, id)));
  if (ids.includes(preferred)) select.value = preferred;
  return ids;
}
