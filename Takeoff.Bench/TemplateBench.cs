using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Takeoff.Engine.Text.Jinja.Errors;
using Takeoff.Engine.Text.Jinja;

namespace Takeoff.Bench;

/// <summary>
/// What one chat-template render costs per request: the largest of the shared templates (and Qwen 2.5's and Llama
/// 3.1's) with the corpus's tool-call conversation (two tools offered, an assistant call and its result), parsed once
/// as a reader does, rendered many times. Median of five batches of 200 renders, in microseconds.
/// </summary>
internal static class TemplateBench
{
    public static int Run(IReadOnlyDictionary<string, string> options)
    {
        var golden = options.GetValueOrDefault("golden") ?? "Takeoff.Tests/Engine/Text/Jinja/Golden";
        var templates = options.GetValueOrDefault("templates") ?? "../shared/chat-templates";
        var corpus = JsonNode.Parse(File.ReadAllText(Path.Combine(golden, "conversations.json")))!.AsObject();
        var conversation = corpus["conversations"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "tool_call")!;
        var variables = new JsonObject
        {
            ["messages"] = conversation["messages"]!.DeepClone(),
            ["add_generation_prompt"] = true,
            ["bos_token"] = corpus["bos_token"]!.DeepClone(),
            ["eos_token"] = corpus["eos_token"]!.DeepClone(),
            ["tools"] = corpus["toolsets"]![conversation["tools"]!.GetValue<string>()]!.DeepClone(),
        };
        var files = Directory.GetFiles(templates, "*.jinja").OrderByDescending(f => new FileInfo(f).Length).Take(5)
            .Concat(Directory.GetFiles(templates, "*.jinja").Where(f => f.Contains("Qwen2.5-7B", StringComparison.Ordinal)
                || f.Contains("Llama-3.1-8B", StringComparison.Ordinal)))
            .Distinct();
        Console.WriteLine($"template render with tools ({MachineFacts.Cpu()})");
        Console.WriteLine("| template | source chars | parse µs | render µs (median of 5 × 200) | output chars |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var file in files)
        {
            var source = File.ReadAllText(file);
            var clock = Stopwatch.StartNew();
            var template = JinjaTemplate.Parse(source);
            var parse = clock.Elapsed;
            string output;
            try
            {
                output = template.Render(variables);
            }
            catch (TemplateException e)
            {
                Console.WriteLine($"| {Path.GetFileNameWithoutExtension(file)} | {source.Length:N0} | | raised: {e.Message} | |");
                continue;
            }
            var batches = new List<double>();
            for (var batch = 0; batch < 5; batch++)
            {
                clock.Restart();
                for (var i = 0; i < 200; i++)
                    template.Render(variables);
                batches.Add(clock.Elapsed.TotalMicroseconds / 200);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Path.GetFileNameWithoutExtension(file)} | {source.Length:N0} | {parse.TotalMicroseconds:F0} | {Percentiles.Median(batches):F0} | {output.Length:N0} |"));
        }
        return 0;
    }
}
