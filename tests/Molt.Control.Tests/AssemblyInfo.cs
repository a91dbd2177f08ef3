// The control channel is Linux-only (SO_PEERCRED, statx), and so are its tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
