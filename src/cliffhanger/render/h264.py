"""H.264 bitstream work for held pictures: a frame that repeats the one before it costs a
few dozen bytes instead of a pass through the encoder.

Most of a drama's frames repeat the frame before them — a still camera between two mouth
shapes, a held freeze, the end card — yet libx264 analyses every one of them in full (about
10 ms a 1080×1920 frame on the reference machine, however little changed). Such a frame is
written here instead as a *skip picture*: a P picture whose every macroblock is P_Skip.
With every neighbour skipped, each macroblock's predicted motion is zero (ITU-T H.264
8.4.1.1), it has no residual and the deblocking filter is off for the slice, so a decoder
copies the reference picture exactly.

The encoder only sees the frames that differ. Its pictures are spliced between the skip
pictures by renumbering them: every picture here is a reference picture, so ``frame_num``
counts pictures since the IDR (and, for ``pic_order_cnt_type`` 0, the picture order count
follows it). Both are fixed-width fields near the start of the slice header, rewritten in
place. With one reference frame (libx264's fast presets), the decoder's only reference
before an encoder picture is the skip picture, which holds exactly the encoder's own
reconstruction of its previous picture, so the prediction is unchanged.

Only what our encoder writes is supported: progressive frames, one slice group, CABAC or
CAVLC, one reference; ``Params.parse`` refuses anything else (and the writer then encodes
every frame).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

# -- ITU-T H.264 Table 9-44 (rangeTabLPS by pStateIdx, qCodIRangeIdx) and 9-45 (transIdxLPS)
RANGE_LPS = (
    (128, 176, 208, 240), (128, 167, 197, 227), (128, 158, 187, 216), (123, 150, 178, 205),
    (116, 142, 169, 195), (111, 135, 160, 185), (105, 128, 152, 175), (100, 122, 144, 166),
    (95, 116, 137, 158), (90, 110, 130, 150), (85, 104, 123, 142), (81, 99, 117, 135),
    (77, 94, 111, 128), (73, 89, 105, 122), (69, 85, 100, 116), (66, 80, 95, 110),
    (62, 76, 90, 104), (59, 72, 86, 99), (56, 69, 81, 94), (53, 65, 77, 89),
    (51, 62, 73, 85), (48, 59, 69, 80), (46, 56, 66, 76), (43, 53, 63, 72),
    (41, 50, 59, 69), (39, 48, 56, 65), (37, 45, 54, 62), (35, 43, 51, 59),
    (33, 41, 48, 56), (32, 39, 46, 53), (30, 37, 43, 50), (29, 35, 41, 48),
    (27, 33, 39, 45), (26, 31, 37, 43), (24, 30, 35, 41), (23, 28, 33, 39),
    (22, 27, 32, 37), (21, 26, 30, 35), (20, 24, 29, 33), (19, 23, 27, 31),
    (18, 22, 26, 30), (17, 21, 25, 28), (16, 20, 23, 27), (15, 19, 22, 25),
    (14, 18, 21, 24), (14, 17, 20, 23), (13, 16, 19, 22), (12, 15, 18, 21),
    (12, 14, 17, 20), (11, 14, 16, 19), (11, 13, 15, 18), (10, 12, 15, 17),
    (10, 12, 14, 16), (9, 11, 13, 15), (9, 11, 12, 14), (8, 10, 12, 14),
    (8, 9, 11, 13), (7, 9, 11, 12), (7, 9, 10, 12), (7, 8, 10, 11),
    (6, 8, 9, 11), (6, 7, 9, 10), (6, 7, 8, 9), (2, 2, 2, 2),
)  # fmt: skip
TRANS_LPS = (
    0, 0, 1, 2, 2, 4, 4, 5, 6, 7, 8, 9, 9, 11, 11, 12,
    13, 13, 15, 15, 16, 16, 18, 18, 19, 19, 21, 21, 22, 22, 23, 24,
    24, 25, 26, 26, 27, 27, 28, 29, 29, 30, 30, 30, 31, 32, 32, 33,
    33, 33, 34, 34, 35, 35, 35, 36, 36, 36, 37, 37, 37, 38, 38, 63,
)  # fmt: skip
# (m, n) of mb_skip_flag's first context (ctxIdx 11) for cabac_init_idc 0, 1, 2 (Table 9-13)
SKIP_FLAG_INIT = ((23, 33), (22, 25), (29, 16))
HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}
SLICE_NON_IDR, SLICE_IDR, NAL_SPS, NAL_PPS = 1, 5, 7, 8


class Unsupported(ValueError):
    """A stream this module cannot splice pictures into (the caller encodes every frame)."""


# -- bits ------------------------------------------------------------------------------------


class BitReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def u(self, n: int) -> int:
        v = 0
        for _ in range(n):
            byte = self.data[self.pos >> 3]
            v = (v << 1) | ((byte >> (7 - (self.pos & 7))) & 1)
            self.pos += 1
        return v

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
            if zeros > 31:
                raise Unsupported("malformed Exp-Golomb code")
        return (1 << zeros) - 1 + self.u(zeros)

    def se(self) -> int:
        k = self.ue()
        return (k + 1) // 2 if k & 1 else -(k // 2)


class BitWriter:
    def __init__(self) -> None:
        self._bits: list[str] = []

    def u(self, n: int, value: int) -> None:
        if n:
            self._bits.append(format(value, f"0{n}b"))

    def ue(self, value: int) -> None:
        code = format(value + 1, "b")
        self._bits.append("0" * (len(code) - 1) + code)

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    @property
    def length(self) -> int:
        return sum(len(b) for b in self._bits)

    def align(self, bit: int) -> None:
        """Pad with ``bit`` to the next byte boundary."""
        self._bits.append(str(bit) * (-self.length % 8))

    def bytes(self) -> bytes:
        bits = "".join(self._bits)
        return int(bits, 2).to_bytes(len(bits) // 8, "big") if bits else b""


def unescape(nal: bytes) -> bytes:
    """A NAL unit's payload without its emulation prevention bytes (00 00 03 → 00 00)."""
    out, start = bytearray(), 0
    i = nal.find(b"\x00\x00\x03")
    while i >= 0:
        out += nal[start : i + 2]
        start = i + 3
        i = nal.find(b"\x00\x00\x03", start)
    return bytes(out + nal[start:]) if out else nal


