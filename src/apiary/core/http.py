"""Request bodies (one parser: JSON for a JSON content type, form fields where an API takes them) and replies."""

import copy
import functools
import json
import math
import re
from datetime import datetime
from typing import Annotated, Any, TypeAlias, TypeVar
from urllib.parse import parse_qsl

from flask import Flask, has_request_context, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SessionInterface, SessionMixin
from flask.wrappers import Request
from pydantic import AfterValidator, BaseModel, Field, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError
from werkzeug.routing import IntegerConverter
from werkzeug.sansio import multipart
from werkzeug.wrappers import Response as BaseResponse

from apiary.core.db import MAX_INTEGER
from apiary.core.errors import BadRequest, ValidationFailed
from apiary.core.identity import MAX_TEXT_LENGTH, text_problem

Model = TypeVar("Model", bound=BaseModel)

# Deeper documents are malformed: no API's body nests more than a few levels, and Python's parser
# (and every walk over its result) would otherwise recurse until it fails.
MAX_JSON_DEPTH = 32

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The bounds gunicorn.conf.py gives the request line and each header, applied by the app itself too, so that a
# longer one is refused in the owning API's dialect whichever server runs it.
MAX_QUERY_LENGTH = 4094
MAX_HEADER_LENGTH = 8190
# C0 controls but the tab, and DEL: no header (RFC 9110) or query value any API reads holds one. Narrower
# than core.identity.CONTROL_CHARACTER (a name's), since a header value may hold a tab.
HEADER_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

# The content types whose bodies are form fields (werkzeug parses both into request.form).
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
FORM_MIMETYPES = (URLENCODED, MULTIPART)

# How much of a body over the size limit is read, to find the names of its fields (see body_fields).
BODY_PREFIX_LENGTH = 64 * 1024
# What a scan of a cut JSON document stops at (a string, or a container's start or end), and what makes
# a string a key.
_JSON_STRUCTURE = re.compile(r'["{}\[\]]')
_JSON_KEY_END = re.compile(r"\s*:")
_JSON_DECODER = json.JSONDecoder()

# The validation context's key for whether a body's values are form fields (see sent_as_form).
_SENT_AS_FORM = "sent_as_form"

# What a route returns; spelled out because flask-openapi3 evaluates route annotations at import.
Reply: TypeAlias = BaseResponse | dict[str, Any] | list[Any] | str | tuple[dict[str, Any] | list[Any] | str, int]


class NoSessions(SessionInterface):
    """Apiary keeps no cookie sessions (a token says who calls), yet Flask's default interface builds a
    signing serializer on every request to look for one. This one hands Flask its read-only empty session."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin:
        return self.make_null_session(app)

    def save_session(self, app: Flask, session: SessionMixin, response: BaseResponse) -> None:
        """Nothing to save: the null session refuses every write."""


class QueryModel(BaseModel):
    """A query string's model. flask-openapi3 asks for its JSON schema on every request (to find the fields
    that take a list), and pydantic builds it anew each time, at a cost larger than the rest of a small
    request's parsing; the schema of a model never changes, so it is built once."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return copy.deepcopy(_json_schema(cls, args, tuple(sorted(kwargs.items()))))


