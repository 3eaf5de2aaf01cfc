using Elbo.Data;
using Elbo.Evaluation;
using Elbo.Models;
using Elbo.Plotting;

namespace Elbo.Reporting;

/// <summary>The report's latent-space pictures with their default choices: the interpolation between four pairs of
/// test examples of different labels (straight lines, 10 steps) and the traversal of the most informative
/// dimensions (by KL over the first test examples) around the first test example, ±3.</summary>
public static class LatentPictures
{
    /// <summary>Both pictures, in memory.</summary>
    public static List<RunOutput> Make(LatentVariableModel model, Dataset test)
    {
        var outputs = new List<RunOutput>(2);
        var pairs = Pairs(test, 4);
        if (pairs.Count > 0)
        {
            var interpolation = Interpolation.Picture(model, test, pairs, 10, slerp: false);
            outputs.Add(new(ReportPiece.Interpolation.FileName, interpolation.Save,
                $"{pairs.Count} pairs of test examples ({string.Join(", ", pairs.Select(p => $"{p.From}→{p.To}"))}), 10 points on the straight line between their μ"));
        }
        var codes = LatentCodes.Encode(model, test, Traversal.RankingExamples);
        var rows = Traversal.Rows(codes, null);
        var dims = rows.Select(r => r.Dimension).ToArray();
        var traversal = Traversal.Picture(model, codes, dims, 3f, 11, 0);
        string described = string.Join(", ", rows.Select(r => r.Kl is { } kl ? $"z{r.Dimension} ({kl:F2} nats)" : $"z{r.Dimension}"));
        outputs.Add(new(ReportPiece.Traversal.FileName, traversal.Save, $"rows sweep {described} over [−3, 3] around test example 0's μ"));
        return outputs;
    }

    // The first `count` pairs of consecutive test examples whose labels differ (or simply consecutive ones).
    private static List<(int From, int To)> Pairs(Dataset test, int count)
    {
        var pairs = new List<(int, int)>();
        for (int i = 0; i + 1 < test.Count && pairs.Count < count; i += 2)
        {
            int j = i + 1;
            while (test.HasLabels && j < test.Count - 1 && test.Label(j) == test.Label(i) && j < i + 20) j++;
            pairs.Add((i, j));
            i = j - 1;
        }
        return pairs;
    }
}