def escape(rbsp: bytes) -> bytes:
    """Insert emulation prevention bytes: no 00 00 0x (x ≤ 3) inside a NAL unit."""
    out, start = bytearray(), 0
    i = rbsp.find(b"\x00\x00")
    while i >= 0:
        j = i + 2
        if j == len(rbsp) or rbsp[j] <= 3:  # (a NAL unit cannot end in 00 either)
            out += rbsp[start:j]
            out.append(3)
            start = j
            i = rbsp.find(b"\x00\x00", j)
        else:
            i = rbsp.find(b"\x00\x00", i + 1)
    return bytes(out + rbsp[start:]) if out else rbsp


# -- parameter sets --------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """What a slice header's layout depends on, from the stream's SPS and PPS."""

    length_size: int  # bytes of each NAL unit's length prefix in a sample; 0: Annex B
    sps_id: int
    pps_id: int
    log2_max_frame_num: int
    poc_type: int
    log2_max_poc_lsb: int
    chroma: bool  # ChromaArrayType ≠ 0
    macroblocks: int
    cabac: bool
    bottom_field_poc: bool
    weighted_pred: bool
    pic_init_qp: int
    deblocking_control: bool
    redundant_pic_cnt: bool

    @staticmethod
    def parse(extradata: bytes) -> Params:
        """From the stream's extradata: an MP4 avcC record, or the Annex B parameter sets
        an encoder gives before muxing (its samples are then Annex B too)."""
        if extradata.startswith((b"\x00\x00\x01", b"\x00\x00\x00\x01")):
            nals = split_annexb(extradata)
            spss = [n for n in nals if n and n[0] & 31 == NAL_SPS]
            ppss = [n for n in nals if n and n[0] & 31 == NAL_PPS]
            length_size = 0
        else:
            spss, ppss, length_size = _avcc_sets(extradata)
        if len(spss) != 1 or len(ppss) != 1:
            raise Unsupported("expected one SPS and one PPS")
        return _parse_sets(unescape(spss[0][1:]), unescape(ppss[0][1:]), length_size)


