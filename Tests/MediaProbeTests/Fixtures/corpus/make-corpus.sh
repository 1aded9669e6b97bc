#!/usr/bin/env bash
# Regenerates the MediaProbe test corpus (issue 3, point 5) and its expected.json.
#
#   bash make-corpus.sh        # needs ffmpeg, ffprobe, python3; writes only into this folder
#
# Every file is made from a synthetic source (lavfi color/testsrc/sine/anoisesrc with fixed
# parameters and seeds), with bitexact muxing/encoding, no metadata and single-threaded encoders,
# so two runs with the same ffmpeg build give byte-identical files. Another ffmpeg/libx264/libvpx/
# libmp3lame/libopus build may give different bytes and slightly different durations; the script
# re-measures everything with ffprobe and fails if a file no longer lands on the intended side of
# 2.0 s, drifts more than 0.1 s from its nominal duration, or grows beyond 64 KiB.
#
# File names: <container>[-<variant>]-<nominal seconds>.<ext>. The nominal duration is a target;
# the reference is the ffprobe value recorded in expected.json ("duration"; format.duration of
# `ffprobe -v error -show_entries format=duration -of json FILE`).
#
# Files made by patching ffmpeg output with python (see the PY program below):
#   mp4-mvhd-v1.mp4          mvhd rewritten from version 0 to version 1 (64-bit times/duration);
#                            its mdhd is version 1 natively (-video_track_timescale 2000000000).
#   mp4-largesize-2.0.mp4    the 8-byte 'free' + 32-bit 'mdat' header replaced by one 64-bit
#                            'mdat' header (size field 1 + largesize); sample offsets unchanged.
#   fmp4-mehd-2.5.mp4        fragmented, a 'mehd' (fragment_duration 2500 @ 1000) inserted into
#                            'mvex' (ffmpeg 5.1 never writes mehd); made with skip_trailer so no
#                            absolute offsets (mfra/tfra) need fixing; default-base-is-moof.
#   flv-no-metadata-*.flv    the onMetaData script tag (type 18) removed.
#   broken-*                 written by python from scratch or from ffmpeg output.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

