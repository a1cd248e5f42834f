"""The Textual user interface: renders domain state and forwards keys."""
