using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace Takeoff.Tests.Integration.OpenAi.Tools;

/// <summary>Tool calling through the official OpenAI .NET SDK and Microsoft.Extensions.AI's function-invoking client, with forced calls.</summary>
internal sealed class ToolSdkTests
{
    private const string Schema = """
        {"type": "object", "properties": {"days": {"type": "integer", "minimum": 1, "maximum": 7}, "tomorrow": {"type": "boolean"}},
         "required": ["days", "tomorrow"], "additionalProperties": false}
        """;

    private static OpenAIClient Sdk() => new(new ApiKeyCredential("no-key"), new OpenAIClientOptions
    {
        Endpoint = new Uri($"http://127.0.0.1:{ToolServer.Instance.Client.BaseAddress!.Port}/v1"),
        NetworkTimeout = TimeSpan.FromMinutes(2),
    });

    [TestCase("qwen")]
    [TestCase("llama3")]
    public async Task OpenAiSdk_RequiredCall_ThenToolResult_ThenAnAnswer(string model)
    {
        var chat = Sdk().GetChatClient(model);
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_forecast", "The forecast for Paris.", BinaryData.FromString(Schema), functionSchemaIsStrict: true) },
            ToolChoice = ChatToolChoice.CreateRequiredChoice(),
            AllowParallelToolCalls = false,
            MaxOutputTokenCount = 200,
            Temperature = 0.8f,
        };
        List<OpenAI.Chat.ChatMessage> messages = [new UserChatMessage("Will it rain in Paris?")];

        ChatCompletion call = await chat.CompleteChatAsync(messages, options);

        Assert.That(call.FinishReason, Is.EqualTo(OpenAI.Chat.ChatFinishReason.ToolCalls));
        var toolCall = call.ToolCalls.Single();
        Assert.That(toolCall.FunctionName, Is.EqualTo("get_forecast"));
        using var arguments = JsonDocument.Parse(toolCall.FunctionArguments);
        Assert.That(arguments.RootElement.GetProperty("days").GetInt32(), Is.InRange(1, 7));
        Assert.That(arguments.RootElement.GetProperty("tomorrow").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));

        messages.Add(new AssistantChatMessage(call));
        messages.Add(new ToolChatMessage(toolCall.Id, "{\"rain\": false}"));
        options.ToolChoice = ChatToolChoice.CreateNoneChoice();
        options.MaxOutputTokenCount = 8;
        ChatCompletion answer = await chat.CompleteChatAsync(messages, options);

        Assert.That(answer.FinishReason, Is.AnyOf(OpenAI.Chat.ChatFinishReason.Stop, OpenAI.Chat.ChatFinishReason.Length));
        Assert.That(answer.ToolCalls, Is.Empty);
        Assert.That(answer.Usage.InputTokenCount, Is.GreaterThan(call.Usage.InputTokenCount - 200), "the history reached the template");
    }

    [Test]
    public async Task ExtensionsAi_FunctionInvokingChatClient_CompletesALoopWithAForcedCall()
    {
        // long: the schema of a .NET int has no bounds, and the grammar's unbounded integers have up to 16 digits.
        var calls = new List<(long Days, bool Tomorrow)>();
        var forecast = AIFunctionFactory.Create((long days, bool tomorrow) =>
        {
            calls.Add((days, tomorrow));
            return "{\"rain\": false}";
        }, "get_forecast", "The forecast for Paris.");
        using var client = new ChatClientBuilder(Sdk().GetChatClient("qwen").AsIChatClient())
            .UseFunctionInvocation(configure: invoking => invoking.MaximumIterationsPerRequest = 3)
            .Build();

        var response = await client.GetResponseAsync("Will it rain in Paris?", new ChatOptions
        {
            Tools = [forecast],
            ToolMode = ChatToolMode.RequireAny,
            AllowMultipleToolCalls = false,
            MaxOutputTokens = 200,
            Temperature = 0.8f,
        });

        Assert.That(calls, Is.Not.Empty, "the model's call reached the function: " + string.Join(" | ",
            response.Messages.SelectMany(m => m.Contents).Select(c => c switch
            {
                FunctionCallContent f => $"call {f.Name}({JsonSerializer.Serialize(f.Arguments)}) {f.Exception}",
                FunctionResultContent r => $"result {r.Result} {r.Exception}",
                _ => c.ToString(),
            })) + " finish " + response.FinishReason);
        var contents = response.Messages.SelectMany(m => m.Contents).ToArray();
        Assert.That(contents.OfType<FunctionCallContent>().First().Name, Is.EqualTo("get_forecast"));
        Assert.That(contents.OfType<FunctionResultContent>().First().Result?.ToString(), Does.Contain("rain"));
        Assert.That(response.Messages.Last().Role, Is.EqualTo(ChatRole.Assistant));
    }
}