def _avcc_sets(avcc: bytes) -> tuple[list[bytes], list[bytes], int]:
    if len(avcc) < 7 or avcc[0] != 1:
        raise Unsupported("extradata is neither an avcC record nor Annex B")
    pos, spss, ppss = 6, [], []
    for _ in range(avcc[5] & 31):
        n = int.from_bytes(avcc[pos : pos + 2], "big")
        spss.append(avcc[pos + 2 : pos + 2 + n])
        pos += 2 + n
    for _ in range(avcc[pos]):
        n = int.from_bytes(avcc[pos + 1 : pos + 3], "big")
        ppss.append(avcc[pos + 3 : pos + 3 + n])
        pos += 2 + n
    return spss, ppss, (avcc[4] & 3) + 1


def split_annexb(data: bytes) -> list[bytes]:
    """The NAL units of an Annex B byte stream (start codes and zero bytes dropped)."""
    starts, i = [], data.find(b"\x00\x00\x01")
    while i >= 0:
        starts.append(i + 3)
        i = data.find(b"\x00\x00\x01", i + 3)
    ends = [s - 3 for s in starts[1:]] + [len(data)]
    return [data[a:b].rstrip(b"\x00") for a, b in zip(starts, ends, strict=True)]


def _sample(nals: list[bytes], length_size: int) -> bytes:
    """NAL units as one sample: length-prefixed, or Annex B when ``length_size`` is 0."""
    if not length_size:
        return b"".join(b"\x00\x00\x00\x01" + n for n in nals)
    return b"".join(len(n).to_bytes(length_size, "big") + n for n in nals)


def _nals(sample: bytes, length_size: int) -> list[bytes]:
    if not length_size:
        return split_annexb(sample)
    out, pos = [], 0
    while pos + length_size <= len(sample):
        n = int.from_bytes(sample[pos : pos + length_size], "big")
        out.append(sample[pos + length_size : pos + length_size + n])
        pos += length_size + n
    return out


def _parse_sets(sps: bytes, pps: bytes, length_size: int) -> Params:
    r = BitReader(sps)
    profile = r.u(8)
    r.u(16)  # constraint flags, level
    sps_id = r.ue()
    chroma_format = 1
    if profile in HIGH_PROFILES:
        chroma_format = r.ue()
        if chroma_format == 3 and r.u(1):
            raise Unsupported("separate colour planes")
        r.ue(), r.ue(), r.u(1)  # bit depths, qpprime_y_zero_transform_bypass
        if r.u(1):  # seq_scaling_matrix_present_flag
            for i in range(8 if chroma_format != 3 else 12):
                if r.u(1):
                    _skip_scaling_list(r, 16 if i < 6 else 64)
    log2_max_frame_num = r.ue() + 4
    poc_type = r.ue()
    log2_max_poc_lsb = 0
    if poc_type == 0:
        log2_max_poc_lsb = r.ue() + 4
    elif poc_type == 1:
        raise Unsupported("pic_order_cnt_type 1")
    max_refs = r.ue()
    r.u(1)  # gaps_in_frame_num_value_allowed_flag
    width_mbs, height_units = r.ue() + 1, r.ue() + 1
    if not r.u(1):
        raise Unsupported("interlaced coding")
    if max_refs > 1:
        raise Unsupported(f"{max_refs} reference frames")
    p = BitReader(pps)
    pps_id = p.ue()
    if p.ue() != sps_id:
        raise Unsupported("PPS refers to another SPS")
    cabac = bool(p.u(1))
    bottom_field_poc = bool(p.u(1))
    if p.ue() != 0:
        raise Unsupported("slice groups")
    p.ue(), p.ue()  # num_ref_idx_l0/l1_default_active_minus1 (overridden in our headers)
    weighted_pred = bool(p.u(1))
    p.u(2)
    pic_init_qp = 26 + p.se()
    p.se(), p.se()  # pic_init_qs, chroma_qp_index_offset
    deblocking_control = bool(p.u(1))
    p.u(1)  # constrained_intra_pred_flag
    redundant = bool(p.u(1))
    return Params(
        length_size=length_size,
        sps_id=sps_id,
        pps_id=pps_id,
        log2_max_frame_num=log2_max_frame_num,
        poc_type=poc_type,
        log2_max_poc_lsb=log2_max_poc_lsb,
        chroma=chroma_format != 0,
        macroblocks=width_mbs * height_units,
        cabac=cabac,
        bottom_field_poc=bottom_field_poc,
        weighted_pred=weighted_pred,
        pic_init_qp=pic_init_qp,
        deblocking_control=deblocking_control,
        redundant_pic_cnt=redundant,
    )


