"""The long connection's protobuf frame, by hand: what lark-oapi writes reads back the same, and bytes
that are not a frame are refused with FrameError, never another exception."""

import random

import pytest

from bot.channels.feishu.frames import CONTROL, DATA, Frame, FrameError

pytestmark = pytest.mark.date_free

# lark-oapi 1.7.5's ping for service 7 (pbbp2_pb2.Frame.SerializeToString), byte for byte
LARK_PING = bytes.fromhex("0800100018072000" + "2a0c0a0474797065120470696e67")


def test_lark_ping_bytes_read_and_write_back_identically():
    frame = Frame.decode(LARK_PING)
    assert (frame.seq_id, frame.log_id, frame.service, frame.method) == (0, 0, 7, CONTROL)
    assert frame.headers == [("type", "ping")] and frame.payload is None
    assert Frame(service=7, headers=[("type", "ping")]).encode() == LARK_PING


def test_data_frame_round_trip_with_large_ids_negative_service_and_chinese():
    frame = Frame(
        seq_id=2**64 - 1,
        log_id=123456789012,
        service=-5,
        method=DATA,
        headers=[("type", "event"), ("message_id", "m1"), ("sum", "3"), ("seq", "2")],
        payload_type="json",
        payload='{"text":"小编"}'.encode(),
        log_id_new="abc",
    )
    assert Frame.decode(frame.encode()) == frame
    assert frame.header("sum") == "3" and frame.header("nope", "d") == "d"


@pytest.mark.parametrize(
    "raw",
    [
        b"",  # no required fields
        b"\x08",  # truncated varint
        b"\x08\x00\x10\x00\x18\x07",  # method missing
        b"\x08\x00\x10\x00\x18\x07\x20\x00\x2a\x05\x0a",  # header longer than the frame
        b"\x08\x00\x10\x00\x18\x07\x20\x00\x2a\x02\x0a\x00",  # header without value
        b"\x08" + b"\xff" * 11,  # varint too long
        b"\x0b",  # wire type 3 (groups) is not used
        b"\x08\x00\x10\x00\x18\x07\x20\x00\x32\x02\xff\xfe",  # payload_encoding not UTF-8
    ],
)
def test_malformed_frames_are_refused(raw):
    with pytest.raises(FrameError):
        Frame.decode(raw)


def test_random_bytes_give_a_frame_or_frame_error_only():
    rng = random.Random(14)
    valid = Frame(seq_id=9, service=3, method=DATA, headers=[("type", "event")], payload=b"{}").encode()
    for _ in range(3000):
        raw = bytearray(valid)
        for _ in range(rng.randint(1, 4)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        raw = bytes(raw[: rng.randint(0, len(raw))])
        try:
            Frame.decode(raw)
        except FrameError:
            pass
