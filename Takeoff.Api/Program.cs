using Takeoff.Api;

await TakeoffApp.Create(args).RunAsync();