def _skip_scaling_list(r: BitReader, size: int) -> None:
    last = nxt = 8
    for _ in range(size):
        if nxt:
            nxt = (last + r.se() + 256) % 256
        last = nxt or last


# -- pictures --------------------------------------------------------------------------------


@dataclass
class Numbering:
    """Picture numbering since the last IDR picture, in decoding order."""

    params: Params
    index: int = 0  # pictures since the IDR (the IDR is 0)

    def frame_num(self) -> int:
        return self.index % (1 << self.params.log2_max_frame_num)

    def poc_lsb(self) -> int:
        return (2 * self.index) % (1 << self.params.log2_max_poc_lsb)


def skip_picture(params: Params, numbering: Numbering) -> bytes:
    """A P picture repeating the reference picture (every macroblock P_Skip), as one
    sample in the stream's format; advances ``numbering``."""
    w = BitWriter()
    w.u(8, 0x41)  # forbidden_zero_bit 0, nal_ref_idc 2, nal_unit_type 1 (non-IDR slice)
    w.ue(0)  # first_mb_in_slice
    w.ue(5)  # slice_type: P (every slice of the picture)
    w.ue(params.pps_id)
    w.u(params.log2_max_frame_num, numbering.frame_num())
    if params.poc_type == 0:
        w.u(params.log2_max_poc_lsb, numbering.poc_lsb())
        if params.bottom_field_poc:
            w.se(0)  # delta_pic_order_cnt_bottom
    if params.redundant_pic_cnt:
        w.ue(0)
    w.u(1, 1)  # num_ref_idx_active_override_flag
    w.ue(0)  # one reference picture
    w.u(1, 0)  # ref_pic_list_modification_flag_l0
    if params.weighted_pred:  # pred_weight_table: default weights
        w.ue(0)
        if params.chroma:
            w.ue(0)
        w.u(1, 0)
        if params.chroma:
            w.u(1, 0)
    w.u(1, 0)  # adaptive_ref_pic_marking_mode_flag: sliding window
    if params.cabac:
        w.ue(0)  # cabac_init_idc
    w.se(0)  # slice_qp_delta
    if params.deblocking_control:
        w.ue(1)  # disable_deblocking_filter_idc: off (an exact copy needs no filtering)
    if params.cabac:
        w.align(1)  # cabac_alignment_one_bit
        body = w.bytes() + _cabac_all_skipped(params.macroblocks, params.pic_init_qp, 0)
    else:
        w.ue(params.macroblocks)  # mb_skip_run: the whole picture
        w.u(1, 1)  # rbsp_stop_one_bit
        w.align(0)
        body = w.bytes()
    numbering.index += 1
    return _sample([escape(body)], params.length_size)


