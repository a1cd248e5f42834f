"""The record of sessions: the store, its file format, records, streaks and what History shows."""
