"""hipmob: guided hip-mobility routines for low back pain, in the terminal."""

__version__ = "0.2.0"
