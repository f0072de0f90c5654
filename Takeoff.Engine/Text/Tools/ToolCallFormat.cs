namespace Takeoff.Engine.Text.Tools;

/// <summary>How a model writes its tool calls: the format its chat template teaches it, detected from the template's source.</summary>
public enum ToolCallFormat
{
    /// <summary>Hermes 2 Pro / Qwen 2.5+: <c>&lt;tool_call&gt;{"name": ..., "arguments": ...}&lt;/tool_call&gt;</c>, one block per call.</summary>
    Hermes,

    /// <summary>Llama 3.1+: one JSON object <c>{"name": ..., "parameters": ...}</c>, optionally after <c>&lt;|python_tag|&gt;</c>.</summary>
    Llama3,

    /// <summary>Mistral: <c>[TOOL_CALLS][{"name": ..., "arguments": ...}, ...]</c>.</summary>
    Mistral,

    /// <summary>
    /// A template that does not teach one of the above (or no tools at all): the tools are described in a system
    /// message and the answer is <c>{"tool_calls": [{"name": ..., "arguments": ...}]}</c>, as llama-server's generic format.
    /// </summary>
    Generic,
}
