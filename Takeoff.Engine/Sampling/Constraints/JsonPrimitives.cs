namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Shared rules of the JSON grammars, in the shape llama.cpp's json-schema-to-grammar uses: every value rule ends
/// with <c>space</c>, so exactly one bounded whitespace run (nothing, one space, or a newline and up to 20 spaces or
/// tabs of indentation) can sit between two tokens. Numbers have at most 16 integral and 16 fractional digits.
/// </summary>
internal static class JsonPrimitives
{
    private static readonly Dictionary<string, (string Body, string[] Uses)> Rules = new(StringComparer.Ordinal)
    {
        ["space"] = ("| \" \" | \"\\n\" [ \\t]{0,20}", []),
        ["value"] = ("object | array | string | number | boolean | null", ["object", "array", "string", "number", "boolean", "null"]),
        ["object"] = ("\"{\" space ( string \":\" space value ( \",\" space string \":\" space value )* )? \"}\" space", ["space", "string", "value"]),
        ["array"] = ("\"[\" space ( value ( \",\" space value )* )? \"]\" space", ["space", "value"]),
        ["string"] = ("\"\\\"\" char* \"\\\"\" space", ["char", "space"]),
        // Any JSON string character; \u escapes of lone surrogates are left out, since lengths count code points.
        ["char"] = ("[^\"\\\\\\x00-\\x1F] | \"\\\\\" ( [\"\\\\/bfnrt] | \"u\" ( [0-9a-cA-CeEfF] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2} ) )", []),
        // Property names beside declared ones: no escapes, so that no spelling of a declared name can slip through.
        ["key-char"] = ("[^\"\\\\\\x00-\\x1F]", []),
        ["number"] = ("\"-\"? integral-part ( \".\" decimal-part )? ( [eE] [-+]? [0-9]{1,3} )? space", ["integral-part", "decimal-part", "space"]),
        ["integer"] = ("\"-\"? integral-part space", ["integral-part", "space"]),
        ["integral-part"] = ("\"0\" | [1-9] [0-9]{0,15}", []),
        ["decimal-part"] = ("[0-9]{1,16}", []),
        ["boolean"] = ("( \"true\" | \"false\" ) space", ["space"]),
        ["null"] = ("\"null\" space", ["space"]),
        // Real calendar dates from 1000 to 9999 (.NET validators cannot represent year 0): 29 February only in leap years.
        ["date"] = ("[1-9] [0-9]{3} \"-\" date-month-day | date-leap-year \"-02-29\"", ["date-month-day", "date-leap-year"]),
        ["date-month-day"] = ("( \"0\" [13578] | \"1\" [02] ) \"-\" ( \"0\" [1-9] | [12] [0-9] | \"3\" [01] ) | ( \"0\" [469] | \"11\" ) \"-\" ( \"0\" [1-9] | [12] [0-9] | \"30\" ) | \"02-\" ( \"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8] )", []),
        ["date-leap-year"] = ("[1-9] [0-9] ( \"0\" [48] | [2468] [048] | [13579] [26] ) | ( [2468] [048] | [13579] [26] ) \"00\"", []),
        // RFC 3339 full-time: the offset is required; no leap second (validators disagree on it).
        ["time"] = ("( [01] [0-9] | \"2\" [0-3] ) \":\" [0-5] [0-9] \":\" [0-5] [0-9] ( \".\" [0-9]{1,6} )? ( \"Z\" | [+-] ( [01] [0-9] | \"2\" [0-3] ) \":\" [0-5] [0-9] )", []),
        ["date-time"] = ("date \"T\" time", ["date", "time"]),
        ["uuid"] = ("[0-9a-fA-F]{8} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{12}", []),
        ["ipv4"] = ("ipv4-octet \".\" ipv4-octet \".\" ipv4-octet \".\" ipv4-octet", ["ipv4-octet"]),
        ["ipv4-octet"] = ("\"25\" [0-5] | \"2\" [0-4] [0-9] | \"1\" [0-9]{2} | [1-9] [0-9] | [0-9]", []),
    };

    /// <summary>The JSON Schema formats enforced, each a rule above; the string rule is the format name + "-string".</summary>
    public static readonly IReadOnlyList<string> Formats = ["date", "time", "date-time", "uuid", "ipv4"];

    /// <summary>Names converters must not give their own rules.</summary>
    public static IEnumerable<string> Names => Rules.Keys.Concat(Formats.Select(f => f + "-string"));

    /// <summary>Adds <paramref name="name"/> and what it uses to <paramref name="rules"/>; returns the name.</summary>
    public static string Use(GbnfRuleSet rules, string name)
    {
        if (rules.Contains(name))
            return name;
        if (name.EndsWith("-string", StringComparison.Ordinal) && Formats.Contains(name[..^"-string".Length]))
        {
            rules.Ensure(name, $"\"\\\"\" {Use(rules, name[..^"-string".Length])} \"\\\"\" space");
            Use(rules, "space");
            return name;
        }
        var (body, uses) = Rules[name];
        rules.Ensure(name, body);
        foreach (var used in uses)
            Use(rules, used);
        return name;
    }
}