@functools.cache
def _json_schema(model: type[QueryModel], args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    return BaseModel.model_json_schema.__func__(model, *args, **dict(kwargs))  # type: ignore[attr-defined]


RowId = Annotated[int, Field(ge=1, le=MAX_INTEGER)]
"""A row id in a request body: a positive integer that an INTEGER column can hold."""


class IdConverter(IntegerConverter):
    """`<id:name>`: a row id. A number too large for an INTEGER column becomes 0, an id no row has.

    Rejecting it instead would make werkzeug answer 405 for other methods, and before authentication.
    """

    def to_python(self, value: str) -> int:
        # Digits only (the rule's regex), so the length alone tells a number past MAX_INTEGER, and Python's
        # int() is never asked for one of its refused thousands of digits.
        digits = value.lstrip("0") or "0"
        if len(digits) > len(str(MAX_INTEGER)):
            return 0
        number = int(digits)
        return number if number <= MAX_INTEGER else 0


class StrictJSONProvider(DefaultJSONProvider):
    """Standard JSON only: NaN, Infinity and numbers too large for a float (1e999) are malformed, and so
    is a document nested deeper than MAX_JSON_DEPTH."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            document = json.loads(s, parse_constant=_refuse_constant, parse_float=_finite_float, **kwargs)
        except RecursionError:  # the parser gives up at the interpreter's recursion limit, cheaply
            raise ValueError("JSON nested too deeply") from None
        if _nesting_depth(document) > MAX_JSON_DEPTH:
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        return document


def _nesting_depth(document: Any) -> int:
    """How deep a parsed document's arrays and objects nest (up to one past the limit): level by level,
    without recursion."""
    depth = 0
    level = [document]
    while depth <= MAX_JSON_DEPTH:
        containers = [value for value in level if isinstance(value, dict | list)]
        if not containers:
            break
        depth += 1
        level = [item for value in containers for item in (value.values() if isinstance(value, dict) else value)]
    return depth


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large for a number")
    return number


def register_converters(app: Flask) -> None:
    """Let routes use `<id:...>`."""
    app.url_map.converters["id"] = IdConverter


def register_request_checks(app: Flask) -> None:
    """Refuse a query or header no API can take (a BadRequest, before authentication): one longer than its
    bound, or a value (or query name) with a control character."""

    @app.before_request
    def refuse_unreadable_query_and_headers() -> None:
        if len(request.query_string) > MAX_QUERY_LENGTH:
            raise BadRequest()
        query = [text for name, value in request.args.items(multi=True) for text in (name, value)]
        headers = [value for _, value in request.headers.items()]
        if any(len(value) > MAX_HEADER_LENGTH for value in headers):
            raise BadRequest()
        if any(HEADER_CONTROL_CHARACTER.search(text) for text in query + headers):
            raise BadRequest()


class TextTooLong(BadRequest):
    """A body whose one fault is a text longer than MAX_TEXT_LENGTH in the top-level `field`: a bad request
    like any body that cannot be stored, which an API may word as that field's own refusal."""

    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field


def read_body(*, form: bool) -> dict[str, Any] | None:
    """The body as a dict: JSON for a JSON content type, else, when `form`, its form fields ({} for an empty
    form or no body at all, so that the model names what is missing); None when it is malformed, not a JSON
    object, of another content type, or (without `form`) missing.

    Text no column can store is malformed too (BadRequest): a NUL character, a lone surrogate (not
    UTF-8), or a string longer than MAX_TEXT_LENGTH (TextTooLong, when that is all).
    """
    data = _parsed_body(form=form)
    if data is not None and not _storable(data):
        raise _refusal(data)
    return data


def _refusal(unstorable: dict[str, Any]) -> BadRequest:
    """TextTooLong naming the first top-level field whose text is too long, when nothing else keeps the
    body from being stored; BadRequest otherwise."""
    too_long = [key for key, value in unstorable.items() if isinstance(value, str) and len(value) > MAX_TEXT_LENGTH]
    rest = {key: value for key, value in unstorable.items() if key not in too_long}
    valid_texts = all(_storable_text(unstorable[key], limit=len(unstorable[key])) for key in too_long)
    if too_long and valid_texts and _storable(too_long) and _storable(rest):
        return TextTooLong(too_long[0])
    return BadRequest()


def body_fields(*, form: bool) -> set[str]:
    """The names of the body's fields, as read_body would read it, even when it would refuse their values.

    A body over the size limit is refused (413) without being read; its names are those its first
    BODY_PREFIX_LENGTH bytes show, as far as a cut body shows them.
    """
    if body_over_size_limit():
        prefix = request.environ["wsgi.input"].read(BODY_PREFIX_LENGTH)
        if request.is_json:
            return _top_level_keys(prefix.decode(errors="replace"))
        if form and request.mimetype == MULTIPART:
            return _multipart_names(prefix, boundary=request.mimetype_params.get("boundary", ""))
        if form and request.mimetype == URLENCODED:
            return _urlencoded_names(prefix)
        return set()
    return set(_parsed_body(form=form) or ())


def body_over_size_limit() -> bool:
    """Whether the body declares a length over MAX_CONTENT_LENGTH, which werkzeug refuses before reading it."""
    length, limit = request.content_length, request.max_content_length
    return length is not None and limit is not None and length > limit


def _top_level_keys(prefix: str) -> set[str]:
    """The keys of a cut JSON document's top-level object that the prefix shows whole; none if it is no object.

    A string inside the top-level object (one level deep) that a colon follows is a key; the scan stops at
    the first string cut short or malformed."""
    if not prefix.lstrip().startswith("{"):
        return set()
    keys: set[str] = set()
    depth = 0
    position = 0
    while found := _JSON_STRUCTURE.search(prefix, position):
        if found.group() != '"':
            depth += 1 if found.group() in "{[" else -1
            position = found.end()
            continue
        try:
            text, position = _JSON_DECODER.raw_decode(prefix, found.start())
        except ValueError:
            break
        if depth == 1 and _JSON_KEY_END.match(prefix, position):
            keys.add(text)
    return keys


def _urlencoded_names(prefix: bytes) -> set[str]:
    """The names of a cut form body: every pair's but a last one that may have been cut inside its name."""
    *pairs, last = prefix.split(b"&")
    if b"=" in last:
        pairs.append(last)
    return {name for name, _ in parse_qsl(b"&".join(pairs).decode(errors="replace"), keep_blank_values=True)}


def _multipart_names(prefix: bytes, *, boundary: str) -> set[str]:
    """The names of the (non-file) fields of a cut multipart body whose headers the prefix holds whole."""
    decoder = multipart.MultipartDecoder(boundary.encode())
    decoder.receive_data(prefix)
    names = set()
    try:
        while not isinstance(event := decoder.next_event(), multipart.NeedData | multipart.Epilogue):
            if isinstance(event, multipart.Field):
                names.add(event.name)
    except ValueError:  # not multipart after all
        pass
    return names


def _parsed_body(*, form: bool) -> dict[str, Any] | None:
    if request.is_json:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else None
    if not form or (request.mimetype not in FORM_MIMETYPES and request.get_data()):
        return None
    return request.form.to_dict()


def read_json() -> dict[str, Any] | None:
    """The JSON object the request carries, or None."""
    return read_body(form=False)


def _storable_text(text: str, *, limit: int = MAX_TEXT_LENGTH) -> bool:
    """Whether every database can store `text`: UTF-8, without NUL, at most `limit` long."""
    return "\x00" not in text and text_problem(text, limit=limit) is None


def _storable(document: Any) -> bool:
    """Whether every key and string in a parsed document is storable; a walk without recursion."""
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if not _storable_text(value):
                return False
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return True


def bounded(limit: int, *, name: bool = False) -> AfterValidator:
    """A pydantic check that a text fits its column (and, for a `name`, holds no control character)."""

    def check(text: str) -> str:
        if problem := text_problem(text, limit=limit, name=name):
            raise PydanticCustomError("text", problem)
        return text

    return AfterValidator(check)


def validate(model: type[Model], data: dict[str, Any]) -> Model:
    """`data` as a `model`, or ValidationFailed naming each bad field. The model's validators may ask
    `sent_as_form` whether the data are the request's form fields."""
    form = has_request_context() and not request.is_json
    try:
        return model.model_validate(data, context={_SENT_AS_FORM: form})
    except ValidationError as error:
        raise ValidationFailed.from_pydantic(error) from None


def sent_as_form(info: ValidationInfo) -> bool:
    """Whether the value being validated came as a form field, which is text whatever it stands for (a
    boolean's spelling, a number's digits), rather than as JSON, which has types of its own."""
    return bool(info.context and info.context.get(_SENT_AS_FORM))


def http_date(moment: datetime) -> str:
    """A stored (UTC) time as an HTTP date, `Wed, 02 Dec 2026 16:40:00 GMT`: werkzeug's `http_date` to the
    character, at half its cost, which a list of a thousand rows with two dates each pays 2,000 times.
    The names are spelled out because strftime's follow the locale."""
    return (
        f"{_WEEKDAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} {moment.year:04d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} GMT"
    )
