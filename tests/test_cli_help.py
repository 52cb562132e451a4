"""Every command of the `legal2odoo` CLI explains itself: `--help` works and shows an example."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from legal2odoo.cli import main


def _commands(command: click.Command, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))


def _product_commands() -> list[tuple[str, ...]]:
    """Every command path under `legal2odoo`, those the product defines (the stand-ins of
    legal2odoo-sandbox add theirs through an entry point: their help is theirs)."""
    paths = []
    for path in _commands(main, ()):
        command = main
        for name in path:
            assert isinstance(command, click.Group)
            command = command.commands[name]
        module = getattr(command.callback, "__module__", "") or ""
        if module.startswith("legal2odoo."):
            paths.append(path)
    return paths


COMMANDS = _product_commands()


def test_the_walk_finds_the_command_tree() -> None:
    assert {
        (),
        ("load",),
        ("extract", "captorra"),
        ("extract", "actionstep"),
        ("export", "schema-plan"),
        ("csv", "link-ids"),
    } <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(("legal2odoo", *p)))
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    examples = [line for line in result.output.splitlines() if line.strip().startswith("Example")]
    assert examples, f"`legal2odoo {' '.join(path)} --help` shows no Example line"
    # the example is a command line of this very command
    after = result.output.split(examples[0], 1)[1]
    assert f"legal2odoo {' '.join(path)}".strip() in after
