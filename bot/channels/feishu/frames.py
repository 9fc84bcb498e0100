"""The binary frame of Feishu's long connection (protobuf ``pbbp2.Frame``), read and written by hand.

The whole schema is two messages, so a generated module and the protobuf runtime are not worth
their weight (lark-oapi vendors both)::

    message Header { required string key = 1; required string value = 2; }
    message Frame  { required uint64 SeqID = 1; required uint64 LogID = 2; required int32 service = 3;
                     required int32 method = 4; repeated Header headers = 5;
                     optional string payload_encoding = 6; optional string payload_type = 7;
                     optional bytes payload = 8; optional string LogIDNew = 9; }

``method`` 0 is a control frame (ping/pong), 1 a data frame (an event or a card callback).
Unknown fields are skipped, as protobuf readers do; anything truncated or malformed raises
:class:`FrameError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CONTROL, DATA = 0, 1
_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5


class FrameError(ValueError):
    """Bytes that are not a well-formed frame."""


@dataclass
class Frame:
    seq_id: int = 0
    log_id: int = 0
    service: int = 0
    method: int = CONTROL
    headers: list[tuple[str, str]] = field(default_factory=list)
    payload_encoding: str | None = None
    payload_type: str | None = None
    payload: bytes | None = None
    log_id_new: str | None = None

    def header(self, key: str, default: str | None = None) -> str | None:
        """The value of the first header named ``key``."""
        for k, v in self.headers:
            if k == key:
                return v
        return default

    def encode(self) -> bytes:
        out = bytearray()
        _field_varint(out, 1, self.seq_id)
        _field_varint(out, 2, self.log_id)
        _field_varint(out, 3, self.service)
        _field_varint(out, 4, self.method)
        for key, value in self.headers:
            inner = bytearray()
            _field_bytes(inner, 1, key.encode())
            _field_bytes(inner, 2, value.encode())
            _field_bytes(out, 5, bytes(inner))
        for number, text in ((6, self.payload_encoding), (7, self.payload_type)):
            if text is not None:
                _field_bytes(out, number, text.encode())
        if self.payload is not None:
            _field_bytes(out, 8, self.payload)
        if self.log_id_new is not None:
            _field_bytes(out, 9, self.log_id_new.encode())
        return bytes(out)

    @classmethod
    def decode(cls, data: bytes) -> Frame:
        frame, seen = cls(), set()
        for number, value in _fields(data):
            seen.add(number)
            if number == 1:
                frame.seq_id = _uint(value, 64)
            elif number == 2:
                frame.log_id = _uint(value, 64)
            elif number == 3:
                frame.service = _int32(value)
            elif number == 4:
                frame.method = _int32(value)
            elif number == 5:
                frame.headers.append(_header(_as_bytes(value)))
            elif number == 6:
                frame.payload_encoding = _text(value)
            elif number == 7:
                frame.payload_type = _text(value)
            elif number == 8:
                frame.payload = _as_bytes(value)
            elif number == 9:
                frame.log_id_new = _text(value)
        missing = {1, 2, 3, 4} - seen
        if missing:
            raise FrameError(f"required fields missing: {sorted(missing)}")
        return frame


def _header(data: bytes) -> tuple[str, str]:
    key = value = None
    for number, raw in _fields(data):
        if number == 1:
            key = _text(raw)
        elif number == 2:
            value = _text(raw)
    if key is None or value is None:
        raise FrameError("header without key or value")
    return key, value


# -- wire format -----------------------------------------------------------------------------------
def _varint(out: bytearray, value: int) -> None:
    if value < 0:
        value += 1 << 64  # negative int32 is sign-extended to ten bytes
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def _field_varint(out: bytearray, number: int, value: int) -> None:
    _varint(out, number << 3 | _VARINT)
    _varint(out, value)


def _field_bytes(out: bytearray, number: int, value: bytes) -> None:
    _varint(out, number << 3 | _LEN)
    _varint(out, len(value))
    out += value


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise FrameError("truncated varint")
        if shift > 63:
            raise FrameError("varint too long")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes):
    pos, end = 0, len(data)
    while pos < end:
        key, pos = _read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise FrameError("field number 0")
        value: int | bytes
        if wire == _VARINT:
            value, pos = _read_varint(data, pos)
        elif wire == _LEN:
            size, pos = _read_varint(data, pos)
            if pos + size > end:
                raise FrameError("truncated field")
            value, pos = data[pos : pos + size], pos + size
        elif wire in (_I64, _I32):
            size = 8 if wire == _I64 else 4
            if pos + size > end:
                raise FrameError("truncated field")
            value, pos = int.from_bytes(data[pos : pos + size], "little"), pos + size
        else:
            raise FrameError(f"unsupported wire type {wire}")
        yield number, value


def _uint(value, bits: int) -> int:
    if not isinstance(value, int):
        raise FrameError("expected a number")
    return value & ((1 << bits) - 1)


def _int32(value) -> int:
    value = _uint(value, 32)
    return value - (1 << 32) if value >= 1 << 31 else value


def _as_bytes(value) -> bytes:
    if not isinstance(value, bytes):
        raise FrameError("expected bytes")
    return value


def _text(value) -> str:
    try:
        return _as_bytes(value).decode()
    except UnicodeDecodeError:
        raise FrameError("a string field that is not UTF-8") from None
