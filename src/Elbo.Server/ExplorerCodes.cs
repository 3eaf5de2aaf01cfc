using Elbo.Data;
using Elbo.Evaluation;
using Elbo.Models;

namespace Elbo.Server;

/// <summary>The latent explorer's points, computed once when the server starts: the codes of the first test examples
/// (<see cref="LatentCodes.Encode"/>), the dimensions ranked by information (eval.json's KL when given, else the
/// points' own), and the principal-component plane of the codes' locations (<see cref="Pca"/>) with each point's
/// coordinates in it.</summary>
public sealed class ExplorerCodes
{
    private ExplorerCodes(LatentCodes codes, int[] ranking, double[] information, string informationSource, Pca? pca, double[]? plane)
    {
        Codes = codes;
        Ranking = ranking;
        Information = information;
        InformationSource = informationSource;
        Pca = pca;
        Plane = plane;
    }

    /// <summary>The codes of the first <see cref="LatentCodes.Count"/> test examples.</summary>
    public LatentCodes Codes { get; }

    /// <summary>The latent dimensions by decreasing <see cref="Information"/>.</summary>
    public int[] Ranking { get; }

    /// <summary>The information per dimension the ranking follows (KL in nats, or an autoencoder's variance of the code).</summary>
    public double[] Information { get; }

    /// <summary>Where <see cref="Information"/> comes from, for the page: "eval.json" or "explorer points".</summary>
    public string InformationSource { get; }

    /// <summary>The principal components of the points' locations; null for a latent space of one dimension.</summary>
    public Pca? Pca { get; }

    /// <summary>Each point's coordinates along the first two principal axes (N × 2); null without <see cref="Pca"/>.</summary>
    public double[]? Plane { get; }

    /// <summary>Encodes the first <paramref name="count"/> examples of <paramref name="test"/>; the ranking follows
    /// <paramref name="evalKl"/> when given.</summary>
    public static ExplorerCodes Compute(LatentVariableModel model, Dataset test, int count, double[]? evalKl)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        var codes = LatentCodes.Encode(model, test, count);
        int[] ranking;
        double[] information;
        string source;
        if (evalKl is not null)
        {
            information = evalKl;
            ranking = LatentCodes.ByDecreasing(evalKl);
            source = "eval.json";
        }
        else
        {
            information = codes.Information();
            ranking = codes.DimensionsByInformation();
            source = "explorer points";
        }
        Pca? pca = null;
        double[]? plane = null;
        if (codes.Latent >= 2)
        {
            pca = Pca.Fit(codes.Mu, codes.Count, codes.Latent);
            plane = pca.Project(codes.Mu, 2);
        }
        return new ExplorerCodes(codes, ranking, information, source, pca, plane);
    }
}
