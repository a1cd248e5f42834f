"""One guided session: the timeline, the engine on an injected clock, its journal, its record."""