for tool in ffmpeg ffprobe python3; do
    command -v "$tool" >/dev/null || { echo "make-corpus.sh: $tool is required" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Remove what an earlier run made (only the extensions this script writes).
rm -f -- *.mp4 *.mov *.m4v *.m4a *.3gp *.mkv *.webm *.avi *.flv *.ts *.mpg *.mp3 *.wav *.ogg \
         *.jpg *.png *.webp *.vtt *.srt *.bin expected.json

# ---------------------------------------------------------------------------------------------
# Python helpers (patching, broken files, expected.json). Run as: py <command> <args...>
# ---------------------------------------------------------------------------------------------
PY=$(cat <<'PYEOF'
import hashlib, json, os, re, struct, subprocess, sys

def rd(p):
    with open(p, 'rb') as f:
        return f.read()

def wr(p, b):
    with open(p, 'wb') as f:
        f.write(b)

def prng(seed, n):
    """Deterministic bytes independent of the Python version: SHA-256 in counter mode."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(seed + struct.pack('>Q', i)).digest()
        i += 1
    return bytes(out[:n])

def boxes(d, start, end):
    """Top-level ISO BMFF boxes in d[start:end] as (offset, size, header_size, type)."""
    res, p = [], start
    while p + 8 <= end:
        size, typ = struct.unpack('>I4s', d[p:p + 8])
        hdr = 8
        if size == 1:
            size, hdr = struct.unpack('>Q', d[p + 8:p + 16])[0], 16
        elif size == 0:
            size = end - p
        if size < hdr:
            raise SystemExit('bad box at %d' % p)
        res.append((p, size, hdr, typ))
        p += size
    return res

def find(d, path, start=0, end=None):
    """Offset/size/header of the first box along a path like [b'moov', b'mvhd']."""
    end = len(d) if end is None else end
    for (p, size, hdr, typ) in boxes(d, start, end):
        if typ == path[0]:
            if len(path) == 1:
                return p, size, hdr
            return find(d, path[1:], p + hdr, p + size)
    raise SystemExit('box %r not found' % (path,))

def set_size32(b, off, delta):
    size = struct.unpack('>I', b[off:off + 4])[0]
    b[off:off + 4] = struct.pack('>I', size + delta)

def mvhd_v1(src, dst):
    """Rewrite mvhd version 0 -> version 1 (moov must come after mdat: no chunk offsets move)."""
    d = bytearray(rd(src))
    moov, _, _ = find(d, [b'moov'])
    mdat, _, _ = find(d, [b'mdat'])
    assert moov > mdat, 'mvhd_v1 needs moov after mdat'
    p, size, hdr = find(d, [b'moov', b'mvhd'])
    body = d[p + hdr:p + size]
    assert body[0] == 0 and size == 108
    ctime, mtime, scale, dur = struct.unpack('>IIII', body[4:20])
    nb = bytes([1]) + body[1:4] + struct.pack('>QQIQ', ctime, mtime, scale, dur) + body[20:]
    d[p:p + size] = struct.pack('>I4s', 8 + len(nb), b'mvhd') + nb
    set_size32(d, moov, len(nb) + 8 - size)
    wr(dst, d)

def largesize(src, dst):
    """Replace 'free'(8) + 'mdat'(32-bit size) with one 'mdat' with a 64-bit size."""
    d = bytearray(rd(src))
    mdat, size, hdr = find(d, [b'mdat'])
    assert hdr == 8 and d[mdat - 8:mdat] == b'\x00\x00\x00\x08free', 'need free box right before mdat'
    d[mdat - 8:mdat + 8] = struct.pack('>I4sQ', 1, b'mdat', size + 8)
    wr(dst, d)

def insert_mehd(src, dst, duration):
    """Insert a version-0 mehd as first child of moov/mvex; file must have no absolute offsets."""
    d = bytearray(rd(src))
    assert b'mfra' not in [t for (_, _, _, t) in boxes(d, 0, len(d))], 'needs skip_trailer'
    moov, _, _ = find(d, [b'moov'])
    mvex, _, hdr = find(d, [b'moov', b'mvex'])
    mehd = struct.pack('>I4sII', 16, b'mehd', 0, duration)
    d[mvex + hdr:mvex + hdr] = mehd
    set_size32(d, mvex, 16)
    set_size32(d, moov, 16)
    wr(dst, d)

def flv_strip_meta(src, dst):
    d = rd(src)
    assert d[:3] == b'FLV'
    hlen = struct.unpack('>I', d[5:9])[0]
    out, p = bytearray(d[:hlen + 4]), hlen + 4
    removed = 0
    while p + 11 <= len(d):
        size = int.from_bytes(d[p + 1:p + 4], 'big')
        tag = d[p:p + 11 + size + 4]
        if d[p] == 18:
            removed += 1
        else:
            out += tag
        p += 11 + size + 4
    assert removed == 1 and p == len(d)
    wr(dst, out)

def truncate(src, dst, fraction):
    d = rd(src)
    moov, _, _ = find(d, [b'moov'])
    cut = int(len(d) * fraction)
    assert cut <= moov, 'truncation must remove the whole moov (cut %d, moov at %d)' % (cut, moov)
    wr(dst, d[:cut])

def ftyp():
    return struct.pack('>I4s4sI4s4s', 24, b'ftyp', b'isom', 0x200, b'isom', b'mp41')

def broken(kind, dst):
    if kind == 'empty':
        wr(dst, b'')
    elif kind == 'random':
        b = prng(b'MediaProbe broken-random', 4096)
        # must not start like any signature a prober might accept
        assert b[0] != 0xFF and b[:3] != b'ID3' and b[4:8] != b'ftyp'
        wr(dst, b)
    elif kind == 'past-end':
        # ftyp, then 'moov' whose 32-bit size (1 MiB) points far past the end of the 80-byte file;
        # inside it the start of an 'mvhd' that is itself cut short.
        mvhd_start = struct.pack('>I4sB3sIII', 108, b'mvhd', 0, b'\0\0\0', 0, 0, 1000)
        wr(dst, ftyp() + struct.pack('>I4s', 1 << 20, b'moov') + mvhd_start + b'\0' * (48 - len(mvhd_start)))
    elif kind == 'loop':
        # ftyp, then 'moov' with size 1 (= 64-bit size follows) and largesize 8, smaller than
        # its own 16-byte header. A reader that adds 8 lands on the largesize field, which reads
        # as size 0 / type 00 00 00 08; one that adds the size 0 stands still. Then zeros.
        wr(dst, ftyp() + struct.pack('>I4sQ', 1, b'moov', 8) + b'\0' * 64)
    elif kind == 'zero-child':
        # ftyp, a well-sized 'moov' whose only child is a 'trak' with size 0, followed by a
        # 'mdia' header: size 0 is only meaningful for the last top-level box; inside a parent
        # a naive walker (pos += size) never advances.
        inner = struct.pack('>I4s', 0, b'trak') + struct.pack('>I4s', 8, b'mdia') + b'\0' * 16
        wr(dst, ftyp() + struct.pack('>I4s', 8 + len(inner), b'moov') + inner)
    elif kind == 'ebml-huge':
        def el(id_bytes, payload):
            n = len(payload)
            assert n < 127
            return id_bytes + bytes([0x80 | n]) + payload
        header = el(bytes.fromhex('4286'), b'\x01') + el(bytes.fromhex('42f7'), b'\x01') + \
                 el(bytes.fromhex('42f2'), b'\x04') + el(bytes.fromhex('42f3'), b'\x08') + \
                 el(bytes.fromhex('4282'), b'matroska') + el(bytes.fromhex('4287'), b'\x04') + \
                 el(bytes.fromhex('4285'), b'\x02')
        ebml = bytes.fromhex('1a45dfa3') + bytes([0x80 | len(header)]) + header
        huge = bytes.fromhex('01fffffffffffffe')          # 8-byte vint: 2^56 - 2 bytes (not "unknown")
        segment = bytes.fromhex('18538067') + huge
        info = bytes.fromhex('1549a966') + huge            # Segment Info claiming 2^56 - 2 bytes
        wr(dst, ebml + segment + info + prng(b'MediaProbe broken-ebml-huge', 256))
    else:
        raise SystemExit('unknown broken kind ' + kind)

def ffprobe_duration(path):
    out = subprocess.run(['ffprobe', '-v', 'error', '-show_entries', 'format=duration', '-of', 'json', path],
                         capture_output=True, text=True)
    try:
        v = json.loads(out.stdout or '{}').get('format', {}).get('duration')
        return float(v) if v not in (None, 'N/A') else None
    except ValueError:
        return None

def ffprobe_packets_duration(path):
    """End of the last packet minus start of the first (for files without format.duration)."""
    out = subprocess.run(['ffprobe', '-v', 'error', '-show_entries', 'packet=pts_time,duration_time',
                          '-of', 'json', path], capture_output=True, text=True)
    pk = [p for p in json.loads(out.stdout).get('packets', []) if p.get('pts_time') not in (None, 'N/A')]
    if not pk:
        return None
    first = min(float(p['pts_time']) for p in pk)
    last = max(float(p['pts_time']) + float(p.get('duration_time', 0) or 0) for p in pk)
    return round(last - first, 6)

# ffprobe's format_name for each container name of expected.json (checked for every readable file)
FORMAT_NAMES = {'mp4': 'mov,mp4', 'mov': 'mov,mp4', 'm4a': 'mov,mp4', '3gp': 'mov,mp4',
                'matroska': 'matroska,webm', 'webm': 'matroska,webm', 'avi': 'avi', 'flv': 'flv',
                'mpegts': 'mpegts', 'mpegps': 'mpeg', 'mp3': 'mp3', 'wav': 'wav', 'ogg': 'ogg',
                'jpeg': 'jpeg_pipe', 'png': 'png_pipe', 'webp': 'webp_pipe', 'webvtt': 'webvtt',
                'srt': 'srt'}

def ffprobe_format_name(path):
    out = subprocess.run(['ffprobe', '-v', 'error', '-show_entries', 'format=format_name', '-of', 'json', path],
                         capture_output=True, text=True)
    try:
        return json.loads(out.stdout or '{}').get('format', {}).get('format_name')
    except ValueError:
        return None

def expected(manifest, dst):
    entries, errors = [], []
    for line in open(manifest):
        name, container, kind, probe = line.split()
        size = os.path.getsize(name)
        if size > 64 * 1024:
            errors.append('%s is %d bytes (> 64 KiB)' % (name, size))
        e = {'file': name, 'container': container, 'kind': kind, 'duration': None, 'atLeast2s': None,
             'size': size}
        if kind not in ('unknown', 'unreadable'):
            fmt = ffprobe_format_name(name)
            if fmt is None or not fmt.startswith(FORMAT_NAMES[container]):
                errors.append('%s: ffprobe reads it as %r, expected %s' % (name, fmt, FORMAT_NAMES[container]))
        if probe == 'yes':
            dur = ffprobe_duration(name)
            ref = dur
            if dur is None:
                ref = ffprobe_packets_duration(name)
                e['packetsDuration'] = ref
                e['note'] = 'ffprobe format.duration is N/A; packetsDuration = last packet end - first pts'
            if ref is None:
                errors.append('%s: ffprobe found no duration' % name)
            else:
                e['duration'] = dur
                e['atLeast2s'] = ref >= 2.0
                m = re.search(r'-(\d+(?:\.\d+)?)\.[a-z0-9]+$', name)
                if m:
                    nominal = float(m.group(1))
                    if (ref >= 2.0) != (nominal >= 2.0):
                        errors.append('%s: ffprobe %.6f is on the wrong side of 2 s' % (name, ref))
                    if abs(ref - nominal) > 0.1:
                        errors.append('%s: ffprobe %.6f is far from nominal %s' % (name, ref, nominal))
        entries.append(e)
    names = {e['file'] for e in entries}
    stray = sorted(set(os.listdir('.')) - names - {'make-corpus.sh', 'README.md', 'expected.json'})
    if stray:
        errors.append('files not in the manifest: %s' % ', '.join(stray))
    if errors:
        raise SystemExit('make-corpus.sh:\n  ' + '\n  '.join(errors))
    entries.sort(key=lambda e: e['file'])
    with open(dst, 'w') as f:
        f.write('[\n' + ',\n'.join('  ' + json.dumps(e) for e in entries) + '\n]\n')

cmd, args = sys.argv[1], sys.argv[2:]
if cmd == 'mvhd-v1': mvhd_v1(*args)
elif cmd == 'largesize': largesize(*args)
elif cmd == 'insert-mehd': insert_mehd(args[0], args[1], int(args[2]))
elif cmd == 'flv-strip-meta': flv_strip_meta(*args)
elif cmd == 'truncate': truncate(args[0], args[1], float(args[2]))
elif cmd == 'broken': broken(*args)
elif cmd == 'expected': expected(*args)
else: raise SystemExit('unknown command ' + cmd)
PYEOF
)
py() { python3 -c "$PY" "$@"; }

# ---------------------------------------------------------------------------------------------
# Manifest: file, container name for expected.json, kind, whether ffprobe's duration is recorded.
# ---------------------------------------------------------------------------------------------
manifest="$tmp/manifest"
: >"$manifest"
add() { [[ -f "$1" ]] || { echo "make-corpus.sh: $1 was not produced" >&2; exit 1; }
        echo "$1 $2 $3 ${4:-yes}" >>"$manifest"; }

# Common output options: no metadata/chapters, bitexact muxer and encoder, one encoder thread.
BX=(-fflags +bitexact -flags +bitexact -map_metadata -1 -map_chapters -1 -threads 1)
# H.264 without B-frames, without x264's SEI (its ~600-byte settings string). One keyframe
# unless a later -g on the same command line asks for more (the last -g wins).
H264=(-c:v libx264 -preset veryslow -crf 45 -pix_fmt yuv420p -g 250
      -x264-params bframes=0:scenecut=0 -bsf:v filter_units=remove_types=6)
VP8=(-c:v libvpx -b:v 20k -g 250 -auto-alt-ref 0)

# vid OUT FPS FRAMES [ffmpeg output options...]: 16x16 flat-colour video.
vid() { local out=$1 fps=$2 n=$3; shift 3
        ffmpeg -nostdin -v error -y -f lavfi -i "color=c=0x3060a0:size=16x16:rate=$fps" \
               -frames:v "$n" "${BX[@]}" "$@" "$out"; }
# tvid OUT SIZE FPS FRAMES [options...]: moving test pattern (for codecs that need real change).
tvid() { local out=$1 size=$2 fps=$3 n=$4; shift 4
         ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=$size:rate=$fps" \
                -frames:v "$n" "${BX[@]}" "$@" "$out"; }
# aud OUT RATE SECONDS [options...]: mono 440 Hz sine.
aud() { local out=$1 rate=$2 secs=$3; shift 3
        ffmpeg -nostdin -v error -y -f lavfi -i "sine=frequency=440:sample_rate=$rate:duration=$secs" \
               "${BX[@]}" "$@" "$out"; }

# Nominal duration -> frame rate and frame count. 1.96 and 2.04 need 1/25 s resolution.
DURS=(1.0 1.96 2.0 2.04 3.5)
declare -A FPS=([1.0]=5 [1.96]=25 [2.0]=5 [2.04]=25 [3.5]=4)
declare -A FRAMES=([1.0]=5 [1.96]=49 [2.0]=10 [2.04]=51 [3.5]=14)

# ---------------------------------------------------------------------------------------------
# Video containers at the five durations
# ---------------------------------------------------------------------------------------------
for d in "${DURS[@]}"; do
    r=${FPS[$d]} n=${FRAMES[$d]}
    vid "mp4-$d.mp4"  "$r" "$n" "${H264[@]}" -f mp4;                    add "mp4-$d.mp4"  mp4 video
    vid "mov-$d.mov"  "$r" "$n" "${H264[@]}" -f mov;                    add "mov-$d.mov"  mov video
    vid "m4v-$d.m4v"  "$r" "$n" "${H264[@]}" -f ipod;                   add "m4v-$d.m4v"  mp4 video
    vid "3gp-$d.3gp"  "$r" "$n" "${H264[@]}" -f 3gp;                    add "3gp-$d.3gp"  3gp video
    vid "mkv-$d.mkv"  "$r" "$n" "${H264[@]}" -f matroska;               add "mkv-$d.mkv"  matroska video
    vid "webm-$d.webm" "$r" "$n" "${VP8[@]}" -f webm;                   add "webm-$d.webm" webm video
    vid "avi-$d.avi"  "$r" "$n" "${H264[@]}" -f avi -reserve_index_space 64; add "avi-$d.avi" avi video
    vid "flv-$d.flv"  "$r" "$n" "${H264[@]}" -f flv;                    add "flv-$d.flv"  flv video
done
# MPEG-TS: one 188-byte packet per frame at least. ffprobe only recognises a transport stream of
# 10 or more packets (2040+ bytes), so 1.0 s uses 10 fps; PAT/PMT/SDT are written once.
declare -A TS_FPS=([1.0]=10 [1.96]=25 [2.0]=5 [2.04]=25 [3.5]=4)
declare -A TS_FRAMES=([1.0]=10 [1.96]=49 [2.0]=10 [2.04]=51 [3.5]=14)
for d in "${DURS[@]}"; do
    vid "ts-$d.ts" "${TS_FPS[$d]}" "${TS_FRAMES[$d]}" "${H264[@]}" -f mpegts -pat_period 100 -sdt_period 100
    add "ts-$d.ts" mpegts video
done

# MPEG program stream: MPEG-1 video only allows standard frame rates (25 fps here). A moving
# pattern and 64-byte packs keep about one frame per PES so the PTS near the end are the last
# frames' (with tiny frames the muxer packs several frames into one PES and ffprobe under-reports).
# 3.5 s is 88 frames: ffprobe reports 3.52 (87.5 frames do not exist; 84 at 24 fps gave 3.458).
declare -A MPG_FPS=([1.0]=25 [1.96]=25 [2.0]=25 [2.04]=25 [3.5]=25)
declare -A MPG_FRAMES=([1.0]=25 [1.96]=49 [2.0]=50 [2.04]=51 [3.5]=88)
for d in "${DURS[@]}"; do
    tvid "mpg-$d.mpg" 16x16 "${MPG_FPS[$d]}" "${MPG_FRAMES[$d]}" \
         -c:v mpeg1video -q:v 31 -g 12 -f mpeg -packetsize 64
    add "mpg-$d.mpg" mpegps video
done

# ---------------------------------------------------------------------------------------------
# Audio containers at the five durations
# ---------------------------------------------------------------------------------------------
for d in "${DURS[@]}"; do
    aud "m4a-$d.m4a" 8000 "$d" -c:a aac -b:a 8k -f ipod;            add "m4a-$d.m4a" m4a audio
    aud "wav-$d.wav" 2000 "$d" -c:a pcm_u8 -f wav;                  add "wav-$d.wav" wav audio
    aud "ogg-$d.ogg" 8000 "$d" -c:a libopus -b:a 6k -f ogg;         add "ogg-$d.ogg" ogg audio
done

# MP3, 16 kHz mono (MPEG-2 layer III, 576 samples = 36 ms per frame): durations come in 36 ms
# steps, so the source lengths below are picked so that ffprobe lands at 1.008, 1.980, 2.016,
# 2.052 and 3.492 s.
#  mp3-<d>.mp3       CBR 8 kb/s, no Xing/Info frame, no ID3: ffprobe estimates from size/bitrate.
#  mp3-xing-<d>.mp3  VBR (-q:a 9) with a Xing header + LAME tag: a 0.3 s pink-noise burst (seeded)
#                    then a sine, so the first frames are much larger than the rest and a
#                    bitrate estimate from the first frame is wrong; the Xing frame count is right.
declare -A MP3_CBR_SRC=([1.0]=0.92 [1.96]=1.89 [2.0]=1.93 [2.04]=1.97 [3.5]=3.41)
declare -A MP3_VBR_SINE=([1.0]=0.62 [1.96]=1.59 [2.0]=1.63 [2.04]=1.67 [3.5]=3.11)
for d in "${DURS[@]}"; do
    aud "mp3-$d.mp3" 16000 "${MP3_CBR_SRC[$d]}" -c:a libmp3lame -b:a 8k -write_xing 0 -id3v2_version 0 -f mp3
    add "mp3-$d.mp3" mp3 audio
    ffmpeg -nostdin -v error -y -filter_complex \
        "anoisesrc=d=0.3:c=pink:r=16000:a=0.5:seed=7[n];sine=f=440:r=16000:d=${MP3_VBR_SINE[$d]}[s];[n][s]concat=n=2:v=0:a=1" \
        "${BX[@]}" -c:a libmp3lame -q:a 9 -id3v2_version 0 -f mp3 "mp3-xing-$d.mp3"
    add "mp3-xing-$d.mp3" mp3 audio
done
# CBR with an ID3v2.4 tag in front (a reader must skip it before looking for frames).
aud mp3-id3-2.0.mp3 16000 1.93 -c:a libmp3lame -b:a 8k -write_xing 0 -id3v2_version 4 \
    -metadata title="MediaProbe corpus" -f mp3
add mp3-id3-2.0.mp3 mp3 audio

# ---------------------------------------------------------------------------------------------
# Extra ISO BMFF cases
# ---------------------------------------------------------------------------------------------
# moov after mdat (ffmpeg's default) and the same stream with +faststart (moov first).
tvid mp4-moov-after-mdat-2.04.mp4 32x32 25 51 "${H264[@]}" -crf 35 -f mp4
add  mp4-moov-after-mdat-2.04.mp4 mp4 video
tvid mp4-faststart-2.04.mp4 32x32 25 51 "${H264[@]}" -crf 35 -movflags +faststart -f mp4
add  mp4-faststart-2.04.mp4 mp4 video

# mvhd version 1: ffmpeg writes mvhd v1 only past 2^32 ticks of 1/1000 s, so it is patched.
# -video_track_timescale 2000000000 makes the track's mdhd version 1 natively (7e9 ticks).
vid "$tmp/v1.mp4" 4 14 "${H264[@]}" -video_track_timescale 2000000000 -f mp4
py mvhd-v1 "$tmp/v1.mp4" mp4-mvhd-v1.mp4
add mp4-mvhd-v1.mp4 mp4 video

# 64-bit box size: mdat rewritten with size=1 + largesize (the 'free' box before it makes room).
vid "$tmp/ls.mp4" 5 10 "${H264[@]}" -f mp4
py largesize "$tmp/ls.mp4" mp4-largesize-2.0.mp4
add mp4-largesize-2.0.mp4 mp4 video

# Audio + video with different track lengths: video 1.0 s is the first track, AAC audio 2.04 s
# the second; mvhd (and ffprobe) say 2.04, the first track alone says 1.0.
ffmpeg -nostdin -v error -y -f lavfi -i "color=c=0x3060a0:size=16x16:rate=5:duration=1" \
       -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=2.04" \
       -map 0:v -map 1:a "${BX[@]}" "${H264[@]}" -c:a aac -b:a 8k -f mp4 mp4-av-2.04.mp4
add mp4-av-2.04.mp4 mp4 video

# Fragmented MP4: empty moov (mvhd duration 0), one fragment per keyframe, default-base-is-moof.
FRAG=(-movflags frag_keyframe+empty_moov+default_base_moof)
vid fmp4-2.5.mp4 10 25 "${H264[@]}" -g 10 "${FRAG[@]}" -f mp4;  add fmp4-2.5.mp4 mp4 video
vid fmp4-1.96.mp4 25 49 "${H264[@]}" -g 25 "${FRAG[@]}" -f mp4; add fmp4-1.96.mp4 mp4 video
vid fmp4-2.04.mp4 25 51 "${H264[@]}" -g 25 "${FRAG[@]}" -f mp4; add fmp4-2.04.mp4 mp4 video
# ... and one with a mehd box (inserted by python: ffmpeg 5.1 does not write mehd).
vid "$tmp/frag.mp4" 10 25 "${H264[@]}" -g 10 -movflags frag_keyframe+empty_moov+default_base_moof+skip_trailer -f mp4
py insert-mehd "$tmp/frag.mp4" fmp4-mehd-2.5.mp4 2500
add fmp4-mehd-2.5.mp4 mp4 video

# ---------------------------------------------------------------------------------------------
# Extra Matroska/WebM, FLV, WAV, Ogg cases
# ---------------------------------------------------------------------------------------------
# Live WebM: no Duration in Segment Info, no Cues. ffprobe has no format.duration for it, so
# expected.json carries packetsDuration (last packet end - first pts) and atLeast2s from that.
# 40 fps, so the last block's timecode (2.475) is within 25 ms of the end even without adding
# the track's DefaultDuration.
vid webm-live-2.5.webm 40 100 "${VP8[@]}" -g 40 -live 1 -f webm
add webm-live-2.5.webm webm video

# FLV without the onMetaData tag: ffprobe then takes the last tag's timestamp (no frame length
# added, so 1.92 and 2.00 for 49 and 51 frames at 25 fps).
for d in 1.96 2.04; do
    py flv-strip-meta "flv-$d.flv" "flv-no-metadata-$d.flv"
    add "flv-no-metadata-$d.flv" flv video
done

# WAV with a LIST/INFO chunk before the data chunk.
aud wav-list-2.0.wav 2000 2.0 -c:a pcm_u8 -metadata title="MediaProbe corpus" -f wav
add wav-list-2.0.wav wav audio

# Ogg Vorbis, and Ogg Theora video (Theora needs at least 32x32 and changing pictures: libtheora
# drops repeated frames and the last granule then undercounts).
aud ogg-vorbis-2.0.ogg 8000 2.0 -c:a libvorbis -b:a 8k -f ogg;  add ogg-vorbis-2.0.ogg ogg audio
tvid ogg-theora-1.96.ogg 32x32 25 49 -c:v libtheora -q:v 0 -g 250 -f ogg; add ogg-theora-1.96.ogg ogg video
tvid ogg-theora-2.04.ogg 32x32 25 51 -c:v libtheora -q:v 0 -g 250 -f ogg; add ogg-theora-2.04.ogg ogg video

# ---------------------------------------------------------------------------------------------
# Images and text tracks (no duration)
# ---------------------------------------------------------------------------------------------
tvid image.jpg 16x16 1 1 -q:v 10 -f image2 -c:v mjpeg;           add image.jpg jpeg image no
tvid image.png 16x16 1 1 -f image2 -c:v png;                     add image.png png image no
tvid image.webp 16x16 1 1 -c:v libwebp -quality 50 -f webp;      add image.webp webp image no

cat >captions.vtt <<'EOF'
WEBVTT

00:00:00.000 --> 00:00:01.500
Hello from the MediaProbe corpus.

00:00:01.500 --> 00:00:03.000
Second cue, <i>in italics</i>.
EOF
add captions.vtt webvtt text-track no

cat >captions.srt <<'EOF'
1
00:00:00,000 --> 00:00:01,500
Hello from the MediaProbe corpus.

2
00:00:01,500 --> 00:00:03,000
Second cue, <i>in italics</i>.
EOF
add captions.srt srt text-track no

# Same SRT with a UTF-8 byte order mark and CRLF line ends, as many editors write them.
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' captions.srt; } >captions-bom-crlf.srt
add captions-bom-crlf.srt srt text-track no

cat >not-video.mp4 <<'EOF'
This is not a video. It is a plain text file whose name ends in .mp4,
so a prober must look at the content and answer "unknown".
EOF
add not-video.mp4 unknown unknown no

# ---------------------------------------------------------------------------------------------
# Broken files
# ---------------------------------------------------------------------------------------------
py broken empty broken-empty.mp4;              add broken-empty.mp4 unknown unknown no
py broken random broken-random.bin;            add broken-random.bin unknown unknown no
# First 60 % of an MP4 whose moov is at the end: the mdat header claims bytes that are gone
# and there is no moov at all.
tvid "$tmp/trunc.mp4" 32x32 25 51 "${H264[@]}" -crf 30 -f mp4
py truncate "$tmp/trunc.mp4" broken-truncated.mp4 0.6
add broken-truncated.mp4 mp4 unreadable no
py broken past-end broken-box-past-end.mp4;    add broken-box-past-end.mp4 mp4 unreadable no
py broken loop broken-box-loop.mp4;            add broken-box-loop.mp4 mp4 unreadable no
py broken zero-child broken-box-zero-child.mp4; add broken-box-zero-child.mp4 mp4 unreadable no
py broken ebml-huge broken-ebml-huge.mkv;      add broken-ebml-huge.mkv matroska unreadable no

# ---------------------------------------------------------------------------------------------
py expected "$manifest" expected.json
echo "make-corpus.sh: $(wc -l <"$manifest") files, $(du -sh . | cut -f1) in $(pwd)"
