using CycleGan.App.Cli;

return CliApp.Run(args);
