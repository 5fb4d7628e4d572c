"""The connector framework: interface, HTTP client, registry, config, runner, sync command, cursors."""
