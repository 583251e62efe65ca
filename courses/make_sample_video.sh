#!/bin/sh
# Regenerates courses/static/courses/media/sample-lesson.webm: a 20-second VP9/Opus title card with
# Chinese text (Noto Sans CJK), a running clock and a soft tone. Needs ffmpeg (Debian package).
# Its duration is not written anywhere by hand: it is measured from the file when a course using it is saved
# or published (courses/services/media.py; load_demo publishes the demo courses).
# Usage: sh courses/make_sample_video.sh [out.webm]
set -eu
OUT="${1:-$(dirname "$0")/static/courses/media/sample-lesson.webm}"
FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "color=c=0x0b5d4b:s=640x360:r=10:d=20" \
  -f lavfi -i "sine=frequency=392:sample_rate=48000:duration=20" \
  -filter_complex "[0:v]drawbox=x=0:y=250:w=640:h=110:color=0x083f33:t=fill,\
drawtext=fontfile=$FONT:text='汴学 · 示范课':fontsize=30:fontcolor=0xffd98a:x=(w-tw)/2:y=60,\
drawtext=fontfile=$FONT:text='智能手机使用入门':fontsize=52:fontcolor=white:x=(w-tw)/2:y=120,\
drawtext=fontfile=$FONT:text='开封市终身学习平台':fontsize=26:fontcolor=white:x=(w-tw)/2:y=200,\
drawtext=fontfile=$FONT:text='%{eif\:t\:d} 秒 / 20 秒':fontsize=28:fontcolor=white:x=(w-tw)/2:y=290[v];\
[1:a]volume=0.08,afade=t=in:d=1,afade=t=out:st=19:d=1[a]" \
  -map "[v]" -map "[a]" -c:v libvpx-vp9 -b:v 40k -crf 45 -row-mt 1 -deadline good -cpu-used 4 -g 100 \
  -pix_fmt yuv420p -c:a libopus -b:a 24k -ac 1 "$OUT"
