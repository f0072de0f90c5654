using System.Text;
using System.Text.RegularExpressions;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Sampling.Constraints;

/// <summary>
/// Random inputs with fixed seeds: whatever a client sends, the converters answer with a grammar or a
/// <see cref="ConstraintException"/> (a 400), never another exception; and an accepted regex means what .NET says.
/// </summary>
internal sealed class ConverterFuzzTests
{
    private static string Random(Random random, string alphabet, int maxLength, params string[] fragments)
    {
        var builder = new StringBuilder();
        var length = random.Next(maxLength + 1);
        while (builder.Length < length)
        {
            if (fragments.Length > 0 && random.Next(4) == 0)
                builder.Append(fragments[random.Next(fragments.Length)]);
            else
                builder.Append(alphabet[random.Next(alphabet.Length)]);
        }
        return builder.ToString();
    }

    [Test]
    public void Gbnf_RandomText_ParsesOrIsRefusedCleanly()
    {
        var random = new Random(9);
        var parsed = 0;
        for (var i = 0; i < 4000; i++)
        {
            var text = "root ::= " + Random(random, "ab()[]|^-\"\\*+?{},.#\n xu0129<>!:=r", 24, "root", " ::= ", "\\x41", "{2,3}", "[a-z]", "\"a\"", "\nx ::= ", " x");
            try
            {
                GbnfGrammar.Parse(text);
                parsed++;
            }
            catch (ConstraintException)
            {
            }
        }
        TestContext.Out.WriteLine($"parsed {parsed}");
        Assert.That(parsed, Is.GreaterThan(100), "the generator should also produce valid grammars");
    }

    [Test]
    public void Regex_RandomPatterns_AcceptedOnesMatchLikeDotNet()
    {
        var random = new Random(7);
        var accepted = 0;
        var failures = new List<string>();
        for (var i = 0; i < 1500 && failures.Count < 5; i++)
        {
            var pattern = Random(random, "ab1.|()*+?{}[]^$-\\dws,", 12, "\\d", "\\W", "[^a]", "{2}", "{1,3}", "(?:", "a|b", "[a-b1]", "\\-", "\\.");
            string gbnf;
            try
            {
                gbnf = RegexGrammar.ToGbnf(pattern);
            }
            catch (ConstraintException)
            {
                continue;
            }
            Regex dotNet, ecmaScript;
            try
            {
                dotNet = new Regex($@"\A(?:{pattern})\z");
                ecmaScript = new Regex($@"\A(?:{pattern})\z", RegexOptions.ECMAScript);
            }
            catch (ArgumentException e)
            {
                failures.Add($"accepted /{pattern}/ that .NET refuses: {e.Message}");
                continue;
            }
            accepted++;
            var recognizer = GbnfRecognizer.For(gbnf);
            for (var j = 0; j < 40; j++)
            {
                var text = Random(random, "ab1 -.,_", 6);
                var expected = dotNet.IsMatch(text) && ecmaScript.IsMatch(text);
                if (recognizer.Accepts(text) != expected)
                {
                    failures.Add($"/{pattern}/ on '{text}': .NET {expected}");
                    break;
                }
            }
        }
        TestContext.Out.WriteLine($"accepted {accepted}");
        Assert.That(failures, Is.Empty);
        Assert.That(accepted, Is.GreaterThan(200), "the generator should also produce supported patterns");
    }
}
