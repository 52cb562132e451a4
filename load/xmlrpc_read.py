"""Reading XML-RPC requests: `xmlrpc.client.loads`, quicker for what `xmlrpc.client.dumps` writes.

The stdlib unmarshaller calls back into Python for every start tag, end tag and text of a
request; a load() of 1,000 rows is ~60,000 elements, and that was a sixth of the sandbox's time.
A request in the exact layout `xmlrpc.client.dumps` writes (Python clients: the loader, the
tests) is read here with one regular expression over the text instead, once expat has checked
the body is well-formed XML. Anything else (other clients' layouts, base64, dates, comments,
character references, a body expat refuses...) goes through `xmlrpc.client.loads` itself, so
values and errors stay the stdlib's.
"""

from __future__ import annotations

import re
import xmlrpc.client
from typing import Any
from xml.parsers import expat

# Text as dumps escapes it: no markup, only the three entities it writes, and no carriage
# return (expat turns those into newlines; left to the stdlib).
_TEXT = r"[^<>&\r]*(?:&(?:amp|lt|gt);[^<>&\r]*)*"
_HEAD = re.compile(
    rf"<\?xml version='1.0'\?>\n<methodCall>\n<methodName>({_TEXT})</methodName>\n<params>\n"
)
_TAIL = "</params>\n</methodCall>\n"
_STRING, _INT, _BOOLEAN, _DOUBLE, _NIL, _ARRAY, _ARRAY_END, _STRUCT, _NAME, _MEMBER_END = range(
    1, 11
)
_STRUCT_END, _PARAM, _PARAM_END, _OTHER = range(11, 15)
_STRINGS = re.compile(rf"<value><string>({_TEXT})</string></value>\n")
_TOKEN = re.compile(
    rf"((?:<value><string>{_TEXT}</string></value>\n)+)"  # a run of strings (mostly an array's)
    r"|<value><int>(-?[0-9]+)</int></value>\n"
    r"|<value><boolean>([01])</boolean></value>\n"
    r"|<value><double>([-+.0-9a-z]+)</double></value>\n"
    r"|(<value><nil/></value>)"
    r"|(<value><array><data>\n)"
    r"|(</data></array></value>\n)"
    r"|(<value><struct>\n)"
    rf"|<member>\n<name>({_TEXT})</name>\n"
    r"|(</member>\n)"
    r"|(</struct></value>\n)"
    r"|(<param>\n)"
    r"|(</param>\n)"
    r"|([\s\S])"
)


class _Unusual(Exception):
    """Not the layout read here: the stdlib reads it."""


def loads(body: bytes) -> tuple[tuple[Any, ...], str | None]:
    """(params, method name), as `xmlrpc.client.loads(body)` returns them."""
    try:
        return _read(body)
    except (_Unusual, expat.ExpatError, UnicodeDecodeError, ValueError):
        return xmlrpc.client.loads(body)


def _unescape(text: str) -> str:
    if "&" in text:
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text


def _read(body: bytes) -> tuple[tuple[Any, ...], str]:
    expat.ParserCreate().Parse(body, True)  # well-formed XML, or the stdlib says why not
    text = body.decode()
    head = _HEAD.match(text)
    if head is None or not text.endswith(_TAIL):
        raise _Unusual
    params: list[Any] = []
    # open containers, innermost last: [kind, items]; a struct's items alternate key, value
    stack: list[list[Any]] = []
    for token in _TOKEN.finditer(text, head.end(), len(text) - len(_TAIL)):
        kind = token.lastindex
        if kind == _STRING:
            run = token.group(kind)
            strings = _STRINGS.findall(run)
            if "&" in run:
                strings = [_unescape(t) for t in strings]
            if stack and stack[-1][0] == _ARRAY:
                stack[-1][1].extend(strings)
                continue
            if len(strings) != 1:
                raise _Unusual
            value: Any = strings[0]
        elif kind == _INT:
            value = int(token.group(kind))
        elif kind == _BOOLEAN:
            value = token.group(kind) == "1"
        elif kind == _DOUBLE:
            value = float(token.group(kind))
        elif kind == _NIL:
            value = None
        elif kind in (_ARRAY, _STRUCT, _PARAM):
            if kind == _PARAM and stack:
                raise _Unusual
            stack.append([kind, []])
            continue
        elif kind == _NAME:
            if not stack or stack[-1][0] != _STRUCT or len(stack[-1][1]) % 2:
                raise _Unusual
            stack[-1][1].append(_unescape(token.group(kind)))
            continue
        elif kind == _MEMBER_END:
            if not stack or stack[-1][0] != _STRUCT or len(stack[-1][1]) % 2:
                raise _Unusual
            continue
        elif kind in (_ARRAY_END, _STRUCT_END):
            if not stack or stack[-1][0] != (_ARRAY if kind == _ARRAY_END else _STRUCT):
                raise _Unusual
            items = stack.pop()[1]
            if kind == _ARRAY_END:
                value = items
            elif len(items) % 2:
                raise _Unusual
            else:
                value = dict(zip(items[::2], items[1::2], strict=True))
        elif kind == _PARAM_END:
            if len(stack) != 1 or stack[0][0] != _PARAM or len(stack[0][1]) != 1:
                raise _Unusual
            params.append(stack.pop()[1][0])
            continue
        else:
            raise _Unusual
        _add(stack, value)
    if stack:
        raise _Unusual
    return tuple(params), _unescape(head.group(1))


def _add(stack: list[list[Any]], value: Any) -> None:
    """A value into its container: an array, a struct member that has its name and no value
    yet, or a param that has no value yet."""
    if not stack:
        raise _Unusual
    kind, items = stack[-1]
    if kind == _STRUCT and not len(items) % 2:
        raise _Unusual
    if kind == _PARAM and items:
        raise _Unusual
    items.append(value)
