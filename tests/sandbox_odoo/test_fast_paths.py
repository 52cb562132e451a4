"""Quick paths give what the plain ones give: same values, same errors (the sandbox's dates,
the XML-RPC reader the sandbox and the loader share)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import xmlrpc.client

import pytest

from legal2odoo.load import xmlrpc_read
from legal2odoo.load.errors import ConnectError
from legal2odoo.load.xmlrpc import parse_response
from legal2odoo_sandbox.odoo.values import (
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


def _calls(rng):
    """Bodies of random calls as `xmlrpc.client.dumps` writes them."""
    for _ in range(400):
        params = tuple(_random_value(rng) for _ in range(rng.randrange(5)))
        method = rng.choice(["execute_kw", "login", "a&b"])
        yield xmlrpc.client.dumps(params, method, allow_none=True)


def _responses(rng):
    """Bodies of random answers, and of faults."""
    for _ in range(400):
        if rng.randrange(10):
            yield xmlrpc.client.dumps((_random_value(rng),), methodresponse=True, allow_none=True)
        else:
            yield xmlrpc.client.dumps(xmlrpc.client.Fault(rng.randrange(5), rng.choice(TEXTS)))


def _variants(rng, body):
    """The body, and the body damaged seven ways."""
    data = body.encode("utf-8", "xmlcharrefreplace")
    spot = rng.randrange(len(data))
    return [
        data,
        data.replace(b"\n", b"\r\n"),
        data[: rng.randrange(len(data))],
        data[:spot] + bytes([rng.randrange(256)]) + data[spot + 1 :],
        data.replace(b"<value><string>", b"<value>", 1),
        data.replace(b"</string></value>", b"</value></string>", 1),
        data.replace(b"<param>\n", b"", 1),
        data.replace(b"<member>\n", b"", 1),
    ]


def _stdlib_loads(body):
    return xmlrpc.client.loads(body)


def _fast_loads(body):
    """What the sandbox does: the quick reader, else the stdlib."""
    try:
        return xmlrpc_read.read_call(body)
    except xmlrpc_read.Unusual:
        return xmlrpc.client.loads(body)


def test_xmlrpc_call_reader_is_the_stdlib():
    rng = random.Random(7)
    for body in _calls(rng):
        for variant in _variants(rng, body):
            assert _loaded(_fast_loads, variant) == _loaded(_stdlib_loads, variant)


def test_xmlrpc_answer_reader_is_the_stdlib_where_it_reads():
    """Where the quick reader gives a value it is the stdlib's; else the loader's own parser
    (defusedxml's expat) reads the body, and gives the loader's values or errors."""
    rng = random.Random(11)
    read = 0
    for body in _responses(rng):
        for variant in _variants(rng, body):
            expected = _loaded(lambda b: xmlrpc.client.loads(b, use_builtin_types=True)[0][0],
                               variant)  # fmt: skip
            try:
                got = "ok", repr(xmlrpc_read.read_response(variant))
            except xmlrpc_read.Unusual:  # the loader's full parser reads it
                if expected[0] == "ok":
                    assert _loaded(parse_response, variant) == expected
                continue
            read += 1
            assert got == expected
            assert _loaded(parse_response, variant) == expected
    assert read > 400  # most intact answers are read quickly


def test_the_answer_reader_never_reads_a_dtd():
    bomb = (b"<?xml version='1.0'?>\n<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>"
            b"<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>\n<methodResponse>\n<params>\n"
            b"<param>\n<value><string>&b;</string></value>\n</param>\n</params>\n"
            b"</methodResponse>\n")  # fmt: skip
    with pytest.raises(xmlrpc_read.Unusual):
        xmlrpc_read.read_response(bomb)
    with pytest.raises(ConnectError, match="malicious"):
        parse_response(bomb)


def test_xmlrpc_reader_reads_what_dumps_writes_itself():
    context = {"tz": "UTC", "n": None, "f": 1.5, "b": True}
    rows = [["id", "name"], [["x.a", "A & <B>"]]]
    params = ("db", 2, "pw", "res.partner", "load", rows, {"context": context, "e": [], "s": {}})
    body = xmlrpc.client.dumps(params, "execute_kw", allow_none=True).encode()
    assert xmlrpc_read.read_call(body) == xmlrpc.client.loads(body)  # not handed to the stdlib
    records = [{"id": 7, "write_date": "2026-11-30 00:00:05", "name": "A & <B>", "x": False}]
    answer = xmlrpc.client.dumps((records,), methodresponse=True, allow_none=True).encode()
    assert xmlrpc_read.read_response(answer) == records
