"""The Textual app: renders what the coach decides and dispatches the user's keys."""
