"""What the CLI needs from `load/`: a connection that fails with one clear line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from load.connect import connect
from load.errors import OdooError
from load.settings import load_settings
from load.transport import Transport


@contextmanager
def odoo_session() -> Iterator[Transport]:
    """A logged-in transport from ODOO_* settings; Odoo's refusal becomes a ClickException
    (one line, exit 1) instead of a traceback."""
    try:
        transport = connect(load_settings())
    except OdooError as error:
        raise click.ClickException(str(error)) from None
    try:
        yield transport
    except OdooError as error:
        raise click.ClickException(str(error)) from None
    finally:
        transport.close()
