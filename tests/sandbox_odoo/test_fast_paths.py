"""The sandbox's quick paths give what the plain ones give: same values, same errors."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from sandbox.odoo.values import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    format_datetime,
    parse_date,
    parse_datetime,
)

DATES = [
    "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
    "0000-01-01", "0001-01-01", "0999-12-31", "1000-01-01", "9999-12-31", "2024-1-5",
    "2024-01-05 ", " 2024-01-05", "2024-01-05\n", "2024/01/05", "",
    "\uff12\uff10\uff12\uff14-01-05", "2024-01-0x", "+024-01-05", "2024-04-31",
]  # fmt: skip
TIMES = ["00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "12:00:61", "1:2:3",
         "12:00", "12:00:00.5", "12:00:0\uff15"]  # fmt: skip


def _outcome(func, text):
    try:
        return "ok", func(text)
    except ValueError as exc:
        return "error", str(exc)


@pytest.mark.parametrize("text", DATES)
def test_parse_date_is_strptime(text):
    assert _outcome(parse_date, text) == _outcome(
        lambda t: dt.datetime.strptime(t, DATE_FORMAT).date(), text
    )


def test_parse_datetime_is_strptime():
    for day, time, sep in itertools.product(DATES, TIMES, (" ", "  ", "T", "\t")):
        text = f"{day}{sep}{time}"
        expected = _outcome(lambda t: dt.datetime.strptime(t, DATETIME_FORMAT), text)
        assert _outcome(parse_datetime, text) == expected, text


@pytest.mark.parametrize(
    "value",
    [dt.datetime(999, 1, 2, 3, 4, 5), dt.datetime(1000, 1, 2), dt.datetime(1, 1, 1),
     dt.datetime(2024, 12, 31, 23, 59, 59), dt.datetime(2024, 1, 1, 0, 0, 0, 5)],
)  # fmt: skip
def test_format_datetime_is_strftime(value):
    assert format_datetime(value) == value.strftime(DATETIME_FORMAT)


# -- XML-RPC requests ------------------------------------------------------------------------------
TEXTS = ["", "plain", "a & b", "<p>x</p>", "]]>", "tab\tnew\nline", "cr\r\nlf", "caf\u00e9 \u4e2d",
         "&amp;", "&lt;&gt;", " spaced ", "\U0001f600", "x\x01y", "\ufffe"]  # fmt: skip


def _random_value(rng, depth=0):
    kind = rng.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return rng.choice(TEXTS)
    if kind == 1:
        return rng.randint(-(2**31), 2**31 - 1)
    if kind == 2:
        return rng.choice([True, False])
    if kind == 3:
        return rng.choice([0.0, -1.5, 1e300, float("inf"), 3.14159])
    if kind == 4:
        return None
    if kind == 5:
        return rng.choice(TEXTS) + rng.choice(TEXTS)
    if kind in (6, 7):
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(TEXTS): _random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


def _loaded(loads, body):
    try:
        return "ok", repr(loads(body))
    except Exception as exc:  # the same error, whichever reader
        return type(exc).__name__, str(exc)


def test_xmlrpc_reader_is_the_stdlib():
    import random
    import xmlrpc.client

    from sandbox.odoo import xmlrpc_read

    rng = random.Random(7)
    for _ in range(400):
        params = tuple(_random_value(rng) for _ in range(rng.randrange(5)))
        body = xmlrpc.client.dumps(
            params, rng.choice(["execute_kw", "login", "a&b"]), allow_none=True
        )
        data = body.encode("utf-8", "xmlcharrefreplace")
        variants = [data, data.replace(b"\n", b"\r\n"), data[: rng.randrange(len(data))]]
        spot = rng.randrange(len(data))
        variants.append(data[:spot] + bytes([rng.randrange(256)]) + data[spot + 1 :])
        variants.append(data.replace(b"<value><string>", b"<value>", 1))
        variants.append(data.replace(b"</string></value>", b"</value></string>", 1))
        variants.append(data.replace(b"<param>\n", b"", 1))
        variants.append(data.replace(b"<member>\n", b"", 1))
        for variant in variants:
            assert _loaded(xmlrpc_read.loads, variant) == _loaded(xmlrpc.client.loads, variant)


def test_xmlrpc_reader_reads_what_dumps_writes_itself():
    import xmlrpc.client

    from sandbox.odoo import xmlrpc_read

    context = {"tz": "UTC", "n": None, "f": 1.5, "b": True}
    rows = [["id", "name"], [["x.a", "A & <B>"]]]
    params = ("db", 2, "pw", "res.partner", "load", rows, {"context": context, "e": [], "s": {}})
    body = xmlrpc.client.dumps(params, "execute_kw", allow_none=True).encode()
    assert xmlrpc_read._read(body) == xmlrpc.client.loads(body)  # not handed to the stdlib
