"""Subcommands of `lantern chronology`. Each module has `register(subparsers) -> dict` mapping a
subcommand name to a handler `handler(command, actor, **options)`."""
