"""Reading XML-RPC bodies quicker when they are in the exact layout `xmlrpc.client.dumps` writes.

The stdlib unmarshaller calls back into Python for every start tag, end tag and text: a
load() call of 1,000 rows is ~60,000 elements (a sixth of the sandbox's time), an answer of
1,000 records ~30 ms of the loader's CPU. A body in the layout `dumps` writes (Python
clients, the sandbox, Odoo itself) is read here with one regular expression over the text
instead, once expat has checked it is well-formed XML. A body with `<!` (a DTD, a comment,
CDATA) is never read here, so no entity but XML's own can occur; anything else unusual
(other layouts, base64, dates, character references, a fault, a body expat refuses...)
raises `Unusual`, and the caller hands the body to its full parser, so values and errors
stay the stdlib's (the sandbox) or defusedxml's (the loader).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

# Text as dumps escapes it: no markup, only the three entities it writes, and no carriage
# return (expat turns those into newlines; left to the stdlib).
_TEXT = r"[^<>&\r]*(?:&(?:amp|lt|gt);[^<>&\r]*)*"
_CALL_HEAD = re.compile(
    rf"<\?xml version='1.0'\?>\n<methodCall>\n<methodName>({_TEXT})</methodName>\n<params>\n"
)
_CALL_TAIL = "</params>\n</methodCall>\n"
_RESPONSE_HEAD = re.compile(r"<\?xml version='1.0'\?>\n<methodResponse>\n<params>\n()")
_RESPONSE_TAIL = "</params>\n</methodResponse>\n"
# _TOKEN's groups, in order
_FLAT_STRUCT, _STRING, _INT, _BOOLEAN, _DOUBLE, _NIL, _ARRAY, _ARRAY_END = range(1, 9)
_STRUCT, _NAME, _MEMBER_END, _STRUCT_END, _PARAM, _PARAM_END, _OTHER = range(9, 16)
_STRINGS = re.compile(rf"<value><string>({_TEXT})</string></value>\n")
# A struct member with a scalar value (dumps writes no newline after <nil/>'s </value>)
_SCALAR_MEMBER = (
    rf"<member>\n<name>({_TEXT})</name>\n<value>(?:<string>({_TEXT})</string></value>\n"
    r"|<int>(-?[0-9]+)</int></value>\n|<boolean>([01])</boolean></value>\n"
    r"|<double>([-+.0-9a-z]+)</double></value>\n|(<nil/>)</value>)</member>\n"
)
_MEMBER = re.compile(_SCALAR_MEMBER)
_TOKEN = re.compile(
    # a struct of scalars in one token (a record of a read), its members' groups made
    # non-capturing: _flat_struct reads them with _MEMBER
    rf"(<value><struct>\n(?:{re.sub(r'[(](?![?])', '(?:', _SCALAR_MEMBER)})*</struct></value>\n)"
    rf"|((?:<value><string>{_TEXT}</string></value>\n)+)"  # a run of strings (an array's)
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


class Unusual(Exception):
    """Not the layout read here: the full parser must read it."""


def read_call(body: bytes) -> tuple[tuple[Any, ...], str]:
    """(params, method name), as `xmlrpc.client.loads(body)` returns them for a call."""
    params, method = _checked(body, _CALL_HEAD, _CALL_TAIL)
    return params, _unescape(method)


def read_response(body: bytes) -> Any:
    """The answer's value, as `xmlrpc.client.loads(body)[0][0]` gives it."""
    params, _ = _checked(body, _RESPONSE_HEAD, _RESPONSE_TAIL)
    if len(params) != 1:
        raise Unusual
    return params[0]


def _unescape(text: str) -> str:
    if "&" in text:
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text


def _checked(body: bytes, head: re.Pattern[str], tail: str) -> tuple[tuple[Any, ...], str]:
    if b"<!" in body:  # no DTD, so no entities of its own; comments and CDATA too
        raise Unusual
    try:
        expat.ParserCreate().Parse(body, True)  # well-formed, or the full parser says why not
        return _read(body.decode(), head, tail)
    except (expat.ExpatError, ValueError) as error:  # (bad UTF-8, a number int() refuses)
        raise Unusual from error


def _read(text: str, head_pattern: re.Pattern[str], tail: str) -> tuple[tuple[Any, ...], str]:
    """(params, the head's group 1) of a body's text; Unusual if not dumps' layout."""
    head = head_pattern.match(text)
    if head is None or not text.endswith(tail):
        raise Unusual
    params: list[Any] = []
    # open containers, innermost last: [kind, items]; a struct's items alternate key, value
    stack: list[list[Any]] = []
    for token in _TOKEN.finditer(text, head.end(), len(text) - len(tail)):
        kind = token.lastindex
        if kind == _FLAT_STRUCT:
            value = _flat_struct(token.group(kind))
        elif kind == _STRING:
            run = token.group(kind)
            strings = _STRINGS.findall(run)
            if "&" in run:
                strings = [_unescape(t) for t in strings]
            if stack and stack[-1][0] == _ARRAY:
                stack[-1][1].extend(strings)
                continue
            if len(strings) != 1:
                raise Unusual
            value: Any = strings[0]
        elif _INT <= kind <= _NIL:
            value = _scalar(token, kind)
        elif kind in (_ARRAY, _STRUCT, _PARAM):
            if kind == _PARAM and stack:
                raise Unusual
            stack.append([kind, []])
            continue
        elif kind == _NAME:
            if not stack or stack[-1][0] != _STRUCT or len(stack[-1][1]) % 2:
                raise Unusual
            stack[-1][1].append(_unescape(token.group(kind)))
            continue
        elif kind == _MEMBER_END:
            if not stack or stack[-1][0] != _STRUCT or len(stack[-1][1]) % 2:
                raise Unusual
            continue
        elif kind in (_ARRAY_END, _STRUCT_END):
            if not stack or stack[-1][0] != (_ARRAY if kind == _ARRAY_END else _STRUCT):
                raise Unusual
            items = stack.pop()[1]
            if kind == _ARRAY_END:
                value = items
            elif len(items) % 2:
                raise Unusual
            else:
                value = dict(zip(items[::2], items[1::2], strict=True))
        elif kind == _PARAM_END:
            if len(stack) != 1 or stack[0][0] != _PARAM or len(stack[0][1]) != 1:
                raise Unusual
            params.append(stack.pop()[1][0])
            continue
        else:
            raise Unusual
        _add(stack, value)
    if stack:
        raise Unusual
    return tuple(params), head.group(1)


def _flat_struct(text: str) -> dict[str, Any]:
    return {_unescape(m.group(1)): _scalar(m, m.lastindex) for m in _MEMBER.finditer(text)}


# string, int, boolean, double, nil: groups _STRING (2) to _NIL (6) of _TOKEN and of _MEMBER
_SCALARS: tuple[Callable[[str], Any], ...] = (
    _unescape, int, "1".__eq__, float, lambda _: None
)  # fmt: skip


def _scalar(match: re.Match[str], kind: int) -> Any:
    return _SCALARS[kind - _STRING](match.group(kind))


def _add(stack: list[list[Any]], value: Any) -> None:
    """A value into its container: an array, a struct member that has its name and no value
    yet, or a param that has no value yet."""
    if not stack:
        raise Unusual
    kind, items = stack[-1]
    if kind == _STRUCT and not len(items) % 2:
        raise Unusual
    if kind == _PARAM and items:
        raise Unusual
    items.append(value)
