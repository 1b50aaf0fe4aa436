using System.Globalization;
using System.Text;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Contracts;

namespace RunsFleet.Tests.SqsBridge.Contracts;

/// <summary>
/// Generated variants of what Go's encoding/json (and jq) may put on the wire, each parsed and
/// compared field by field with the values it encodes: 0-9 (and more) fractional digits,
/// Z/z/offsets, lower-case t, Go's zero time in each timestamp field, \u-escapes of any
/// character (Go escapes &lt; &gt; &amp;), field order, pretty and multi-line layouts, extra fields
/// of every JSON type, a leading BOM. Each case has its own seed, so a failure reproduces alone.
/// </summary>
public sealed class TerminationEncodingVariantsTests
{
    private const int Variants = 320;
    private const int BaseSeed = 20261130;
    private static readonly string[] Statuses = ["success", "failure", "timeout", "interrupted", "started", "bootstrap_failed"];
    private static readonly string[] ZeroTimes =
        ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000000Z", "0001-01-01T00:00:00.0Z", "0001-01-01t00:00:00z", "0001-01-01T00:00:00+00:00", "0001-01-01T01:30:00+01:30"];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Variants; i++)
        {
            data.Add(BaseSeed + i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Each_generated_encoding_parses_to_the_values_it_encodes(int seed)
    {
        var variant = Variant.Generate(new Random(seed), seed - BaseSeed);

        var result = TerminationMessageParser.Parse(variant.Body, TerminationMessageParser.DefaultMaxBytes, "m-" + seed);

        Assert.True(result.IsAccepted, $"seed {seed}: {result.Reason}\n{variant.Body}");
        Assert.Equal(variant.Expected with { SqsMessageId = "m-" + seed }, result.Value);
        Assert.Equal(variant.Expected.StartedAt?.UtcTicks, result.Value!.StartedAt?.UtcTicks);
        Assert.Equal(variant.Expected.CompletedAt?.UtcTicks, result.Value.CompletedAt?.UtcTicks);
    }

    [Fact]
    public void The_generator_covers_every_rule_it_claims()
    {
        var variants = Enumerable.Range(0, Variants).Select(i => Variant.Generate(new Random(BaseSeed + i), i)).ToList();
        var bodies = variants.Select(v => v.Body).ToList();

        Assert.True(variants.Count >= 200);
        for (var digits = 0; digits <= 9; digits++)
        {
            Assert.Contains(variants, v => v.FractionDigits.Contains(digits));
        }

        Assert.Contains(variants, v => v.FractionDigits.Any(d => d > 9));
        Assert.Contains(variants, v => v.ZeroStarted);
        Assert.Contains(variants, v => v.ZeroCompleted);
        Assert.Contains(bodies, b => b.Contains("\\u003c", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains("\\u0026", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains('\n', StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.StartsWith('\uFEFF'));
        Assert.Contains(bodies, b => b.Contains("+05:30", StringComparison.Ordinal) || b.Contains("-03:00", StringComparison.Ordinal));
        Assert.Contains(bodies, b => System.Text.RegularExpressions.Regex.IsMatch(b, "[0-9]t[0-9]"));
        Assert.Contains(bodies, b => b.Contains("z\"", StringComparison.Ordinal));
        foreach (var kind in new[] { "null", "true", "false", "[", "{", "1e3", "-0.25", "\"x" })
        {
            Assert.Contains(bodies, b => b.Contains(":" + kind, StringComparison.Ordinal) || b.Contains(": " + kind, StringComparison.Ordinal));
        }

        Assert.True(variants.Select(v => v.FieldOrder).Distinct(StringComparer.Ordinal).Count() > 50, "field orders vary");
    }

    private sealed record Variant(string Body, JobTerminationInput Expected, IReadOnlyList<int> FractionDigits, bool ZeroStarted, bool ZeroCompleted, string FieldOrder)
    {
        private static readonly (int Hours, int Minutes)[] Offsets = [(0, 0), (5, 30), (-3, 0), (14, 0), (-12, 0), (9, 45), (0, 0)];

        public static Variant Generate(Random random, int index)
        {
            var status = Statuses[index % Statuses.Length];
            var instanceId = "i-" + Hex(random, random.Next(2) == 0 ? 8 : 17);
            var fields = new List<(string Name, string Json)>();
            var digitsUsed = new List<int>();

            long? jobId = null;
            var jobChoice = status == "started" ? random.Next(2) : random.Next(5);
            if (jobChoice <= 1)
            {
                jobId = random.NextInt64(1, 99_999_999_999);
                fields.Add(("job_id", jobChoice == 0 ? $"\"{Escape(random, jobId.Value.ToString(CultureInfo.InvariantCulture))}\"" : jobId.Value.ToString(CultureInfo.InvariantCulture)));
            }
            else if (jobChoice == 2)
            {
                fields.Add(("job_id", "\"\""));
            }
            else if (jobChoice == 3)
            {
                fields.Add(("job_id", "null"));
            }

            var exitCode = status == "success" ? 0 : random.Next(-1, 256);
            fields.Add(("exit_code", exitCode.ToString(CultureInfo.InvariantCulture)));
            var duration = random.Next(3) == 0 ? Math.Round(random.NextDouble() * 1000, 3) : random.Next(0, 100_000);
            fields.Add(("duration_seconds", duration.ToString("R", CultureInfo.InvariantCulture)));

            // Instants in nanoseconds since a base second; completion never before start.
            var baseUtc = new DateTime(2000 + random.Next(100), 1 + random.Next(12), 1 + random.Next(28), random.Next(24), random.Next(60), random.Next(60), DateTimeKind.Utc);
            var startDigits = index % 10;
            var startNanos = (long)(random.NextInt64((long)Math.Pow(10, startDigits)) * Math.Pow(10, 9 - startDigits));
            long delta = (index % 4) switch { 0 => 0, 1 => 1, 2 => random.NextInt64(1, 1_000_000_000), _ => random.NextInt64(1, 86_400_000_000_000) };
            var completeNanos = startNanos + delta;

            var zeroStarted = status != "started" && random.Next(5) == 0;
            var zeroCompleted = status == "started" ? random.Next(4) != 0 : random.Next(7) == 0;
            DateTimeOffset? startedAt = null;
            DateTimeOffset? completedAt = null;
            if (status != "bootstrap_failed" || random.Next(2) == 0)
            {
                if (zeroStarted)
                {
                    fields.Add(("started_at", $"\"{ZeroTimes[random.Next(ZeroTimes.Length)]}\""));
                }
                else
                {
                    var (text, digits) = Timestamp(random, baseUtc, startNanos);
                    digitsUsed.Add(digits);
                    fields.Add(("started_at", $"\"{text}\""));
                    startedAt = Instant(baseUtc, startNanos);
                }

                if (zeroCompleted)
                {
                    fields.Add(("completed_at", $"\"{ZeroTimes[random.Next(ZeroTimes.Length)]}\""));
                }
                else if (status != "started")
                {
                    var (text, digits) = Timestamp(random, baseUtc, completeNanos);
                    digitsUsed.Add(digits);
                    fields.Add(("completed_at", $"\"{text}\""));
                    completedAt = Instant(baseUtc, completeNanos);
                }
            }

            string? error = null;
            if (status is "failure" or "timeout" or "bootstrap_failed" || random.Next(3) == 0)
            {
                error = Text(random);
                fields.Add(("error", $"\"{Escape(random, error)}\""));
            }

            string? interruptedBy = null;
            if (status == "interrupted")
            {
                interruptedBy = new[] { "terminated", "interrupt", "context_cancelled" }[random.Next(3)];
                fields.Add(("interrupted_by", $"\"{Escape(random, interruptedBy)}\""));
            }

            for (var extra = random.Next(0, 4) + (index % 8 == 0 ? 1 : 0); extra > 0; extra--)
            {
                fields.Add(($"telemetry_{index}_{extra}", ExtraValue(random, index + extra)));
            }

            var ordered = new List<(string Name, string Json)> { ("instance_id", $"\"{Escape(random, instanceId)}\""), ("status", $"\"{Escape(random, status)}\"") };
            ordered.AddRange(fields);
            if (index % 3 != 0)
            {
                // Go writes struct order; other senders (jq, scripts) any order.
                ordered = [.. ordered.OrderBy(_ => random.Next())];
            }

            var body = Layout(random, index, ordered);
            var expected = new JobTerminationInput
            {
                InstanceId = instanceId,
                JobId = jobId,
                Status = Parse(status),
                ExitCode = exitCode,
                DurationSeconds = duration,
                StartedAt = startedAt,
                CompletedAt = completedAt,
                Error = error,
                InterruptedBy = interruptedBy,
                SqsMessageId = null,
            };
            return new Variant(body, expected, digitsUsed, zeroStarted, zeroCompleted, string.Join(",", ordered.Select(f => f.Name)));
        }

        private static (string Text, int Digits) Timestamp(Random random, DateTime baseUtc, long nanos)
        {
            var (hours, minutes) = Offsets[random.Next(Offsets.Length)];
            var offset = new TimeSpan(hours, hours < 0 ? -minutes : minutes, 0);
            var utc = baseUtc.AddSeconds(Math.Floor(nanos / 1e9));
            var local = utc + offset;
            var fraction = (nanos % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');

            // Sometimes more digits than Go writes (RFC 3339 sets no limit): past the 9th they
            // add less than a nanosecond, so the expected instant stays the same.
            if (random.Next(8) == 0)
            {
                fraction = fraction.PadRight(9, '0').PadRight(9 + random.Next(1, 6), random.Next(2) == 0 ? '0' : '7');
            }

            var t = random.Next(6) == 0 ? "t" : "T";
            var zone = offset == TimeSpan.Zero && random.Next(4) != 0
                ? (random.Next(5) == 0 ? "z" : "Z")
                : (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
            var text = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + t + local.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
                + (fraction.Length > 0 ? "." + fraction : string.Empty) + zone;
            return (text, fraction.Length);
        }

        // .NET keeps the first 7 digits (100 ns ticks); extra digits (the "7" padding) only ever add less than a tick.
        private static DateTimeOffset Instant(DateTime baseUtc, long nanos) =>
            new DateTimeOffset(baseUtc, TimeSpan.Zero).AddTicks(nanos / 100);

        private static JobEndStatus Parse(string status) => status switch
        {
            "success" => JobEndStatus.Success,
            "failure" => JobEndStatus.Failure,
            "timeout" => JobEndStatus.Timeout,
            "interrupted" => JobEndStatus.Interrupted,
            "started" => JobEndStatus.Started,
            _ => JobEndStatus.BootstrapFailed,
        };

        private static string Hex(Random random, int length) =>
            string.Concat(Enumerable.Range(0, length).Select(_ => "0123456789abcdef"[random.Next(16)]));

        private static string Text(Random random)
        {
            string[] pieces = ["exit status 2: make <test> && deploy", "curl: (22) 403", "\"quoted\"", "back\\slash", "line\nbreak\ttab", "é ü ß", "😀 emoji", "a/b", "<>&", "\u2028sep", "max runtime 360m exceeded"];
            return string.Join(' ', Enumerable.Range(0, random.Next(1, 4)).Select(_ => pieces[random.Next(pieces.Length)]));
        }

        // Every character may arrive raw or as \uXXXX (either case); Go always escapes < > & and U+2028.
        private static string Escape(Random random, string text)
        {
            var json = new StringBuilder();
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c))
                {
                    // A pair travels whole: both halves raw, or both as \u escapes.
                    json.Append(random.Next(2) == 0 ? text.Substring(i, 2) : Unicode(random, c) + Unicode(random, text[i + 1]));
                    i++;
                    continue;
                }

                var mustEscape = c is '"' or '\\' || c < 0x20;
                var goEscapes = c is '<' or '>' or '&' or '\u2028';
                if (mustEscape && random.Next(2) == 0)
                {
                    json.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\t' => "\\t", _ => Unicode(random, c) });
                }
                else if (mustEscape || goEscapes || random.Next(6) == 0)
                {
                    json.Append(Unicode(random, c));
                }
                else
                {
                    json.Append(c);
                }
            }

            return json.ToString();
        }

        private static string Unicode(Random random, char c)
        {
            var hex = ((int)c).ToString("x4", CultureInfo.InvariantCulture);
            return "\\u" + (random.Next(3) == 0 ? hex.ToUpperInvariant() : hex);
        }

        private static string ExtraValue(Random random, int kind) => (kind % 9) switch
        {
            0 => "null",
            1 => "true",
            2 => "false",
            3 => "[\"node/20.18.1/x64\",1,null,{\"a\":[]}]",
            4 => "{\"pool\":\"default\",\"nested\":{\"deep\":[1,2.5,-3]}}",
            5 => "1e3",
            6 => "-0.25",
            7 => $"\"x\\u003c{random.Next()}\"",
            _ => random.Next().ToString(CultureInfo.InvariantCulture),
        };

        private static string Layout(Random random, int index, List<(string Name, string Json)> fields)
        {
            var bom = index % 11 == 0 ? "\uFEFF" : string.Empty;
            switch (index % 3)
            {
                case 0:
                    return bom + "{" + string.Join(",", fields.Select(f => $"\"{f.Name}\":{f.Json}")) + "}";
                case 1:
                    // jq's default: two-space indent, one field per line.
                    return bom + "{\n" + string.Join(",\n", fields.Select(f => $"  \"{f.Name}\": {f.Json}")) + "\n}" + (random.Next(2) == 0 ? "\n" : string.Empty);
                default:
                    string[] spaces = [" ", "\t", "\r\n", "\n  ", string.Empty];
                    string Ws() => spaces[random.Next(spaces.Length)];
                    return bom + Ws() + "{" + string.Join(",", fields.Select(f => $"{Ws()}\"{f.Name}\"{Ws()}:{Ws()}{f.Json}{Ws()}")) + "}" + Ws();
            }
        }
    }
}
