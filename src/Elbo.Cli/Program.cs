using Elbo.Cli;

return ElboCommand.Run(args, Console.Out, Console.Error);
