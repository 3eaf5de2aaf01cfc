using System.Text.Json;
using System.Text.Json.Serialization;
using Elbo.Serialization;

namespace Elbo.Evaluation;

/// <summary><c>eval.json</c> in a run folder: an <see cref="EvalResult"/> as indented JSON, written atomically.</summary>
public static class EvalResultFile
{
    /// <summary>The file name inside a run folder.</summary>
    public const string FileName = RunFolder.Eval;

    // A diverged model can give NaN or ±∞; they are written as the strings "NaN", "Infinity", "-Infinity" rather than
    // making the whole evaluation fail at the last step.
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The path of eval.json in <paramref name="runDirectory"/>.</summary>
    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, FileName);

    /// <summary>The JSON text of <paramref name="result"/>.</summary>
    public static string ToJson(EvalResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return JsonSerializer.Serialize(result, Options);
    }

    /// <summary>Writes <paramref name="result"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, EvalResult result) => AtomicFile.WriteAllText(path, ToJson(result) + "\n");

    /// <summary>Reads an eval.json; throws an <see cref="InvalidDataException"/> naming the file when it is not one.</summary>
    public static EvalResult Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<EvalResult>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path}: empty evaluation file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not an evaluation file ({e.Message})", e);
        }
    }
}
