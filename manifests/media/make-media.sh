#!/usr/bin/env bash
# Regenerates the demo media that the example manifests in manifests/ point at: three small videos
# (H.264 + AAC in MP4, moov before mdat), a JPEG thumbnail per video, an account logo (PNG) and, for
# manifests/broken.yaml, a 1 s clip that is under the 2 s minimum.
#
#   manifests/media/make-media.sh          # needs ffmpeg (apt-get install -y ffmpeg); jwingest does not
#
# Only this script needs ffmpeg. The files it makes are committed, so nobody else has to run it.
# The text tracks (*.vtt, *.srt) and fake-thumbnail.jpg (plain text on purpose: content sniffing must
# refuse it as an image) are written by hand and are not touched here.
#
# Every source is a deterministic lavfi generator (fixed seeds), encoded on one thread with the bitexact
# flags and without metadata, so a rerun with the same ffmpeg/x264 gives the same bytes. Another x264
# version may encode differently; the durations and sizes stay the same.
set -euo pipefail
cd "$(dirname "$0")"

ff=(ffmpeg -hide_banner -loglevel error -nostdin -y)
# Muxer and encoder flags that keep versions, dates and tags out of the files.
exact=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)
# Tiny on purpose: 64x36, 5 fps, high CRF, 16 kb/s mono AAC; a few KiB to some tens of KiB per file.
video=(-c:v libx264 -preset medium -crf 40 -g 25 -pix_fmt yuv420p -threads 1)
audio=(-c:a aac -b:a 16k -ac 1 -ar 22050)

# video NAME SECONDS VIDEO-SOURCE AUDIO-FREQUENCY-HZ
video() {
    "${ff[@]}" \
        -f lavfi -i "$3" \
        -f lavfi -i "sine=frequency=$4:sample_rate=22050" \
        -t "$2" -map 0:v -map 1:a "${video[@]}" "${audio[@]}" "${exact[@]}" \
        -movflags +faststart "$1.mp4"
}

# thumbnail NAME VIDEO-SOURCE-AT-160x90: one frame, 1 s in
thumbnail() {
    "${ff[@]}" -f lavfi -i "$2" -ss 1 -frames:v 1 -q:v 5 -pix_fmt yuvj420p "${exact[@]}" "$1.jpg"
}

intro_src() { echo "testsrc2=size=$1:rate=5"; }
harbour_src() { echo "gradients=size=$1:rate=5:seed=7:speed=0.05:c0=0x0b3954:c1=0x087e8b:c2=0xbfd7ea:c3=0x1b4965:nb_colors=4"; }
night_src() { echo "mandelbrot=size=$1:rate=5:start_scale=2:end_scale=0.05:outer=normalized_iteration_count"; }

video intro 3 "$(intro_src 64x36)" 440
video harbour 6 "$(harbour_src 64x36)" 330
video night-train 10 "$(night_src 64x36)" 220
video short 1 "$(intro_src 64x36)" 550     # broken.yaml: 1 s, below min_duration 2

thumbnail intro "$(intro_src 160x90)"
thumbnail harbour "$(harbour_src 160x90)"
thumbnail night-train "$(night_src 160x90)"

# The account logo (kind: image): a teal disc with a light ring on dark blue, 128x128 RGB.
"${ff[@]}" -f lavfi -i "color=c=black:size=128x128,format=rgb24" -frames:v 1 \
    -vf "geq=r='if(lt(hypot(X-64,Y-64),40),8,if(lt(hypot(X-64,Y-64),48),191,11))':g='if(lt(hypot(X-64,Y-64),40),126,if(lt(hypot(X-64,Y-64),48),215,57))':b='if(lt(hypot(X-64,Y-64),40),139,if(lt(hypot(X-64,Y-64),48),234,84))'" \
    -pix_fmt rgb24 "${exact[@]}" logo.png

for f in intro harbour night-train short; do
    printf '%-16s %s s\n' "$f.mp4" "$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f.mp4")"
done
du -ch -- * | tail -1
