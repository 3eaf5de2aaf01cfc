global using Elbo.Training.Distributed;
