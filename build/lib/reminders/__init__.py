"""Reminders before deadlines, digests and the outbox (see issue 4)."""
