"""Shared kernel: configuration, database, errors, audit, outbox, jobs, clock. Imports no capability."""