@functools.lru_cache(maxsize=8)
def _cabac_all_skipped(macroblocks: int, qp: int, init_idc: int) -> bytes:
    """The CABAC slice data of a P slice whose macroblocks are all skipped: per macroblock
    mb_skip_flag = 1 (its context increment is 0: no neighbour is coded) and
    end_of_slice_flag, the last one 1 (9.3.4). Ends byte-aligned, the stop bit included.
    The same for every such picture of a stream, so made once."""
    m, n = SKIP_FLAG_INIT[init_idc]
    pre = min(126, max(1, ((m * min(51, max(0, qp))) >> 4) + n))
    state, mps = (63 - pre, 0) if pre <= 63 else (pre - 64, 1)
    low, rng, outstanding, first = 0, 510, 0, True
    bits: list[int] = []

    def put(b: int) -> None:
        nonlocal first, outstanding
        if first:
            first = False
        else:
            bits.append(b)
        if outstanding:
            bits.extend([1 - b] * outstanding)
            outstanding = 0

    def renorm() -> None:
        nonlocal low, rng, outstanding
        while rng < 256:
            if low < 256:
                put(0)
            elif low >= 512:
                low -= 512
                put(1)
            else:
                low -= 256
                outstanding += 1
            rng <<= 1
            low <<= 1

    for i in range(macroblocks):
        lps = RANGE_LPS[state][(rng >> 6) & 3]  # mb_skip_flag = 1
        rng -= lps
        if mps != 1:
            low += rng
            rng = lps
            if state == 0:
                mps = 1 - mps
            state = TRANS_LPS[state]
        else:
            state = min(state + 1, 62)
        renorm()
        rng -= 2  # end_of_slice_flag
        if i < macroblocks - 1:
            renorm()
        else:
            low += rng  # flush
            rng = 2
            renorm()
            put((low >> 9) & 1)
            v = ((low >> 7) & 3) | 1
            bits.extend(((v >> 1) & 1, v & 1))  # the last 1 is rbsp_stop_one_bit
    bits.extend([0] * (-len(bits) % 8))
    return int("".join(map(str, bits)), 2).to_bytes(len(bits) // 8, "big")


def renumber(sample: bytes, params: Params, numbering: Numbering) -> tuple[bytes, bool]:
    """An encoder's picture (one sample, in the stream's format) with its slice headers
    renumbered to follow the pictures before it; advances ``numbering``. Returns
    the sample and whether the picture is an IDR picture (numbering restarts there)."""
    nals, idr, seen = [], False, False
    for nal in _nals(sample, params.length_size):
        kind = nal[0] & 31 if nal else 0
        if kind == SLICE_IDR:
            idr = seen = True
            numbering.index = 0
        elif kind == SLICE_NON_IDR:
            seen = True
            if (nal[0] >> 5) & 3 == 0:
                raise Unsupported("non-reference pictures")
            nals.append(_renumbered(nal, params, numbering))
            continue
        nals.append(nal)
    if seen:
        numbering.index += 1
    return _sample(nals, params.length_size), idr


def _renumbered(nal: bytes, params: Params, numbering: Numbering) -> bytes:
    rbsp = bytearray(unescape(nal))
    r = BitReader(bytes(rbsp))
    r.u(8)  # NAL header
    r.ue(), r.ue(), r.ue()  # first_mb_in_slice, slice_type, pic_parameter_set_id
    fields = [(r.pos, params.log2_max_frame_num, numbering.frame_num())]
    r.u(params.log2_max_frame_num)
    if params.poc_type == 0:
        fields.append((r.pos, params.log2_max_poc_lsb, numbering.poc_lsb()))
    for start, width, value in fields:
        for k in range(width):
            bit, at = (value >> (width - 1 - k)) & 1, start + k
            mask = 1 << (7 - (at & 7))
            rbsp[at >> 3] = (rbsp[at >> 3] | mask) if bit else (rbsp[at >> 3] & ~mask)
    return escape(bytes(rbsp))
