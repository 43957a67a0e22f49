"""Equipment discovery: sources, active probes, the scanner, identification and the emulator."""
